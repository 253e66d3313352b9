// The README's "Composing models" example, as written, imported by package name as a user's script would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Module, Sequential, Embedding, Highway, Dropout, Linear, LSTM, Tensor, registerLayer, manualSeed, noGrad, type LayerConfig } from "recurrent";
import { saveModel, loadModel } from "recurrent/node";

class Tagger extends Module {
  readonly embed: Embedding;
  readonly rnn: LSTM;
  readonly head: Linear;
  constructor(readonly opts: { vocab: number; width: number; tags: number }) {
    super();
    this.embed = new Embedding({ numEmbeddings: opts.vocab, embeddingDim: opts.width });
    this.rnn = new LSTM({ inputSize: opts.width, hiddenSize: opts.width });
    this.head = new Linear({ inFeatures: opts.width, outFeatures: opts.tags });
  }
  static fromConfig(c: LayerConfig): Tagger {
    return new Tagger({ vocab: Number(c["vocab"]), width: Number(c["width"]), tags: Number(c["tags"]) });
  }
  override describe(): string {
    return `Tagger(width=${this.opts.width})`;
  }
  override getConfig(): LayerConfig {
    return { ...this.opts };
  }
  forward(ids: Tensor): Tensor {
    const [out] = this.rnn.forward(this.embed.forward(ids)); // ids (T, B) -> (T, B, width)
    return this.head.forward(out);
  }
}

test("README: Sequential, a user's Module with fields, saveModel and loadModel", () => {
  manualSeed(0);
  const root = mkdtempSync(join(tmpdir(), "recurrent-readme-"));
  try {
    const model = new Sequential([
      new Embedding({ numEmbeddings: 28, embeddingDim: 16 }),
      new Highway({ size: 16, numLayers: 2 }),
      new Dropout(0.1),
      new Linear({ inFeatures: 16, outFeatures: 28 }),
    ]);
    const names = Object.keys(model.stateDict());
    assert.equal(names[0], "0.weight");
    assert.equal(names[1], "1.layers.0.weight_h");
    assert.equal(names[names.length - 1], "3.bias");
    const layers = model.getConfig()["layers"];
    assert.ok(Array.isArray(layers));
    assert.deepEqual(layers[0], { className: "Embedding", config: { numEmbeddings: 28, embeddingDim: 16 } });
    saveModel(model, join(root, "runs/tagger-seq"));
    const again = loadModel(join(root, "runs/tagger-seq"));
    assert.ok(again instanceof Sequential);
    assert.deepEqual(again.getConfig(), model.getConfig());

    registerLayer("Tagger", Tagger);
    const original = new Tagger({ vocab: 28, width: 32, tags: 5 });
    saveModel(original, join(root, "runs/tagger"));
    const tagger = loadModel(join(root, "runs/tagger"));
    assert.ok(tagger instanceof Tagger);
    const keys = Object.keys(tagger.stateDict());
    assert.deepEqual([keys[0], keys[1], keys[keys.length - 1]], ["embed.weight", "rnn.weight_ih_l0", "head.bias"]);
    const ids = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    assert.deepEqual(noGrad(() => tagger.forward(ids)).data, noGrad(() => original.forward(ids)).data);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
