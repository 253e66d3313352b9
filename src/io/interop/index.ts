// Interop with other frameworks' files, one folder per format.
export * from "./pytorch/index.js";
export * from "./dispatch.js";
export * from "./tfjs/index.js";
export * from "./keras/index.js";
