/** Fashion-MNIST's ten classes, by label (from the dataset's README). */
export const FASHION_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** Where Debian's dataset-fashion-mnist package puts the data. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
