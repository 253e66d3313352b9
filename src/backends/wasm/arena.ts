/**
 * The scratch arena in the kernel module's linear memory. Each backend call lays out its buffers
 * from a start offset again (reset, then alloc for each buffer, then view), so no scratch outlives
 * a call. Memory only grows, so a model of steady shape stops growing after its first steps.
 * Growing detaches the old ArrayBuffer; view() always returns a view of the current one.
 */

/**
 * Buffers start on 128-byte boundaries: whole cache lines and aligned f32x4 access; and where
 * threads split rows into bands of 32 floats (H a multiple of 64 on two threads), each band is a
 * whole pair of lines, which the adjacent-line prefetcher moves together.
 */
const ALIGN = 128;
const PAGE = 65536;

export class Arena {
  private top = 0;
  private cached: Float32Array;

  constructor(private readonly memory: WebAssembly.Memory) {
    this.cached = new Float32Array(memory.buffer);
  }

  /** Releases every buffer of the previous layout; the next ones start at byte `start`. */
  reset(start: number): void {
    this.top = Math.ceil(start / ALIGN) * ALIGN;
  }

  /** Reserves `floats` floats and returns their byte offset. The memory is not cleared. */
  alloc(floats: number): number {
    const at = this.top;
    this.top += Math.ceil((floats * 4) / ALIGN) * ALIGN;
    return at;
  }

  /** Bytes of linear memory the module holds now. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows the memory to cover every reservation and returns a float view of all of it. */
  view(): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      try {
        this.memory.grow(Math.ceil((this.top - have) / PAGE));
      } catch (e) {
        const detail = e instanceof Error ? e.message : String(e);
        throw new Error(`wasm backend: cannot grow WebAssembly memory to ${this.top} bytes: ${detail}`);
      }
    }
    if (this.cached.buffer !== this.memory.buffer) this.cached = new Float32Array(this.memory.buffer);
    return this.cached;
  }
}
