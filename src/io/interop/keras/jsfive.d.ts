// The part of jsfive's API (a pure JavaScript HDF5 reader, no bundled types) the Keras reader uses.
declare module "jsfive" {
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset | null | undefined;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
  export class Dataset {
    readonly shape: unknown;
    readonly dtype: unknown;
    readonly value: unknown;
    readonly attrs: Record<string, unknown>;
    readonly _dataobjects: { readonly chunks: unknown; readonly filter_pipeline: unknown };
  }
}
