// Signatures verified ahead of their tx's turn on the worker pool (prepareCheckTx / prepareFinalizeBlock): the same
// answers, with the ante's own verification then answered from memory instead of on the main thread.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { StateStore } from "../store/index.ts";
import { SigVerifyPool } from "../modules/auth/index.ts";
import { inlineVerifications } from "../modules/auth/sig-verify.ts";
import { verifiedSignerHits } from "../modules/auth/verified-signers.ts";
import { TrustNetApp } from "./trustnet-app.ts";
import { sendMsg, signTx, testKey, type TestKey } from "./testing/tx-builder.ts";

const CHAIN = "trustnet-local-1";

function start(funded: readonly TestKey[], sigPool?: SigVerifyPool): TrustNetApp {
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-prever-")), "state.db")), checkInvariants: true, sigPool });
  app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify({
      auth: { accounts: funded.map((k) => ({ address: k.address })) },
      bank: { balances: funded.map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "1000000000" }] })) },
    })),
  });
  // One empty block, so the genesis accounts are committed state (what pre-verification reads).
  app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  app.commit();
  return app;
}

const fb = (app: TrustNetApp, txs: Uint8Array[]) => app.finalizeBlock({ txs, height: 2n, time: { seconds: 1_700_000_002n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });

describe("signature pre-verification", async () => {
  const keys = await Promise.all([1, 2, 3, 4].map((i) => testKey(700 + i)));
  const sink = await testKey(799);
  const pool = new SigVerifyPool(2);
  after(() => pool.close());

  test("a prepared CheckTx is answered the same, with no verification left for the main thread", async () => {
    const app = start(keys, pool);
    const good = await signTx(keys[0]!, [sendMsg(keys[0]!.address, sink.address, "5")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    const wrongChain = await signTx(keys[1]!, [sendMsg(keys[1]!.address, sink.address, "5")], { chainId: "other-chain", accountNumber: 1n, sequence: 0n });
    await app.prepareCheckTx?.({ tx: good, type: 0 });
    await app.prepareCheckTx?.({ tx: wrongChain, type: 0 });
    const before = inlineVerifications();
    assert.equal(app.checkTx({ tx: good, type: 0 }).code, 0);
    assert.equal(inlineVerifications(), before, "the good signature was verified by the pool");
    const bad = app.checkTx({ tx: wrongChain, type: 0 });
    assert.equal(bad.code, 4, "a signature over another chain id is still refused (unauthorized)");
    assert.equal(inlineVerifications(), before + 1, "a failed triple is never remembered: the ante verifies it itself");
    assert.equal(app.prepareCheckTx?.({ tx: good, type: 1 }), undefined, "RECHECK verifies nothing, so prepares nothing");
    assert.equal(app.prepareCheckTx?.({ tx: Uint8Array.of(1, 2, 3), type: 0 }), undefined, "an undecodable tx: nothing to prepare");
  });

  test("a block of txs this node never checked: verified in parallel first, same results and app hash as without the pool", async () => {
    const txs = await Promise.all(keys.map((k, i) => signTx(k, [sendMsg(k.address, sink.address, String(10 + i))], { chainId: CHAIN, accountNumber: BigInt(i), sequence: 0n, memo: "block" })));
    const withPool = start(keys, pool);
    const without = start(keys);
    await withPool.prepareFinalizeBlock?.({ txs } as never);
    const before = inlineVerifications();
    const a = fb(withPool, txs);
    assert.equal(inlineVerifications(), before, "every signature of the block came from the pool");
    const b = fb(without, txs);
    assert.deepEqual(a.txResults?.map((r) => [r.code, r.gasUsed]), b.txResults?.map((r) => [r.code, r.gasUsed]));
    assert.deepEqual(a.appHash, b.appHash);
    assert.ok(a.txResults?.every((r) => r.code === 0));
  });

  test("FinalizeBlock does not check again a signature CheckTx verified on the same decoded tx; one it never saw, it verifies", async () => {
    const app = start(keys);
    const checked = await signTx(keys[3]!, [sendMsg(keys[3]!.address, sink.address, "2")], { chainId: CHAIN, accountNumber: 3n, sequence: 0n, memo: "checked" });
    const unseen = await signTx(keys[2]!, [sendMsg(keys[2]!.address, sink.address, "3")], { chainId: CHAIN, accountNumber: 2n, sequence: 0n, memo: "unseen" });
    const forged = await signTx(keys[1]!, [sendMsg(keys[1]!.address, sink.address, "4")], { chainId: "other-chain", accountNumber: 1n, sequence: 0n, memo: "forged" });
    assert.equal(app.checkTx({ tx: checked, type: 0 }).code, 0);
    const [hits, inline] = [verifiedSignerHits(), inlineVerifications()];
    const r = fb(app, [checked, unseen, forged]);
    assert.deepEqual(r.txResults?.map((x) => x.code), [0, 0, 4], "the forged signature is still refused in the block");
    assert.equal(verifiedSignerHits(), hits + 1, "only the checked tx's signer was answered by the memory");
    assert.equal(inlineVerifications(), inline + 2, "the unseen and the forged signatures were verified in the block");
  });

  test("nothing is prepared without a pool, for a block of txs CheckTx has seen, or for a block with one worker", async () => {
    const tx = await signTx(keys[2]!, [sendMsg(keys[2]!.address, sink.address, "1")], { chainId: CHAIN, accountNumber: 2n, sequence: 0n, memo: "x" });
    assert.equal(start(keys).prepareCheckTx, undefined, "no pool: no early work at all");
    const checked = start(keys, pool);
    assert.equal(checked.checkTx({ tx, type: 0 }).code, 0);
    assert.equal(checked.prepareFinalizeBlock?.({ txs: [tx] } as never), undefined, "verified when it was checked");
    const one = new SigVerifyPool(1);
    try {
      assert.equal(start(keys, one).prepareFinalizeBlock, undefined, "one worker: inline is as fast");
    } finally {
      await one.close();
    }
  });
});
