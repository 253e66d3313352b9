// Writes data/fashion-mnist-slice/: the first 1,000 training and the first 500 test images of
// Fashion-MNIST, with their labels, as gzipped IDX files under the dataset's own file names, so
// that tests and quick runs read them with the same code as the full data. The source is
// Debian's dataset-fashion-mnist package (apt install dataset-fashion-mnist). Deterministic:
// the gzip header holds no time stamp, so running it twice gives byte-identical files.
//
//   node --conditions=source --import tsx tools/make_fashion_slice.ts [SOURCE_DIR]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx } from "../src/data/idx/parse.js";
import { readIdxFile } from "../src/data/idx/read-node.js";

const source = process.argv[2] ?? "/usr/share/datasets/fashion-mnist";
const out = new URL("../data/fashion-mnist-slice", import.meta.url).pathname;
const COUNTS = { train: 1000, t10k: 500 } as const;

mkdirSync(out, { recursive: true });
for (const [prefix, n] of Object.entries(COUNTS)) {
  for (const kind of ["images-idx3-ubyte", "labels-idx1-ubyte"]) {
    const name = `${prefix}-${kind}`;
    const full = readIdxFile(join(source, `${name}.gz`));
    const per = full.dims.slice(1).reduce((a, b) => a * b, 1);
    const bytes = encodeIdx([n, ...full.dims.slice(1)], full.data.subarray(0, n * per));
    writeFileSync(join(out, `${name}.gz`), gzipSync(bytes, { level: 9 }));
    console.log(`${name}.gz: ${n} of ${full.dims[0]}`);
  }
}
