/** IDX files (MNIST, Fashion-MNIST): the browser-safe parser and image sets. */
export { parseIdx, encodeIdx, IDX_UBYTE, IDX_MAX_DIMS, type IdxArray } from "./parse.js";
export { imageSet, takeImages, pixelsToFloat, type ImageSet } from "./images.js";
