// Starting a team where blocking would keep the workers from starting (a browser worker, whose
// nested workers start through its own event loop): waitReady returns at once instead of waiting
// out its timeout, and the team joins in once the thread has yielded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { threadHost, type ThreadHost } from "../../src/backends/wasm/host.js";
import { compileKernels } from "../../src/backends/wasm/module.js";
import { Team } from "../../src/backends/wasm/team.js";

test("waitReady does not block where workers start only once the thread yields", async () => {
  const node = threadHost();
  assert.ok(node !== null && node.startsWhileBlocked, "Node's host lets workers start while it blocks");
  const host: ThreadHost = { canBlock: true, startsWhileBlocked: false, start: (source, init) => node.start(source, init) };
  const team = Team.start(compileKernels("shared"), 2, host);
  assert.ok(team !== null);
  try {
    const t0 = performance.now();
    assert.equal(team.waitReady(10_000), 1);
    assert.ok(performance.now() - t0 < 1000, `waitReady took ${performance.now() - t0} ms`);
    assert.equal(await team.whenReady(10_000), 2);
  } finally {
    team.dispose();
  }
});

test("waitReady blocks until the workers run where they start while it blocks (Node)", () => {
  const node = threadHost();
  assert.ok(node !== null);
  const team = Team.start(compileKernels("shared"), 2, node);
  assert.ok(team !== null);
  try {
    assert.equal(team.waitReady(10_000), 2);
  } finally {
    team.dispose();
  }
});
