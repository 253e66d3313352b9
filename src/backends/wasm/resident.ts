/**
 * Recurrent caches that stay in linear memory between forward and backward, so that a training
 * step copies no activations out of WebAssembly and back in (for an LSTM that is 5 floats per
 * unit, batch row and step: about 5% of a step when copied).
 *
 * Linear memory: [static data | resident slots | per-call scratch (Arena)]. A slot holds one
 * forward's cache. Its life:
 *   live      written by forward; backward reads it in place;
 *   released  backward has run (or the layer said the cache is done, `release`); the data stays
 *             valid (a second backward still works) until a later forward needs the space;
 *   dropped   the space was reused; backward on that cache then fails with a clear error.
 * Nothing can leak, and nothing waits for the garbage collector: released slots are reused first,
 * and when live slots would pass the budget, every live cache moves out to JS copies (its
 * `buffers`) and the region starts empty again. Slots hold their cache strongly: a `WeakRef` made
 * in a synchronous loop keeps its target alive until the loop yields (the KeepDuringJob rule), so
 * weak references here made memory grow in training loops that never yield.
 */

const ALIGN = 128;
const F = 4; // bytes per float

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

export interface Slot {
  /** Byte offset in linear memory. */
  offset: number;
  bytes: number;
  /** The cache using the slot; null when the slot is free. */
  owner: WasmCache | null;
  /** The owner is released (backward ran, or it is done with): the slot may be reused. */
  consumed: boolean;
}

export class ResidentStore {
  private readonly base: number;
  private slots: Slot[] = [];

  constructor(
    heapBase: number,
    /** Largest size of the slot region in bytes before live caches move out to JS. */
    private readonly budget: number,
    /** The current float view of linear memory (valid until the memory grows). */
    private readonly view: () => Float32Array,
  ) {
    this.base = alignUp(heapBase);
  }

  /** First byte past the slot region: where per-call scratch starts. */
  get top(): number {
    const last = this.slots[this.slots.length - 1];
    return last === undefined ? this.base : last.offset + last.bytes;
  }

  /** Bytes the slot region spans now. */
  get regionBytes(): number {
    return this.top - this.base;
  }

  /**
   * A new live cache whose parts (lengths in floats) get a slot in linear memory. The caller then
   * reserves scratch above `top` and fills the parts.
   */
  create(parts: number[]): WasmCache {
    const offsets: number[] = [];
    let bytes = 0;
    for (const n of parts) {
      offsets.push(bytes);
      bytes += alignUp(n * F);
    }
    const slot = this.place(Math.max(bytes, ALIGN));
    const cache = new WasmCache(this, slot, parts, offsets);
    slot.owner = cache;
    slot.consumed = false;
    return cache;
  }

  /** Float view of part of a slot (valid until memory grows or the slot is reused). */
  part(slot: Slot, offset: number, floats: number): Float32Array {
    const at = (slot.offset + offset) / F;
    return this.view().subarray(at, at + floats);
  }

  /** The slot's cache is released: later forwards may reuse the slot. */
  consume(slot: Slot): void {
    if (slot.owner !== null) slot.consumed = true;
  }

  /** The slot's cache moved its data to JS: the slot is free. */
  vacate(slot: Slot): void {
    slot.owner = null;
    slot.consumed = false;
  }

  /** Live caches (not yet released); for tests and diagnostics. */
  get liveSlots(): number {
    return this.slots.filter((s) => s.owner !== null && !s.consumed).length;
  }

  private place(bytes: number): Slot {
    let slot = this.firstFit(bytes);
    if (slot === null) {
      // Reuse the space of released caches.
      for (const s of this.slots) {
        if (s.owner !== null && s.consumed) {
          s.owner.dropped();
          this.vacate(s);
        }
      }
      this.tidy();
      slot = this.firstFit(bytes);
    }
    if (slot === null && this.regionBytes + bytes > this.budget) {
      for (const s of this.slots) {
        if (s.consumed) s.owner?.dropped();
        else s.owner?.evict();
      }
      this.slots = [];
    }
    if (slot === null) {
      slot = { offset: this.top, bytes, owner: null, consumed: false };
      this.slots.push(slot);
      return slot;
    }
    if (slot.bytes > bytes) {
      const rest: Slot = { offset: slot.offset + bytes, bytes: slot.bytes - bytes, owner: null, consumed: false };
      this.slots.splice(this.slots.indexOf(slot) + 1, 0, rest);
      slot.bytes = bytes;
    }
    return slot;
  }

  private firstFit(bytes: number): Slot | null {
    for (const s of this.slots) if (s.owner === null && s.bytes >= bytes) return s;
    return null;
  }

  /** Merges neighbouring free slots and gives a free tail back to scratch. */
  private tidy(): void {
    const merged: Slot[] = [];
    for (const s of this.slots) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && prev.owner === null && s.owner === null) prev.bytes += s.bytes;
      else merged.push(s);
    }
    while (merged.length > 0 && merged[merged.length - 1]!.owner === null) merged.pop();
    this.slots = merged;
  }
}

type CacheState = "resident" | "copied" | "dropped";

/**
 * The wasm backend's RecurrentCache. `buffers` (the reference backend's four-array layout:
 * acts, c, hfull, hhn) is made of JS copies on first read; backward uses the resident data in
 * place while it is there.
 */
export class WasmCache {
  readonly backend = "wasm";
  private state: CacheState = "resident";
  private copies: Float32Array[] | null = null;

  constructor(
    private readonly store: ResidentStore,
    private readonly slot: Slot,
    /** Float lengths of acts, c, hfull, hhn. */
    readonly lengths: number[],
    private readonly offsets: number[],
  ) {}

  /** Byte offset of part i in `store`'s linear memory, or null when the data is not resident there. */
  residentOffset(store: ResidentStore, i: number): number | null {
    if (this.state !== "resident" || store !== this.store) return null;
    return this.slot.offset + this.offsets[i]!;
  }

  get buffers(): Float32Array[] {
    if (this.copies === null) {
      if (this.state === "dropped") {
        throw new Error(
          "wasm backend: this recurrent cache was used by backward and its memory has since been reused by a later forward; run forward again",
        );
      }
      this.copies = this.lengths.map((n, i) => this.store.part(this.slot, this.offsets[i]!, n).slice());
    }
    return this.copies;
  }

  /** Backward has read the cache, or it is done with: a later forward may reuse its memory. */
  consume(): void {
    if (this.state === "resident") this.store.consume(this.slot);
  }

  /** Moves the data to JS copies and frees the slot. */
  evict(): void {
    if (this.state !== "resident") return;
    void this.buffers;
    this.state = "copied";
    this.store.vacate(this.slot);
  }

  /** The store reused the consumed slot. */
  dropped(): void {
    if (this.state === "resident") this.state = this.copies !== null ? "copied" : "dropped";
  }
}
