/**
 * A pool of gradient buffers, so that a training loop of steady shapes stops allocating the large
 * Float32Arrays its backward pass passes between nodes (each one otherwise garbage a moment later).
 *
 * Safety rule: only arrays that came from `takeZeroed` may come back through `recycle`, and only
 * once nothing can read them. The autograd engine recycles an array after the node that received
 * it as an output gradient has run, when no gradient it returned shares the array's buffer (a
 * pass-through or a view moves on instead) and no leaf took it. Arrays a user can reach (tensor
 * data, parameter gradients, forward outputs) never enter the pool.
 *
 * Bounded: at most MAX_PER_LENGTH arrays of one length and MAX_POOL_BYTES in all; past that a
 * recycled array is simply dropped for the garbage collector.
 */

const MAX_PER_LENGTH = 4;
const MAX_POOL_BYTES = 64 * 1024 * 1024;

const free = new Map<number, Float32Array[]>();
/** Arrays handed out by takeZeroed and not yet recycled: the only ones recycle accepts. */
const lent = new WeakSet<Float32Array>();
let pooledBytes = 0;

/** A zero-filled array of `n` floats, reused from the pool when one of that length is free. */
export function takeZeroed(n: number): Float32Array {
  const list = free.get(n);
  const reused = list?.pop();
  let a: Float32Array;
  if (reused !== undefined) {
    pooledBytes -= reused.byteLength;
    a = reused.fill(0);
  } else {
    a = new Float32Array(n);
  }
  lent.add(a);
  return a;
}

/**
 * Returns an array from takeZeroed to the pool; the caller guarantees nothing reads it again.
 * Arrays that did not come from takeZeroed (or came back already) are ignored.
 */
export function recycle(a: Float32Array): void {
  if (!lent.has(a)) return;
  lent.delete(a);
  if (pooledBytes + a.byteLength > MAX_POOL_BYTES) return;
  let list = free.get(a.length);
  if (list === undefined) {
    list = [];
    free.set(a.length, list);
  }
  if (list.length >= MAX_PER_LENGTH) return;
  list.push(a);
  pooledBytes += a.byteLength;
}

/** Whether `a` was handed out by takeZeroed and has not been recycled. */
export function isLent(a: Float32Array): boolean {
  return lent.has(a);
}

/** Bytes held by free arrays in the pool. */
export function pooledByteCount(): number {
  return pooledBytes;
}

/** Empties the pool (its arrays go to the garbage collector). */
export function clearPool(): void {
  free.clear();
  pooledBytes = 0;
}
