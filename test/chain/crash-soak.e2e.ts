// Crash soak (issue 16, R1) at npm test's size: 10 SIGKILLs of the app, CometBFT or both at random moments while
// signed sends flow. `npm run bench -- crash-soak` runs 100 cycles and prints the counts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { crashSoak } from "../helpers/crash-soak.ts";
import { type Devnet, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const FAST_RESTARTS = { TRUSTNET_SUPERVISOR_MIN_BACKOFF_MS: "200", TRUSTNET_SUPERVISOR_HEALTHY_MS: "1500" };

describe("crash soak", () => {
  let d: Devnet;
  before(async () => {
    d = await startDevnet({ env: FAST_RESTARTS, blockTime: "300ms", upArgs: ["--inflation", "0"] });
    await waitForHeight(d.rpc, 2);
  });
  after(async () => {
    await d?.destroy();
  });

  test("10 kills of the app, CometBFT or both: committed txs stay, no app-hash mismatch, supply and balances add up", { timeout: 900_000 }, async () => {
    const r = await crashSoak(d, 10, Number(process.env.TRUSTNET_FUZZ_SEED ?? 7));
    process.stderr.write(`crash soak: ${JSON.stringify(r)}\n`);
    assert.deepEqual(r.problems, []);
    assert.equal(r.kills.app + r.kills.cometbft + r.kills.both, 10);
    assert.ok(r.inBlocks > 10, `sends were committed between the kills (${r.inBlocks})`);
    assert.equal(r.recheckedOk, r.committed);
  });
});
