export { manualSeed, Generator, globalGenerator } from "./tensor/random.js";
