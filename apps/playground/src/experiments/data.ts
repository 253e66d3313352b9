/**
 * The experiments' data, bundled with the site (nothing is fetched from elsewhere): the Mauna Loa
 * CO2 record (Scripps CO2 Program, UC San Diego, C. D. Keeling et al., CC BY 4.0) as text, and
 * the project's Fashion-MNIST slice (1,000 training images; Zalando SE, MIT licence) as files
 * served beside the page.
 */
import csv from "../../../../data/co2-concentration.csv?raw";
import imagesUrl from "../../../../data/fashion-mnist-slice/train-images-idx3-ubyte.gz?url";
import labelsUrl from "../../../../data/fashion-mnist-slice/train-labels-idx1-ubyte.gz?url";

export const CO2_CSV: string = csv;

async function bytes(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** The gzipped IDX files of the slice's training images and labels. */
export async function fashionSlice(): Promise<{ train: ArrayBuffer; labels: ArrayBuffer }> {
  const [train, labels] = await Promise.all([bytes(imagesUrl), bytes(labelsUrl)]);
  return { train, labels };
}
