// Each tx is decoded once (issue 17 item 5): the decode that CheckTx keeps is what PrepareProposal and FinalizeBlock
// use, and it answers exactly what a fresh decode answers.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { StateStore } from "../../store/index.ts";
import { AppError } from "../../sdk/errors.ts";
import { decodeTx, decodeTxOnce, MAX_TX_BYTES, type MsgRouter } from "../../sdk/tx/decode.ts";
import { buildModules } from "../modules.ts";
import { TrustNetApp } from "../trustnet-app.ts";
import { sendMsg, signDirect, signTx, testKey } from "../testing/tx-builder.ts";
import { DecodeCache, txHash } from "./decode-cache.ts";

const CHAIN = "trustnet-local-1";
const router: MsgRouter = new Map(buildModules().modules.flatMap((m) => (m.msgs ?? []).map((h) => [h.typeUrl, h] as const)) as never);

describe("decode once", async () => {
  const alice = await testKey(1);
  const bob = await testKey(2);
  const opts = { chainId: CHAIN, accountNumber: 0n, sequence: 0n, gas: 123_456n };
  const good = await signTx(alice, [sendMsg(alice.address, bob.address, "5")], opts);
  const raw = TxRaw.decode(good);
  const badBody = TxRaw.encode({ ...raw, bodyBytes: Uint8Array.of(0x0a, 0x03, 0xff, 0xff, 0xff) }).finish();
  const noMsgs = await signDirect(alice, Uint8Array.of(0x12, 0x01, 0x78), opts); // memo "x", no message
  const badAuth = TxRaw.encode({ ...raw, authInfoBytes: Uint8Array.of(0xff) }).finish();

  test("a kept decode holds one copy of the tx: its fields are views into that copy, not into the caller's bytes", () => {
    const mine = good.slice();
    const cache = new DecodeCache(router);
    const tx = cache.decode(mine, txHash(mine)).tx!;
    assert.notEqual(tx.bytes.buffer, mine.buffer, "the cache copied the tx");
    for (const field of [tx.raw.bodyBytes, tx.raw.authInfoBytes, tx.raw.signatures[0]!, tx.body.messages[0]!.value]) {
      assert.equal(field.buffer, tx.bytes.buffer, "a view into the kept copy (no second copy of the tx)");
    }
    mine.fill(0); // the caller's buffer reused: the kept decode is untouched
    assert.deepEqual(TxRaw.encode(tx.raw).finish(), good);
    assert.deepEqual(tx.bytes, good);
  });

  test("decodeTxOnce answers as decodeTx does, with the declared gas of the same decode", () => {
    const cases: [string, Uint8Array, bigint, boolean][] = [
      ["a signed send", good, 123_456n, true],
      ["a body that does not parse (gas still declared)", badBody, 123_456n, true],
      ["a body without messages", noMsgs, 123_456n, true],
      ["an AuthInfo that does not parse", badAuth, 0n, true],
      ["random bytes", Uint8Array.of(0xff, 0xff, 0x01), 0n, false],
      ["empty", new Uint8Array(), 0n, true],
      ["over the size limit", new Uint8Array(MAX_TX_BYTES + 1), 0n, false],
    ];
    for (const [what, bytes, gas, rawOk] of cases) {
      const once = decodeTxOnce(bytes, router);
      assert.equal(once.gasWanted, gas, `${what}: declared gas`);
      assert.equal(once.rawOk, rawOk, `${what}: TxRaw well-formed`);
      let expected: unknown;
      try {
        expected = decodeTx(bytes, router);
      } catch (err) {
        expected = err;
      }
      if (expected instanceof AppError) {
        assert.equal(once.tx, undefined, what);
        assert.ok(once.error instanceof AppError, what);
        assert.equal(once.error.code, expected.code, `${what}: ${once.error.message} vs ${expected.message}`);
        assert.equal(once.error.message, expected.message, what);
      } else {
        assert.equal(once.error, undefined, what);
        assert.deepEqual(once.tx, expected, what);
      }
    }
  });

  test("the cache returns the kept decode by hash, and forgets what a block executed", () => {
    const c = new DecodeCache(router, 10);
    const h = txHash(good);
    const first = c.decode(good, h);
    assert.equal(c.decode(good, h), first);
    assert.deepEqual(c.stats, { hits: 1, misses: 1 });
    c.forget(h);
    assert.equal(c.size, 0);
    for (let i = 0; i < 50; i++) c.decode(Uint8Array.of(i), String(i));
    assert.ok(c.size <= 10, `bounded: ${c.size}`);
  });

  test("a bug in a message's validateBasic (not an AppError) is reported to runTx as before and never cached", () => {
    const send = router.get("/cosmos.bank.v1beta1.MsgSend");
    assert.ok(send);
    const buggy: MsgRouter = new Map([["/cosmos.bank.v1beta1.MsgSend", { ...send, validateBasic: () => { throw new TypeError("bug"); } }]]);
    const c = new DecodeCache(buggy, 10);
    const r = c.decode(good, txHash(good));
    assert.ok(r.error instanceof TypeError && r.tx === undefined);
    assert.equal(r.gasWanted, 123_456n);
    assert.equal(c.size, 0);
  });

  test("FinalizeBlock and PrepareProposal reuse CheckTx's decode, with the same results as a node that never checked; PrepareProposal proposes only the decodable", () => {
    const run = (check: boolean) => {
      const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-decode-")), "state.db")) });
      app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], initialHeight: 1n,
        appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: alice.address }] }, bank: { balances: [{ address: alice.address, coins: [{ denom: "utrust", amount: "1000000000" }] }] } })) });
      const txs = [good, badBody, badAuth];
      if (check) for (const tx of txs) app.checkTx({ tx, type: 0 });
      const proposed = app.prepareProposal({ txs, maxTxBytes: 1_000_000n, height: 1n, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) } as never).txs ?? [];
      // another proposer's block with all three (ProcessProposal would reject it; FinalizeBlock must still agree)
      const r = app.finalizeBlock({ txs, height: 1n, time: { seconds: 1_700_000_001n, nanos: 5 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      return { proposed: proposed.length, results: r.txResults?.map((x) => [x.code, x.gasWanted, x.gasUsed, x.log]), appHash: r.appHash, stats: app.decodeStats };
    };
    const checked = run(true);
    const fresh = run(false);
    assert.equal(checked.proposed, 1, "the undecodable body and auth info are never proposed");
    assert.equal(fresh.proposed, 1);
    assert.deepEqual(checked.results, fresh.results);
    assert.deepEqual(checked.appHash, fresh.appHash);
    assert.equal(checked.results?.[0]?.[0], 0);
    assert.deepEqual(checked.stats, { hits: 6, misses: 3 }, "3 decodes in CheckTx, reused by PrepareProposal and FinalizeBlock");
    assert.deepEqual(fresh.stats, { hits: 3, misses: 3 }, "unchecked: decoded once in PrepareProposal, reused by FinalizeBlock");
  });
});
