// The 10,000-block randomized simulation (app/testing/simulation.ts): random bank sends and every staking message
// from random accounts through the real app on real SQLite, every module invariant checked after every block, then
// the recorded blocks replayed into a fresh app to the same app hash at every height.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { replay, SIM_MODULES, simulate } from "./testing/simulation.ts";

const BLOCKS = Number(process.env.TRUSTNET_SIM_BLOCKS ?? 10_000);
// Real SQLite files, in memory-backed /dev/shm where there is one: every block commits with synchronous=FULL, and
// 20,000 fsyncs to a shared disk would dominate the run without testing anything the store specs do not.
const root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "tn-sim-"));
let dbs = 0;
const dbPath = (): string => join(root, `state-${dbs++}.db`);

describe("randomized simulation", () => {
  after(() => rmSync(root, { recursive: true, force: true }));
  test(`${BLOCKS} random blocks keep every invariant, exercise every operation, and replay to the same app hashes`, async () => {
    const t0 = Date.now();
    const run = await simulate({ seed: 7, blocks: BLOCKS, dbPath, emptyBlockRate: 0.2 });
    const simulated = Date.now() - t0;
    const names = SIM_MODULES.flatMap((m) => m.operations.map((o) => o.name));
    for (const name of names) {
      const [ok, failed] = run.outcomes.get(name) ?? [0, 0];
      assert.ok(ok > 0, `${name} succeeded at least once (${ok} ok, ${failed} failed)`);
    }
    const failed = [...run.outcomes.values()].reduce((a, [, f]) => a + f, 0);
    assert.ok(failed > 0, "bad random inputs are refused (and, with invariants checked, change nothing)");
    assert.ok(run.updates > 0, "the validator set changed");
    assert.ok(run.jailed > 0, "some validator's self-delegation fell below its minimum and it was jailed");
    const t1 = Date.now();
    const hashes = await replay(run.blocks, dbPath);
    assert.equal(hashes.length, run.hashes.length);
    const diverged = hashes.findIndex((h, i) => h !== run.hashes[i]);
    assert.equal(diverged, -1, `replay diverged at block ${diverged + 1}`);
    const outcomes = [...run.outcomes].map(([n, [ok, f]]) => `${n} ${ok}/${ok + f}`).join(", ");
    console.log(`simulation: ${BLOCKS} blocks in ${simulated} ms, replay in ${Date.now() - t1} ms; ok/sent: ${outcomes}; ${run.updates} validator updates, ${run.jailed} jailed`);
  });
});
