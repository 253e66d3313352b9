/**
 * One trip through the event loop's macrotask queue, so that a long training run lets timers,
 * I/O, signals and (in a browser) rendering and input in between batches. A microtask (an
 * awaited resolved promise) would not: it runs before anything else gets a turn.
 */
export function nextMacrotask(): Promise<void> {
  const g: { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel } = globalThis;
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  if (typeof g.MessageChannel === "function") {
    const channel = new g.MessageChannel();
    return new Promise((resolve) => {
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
