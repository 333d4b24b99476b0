// Free txs: a tx that fails before its fee is charged (expired, undecodable, repeated, over the block's gas) must
// never fill a block, and a deadline the next block will pass must not get into the mempool. The real app on real
// SQLite, txs signed as cosmjs signs them.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { StateStore } from "../store/index.ts";
import { TrustNetApp } from "./trustnet-app.ts";
import { encodeTxBody, signDirect } from "../client/sign-direct.ts";
import { sendMsg, testKey, type TestKey } from "./testing/tx-builder.ts";
import { MIN_DEADLINE_MARGIN_SECONDS } from "./tx/proposal-rules.ts";

const CHAIN = "trustnet-local-1";
const T0 = 1_700_000_000n;
const ACCEPT = 1;
const REJECT = 2;

/** A chain at height 1 (block time T0 + 1), alice funded, max_gas 1,000,000. */
function chain(alice: TestKey): { app: TrustNetApp; block: (h: bigint, txs: Uint8Array[]) => { code: number; log: string }[]; balance: () => bigint; propose: (h: bigint, txs: Uint8Array[]) => Uint8Array[]; process: (h: bigint, txs: Uint8Array[]) => number } {
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-prop-")), "s.db")), checkInvariants: true });
  app.initChain({
    time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22_020_096n, maxGas: 1_000_000n } } as never, validators: [], initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: alice.address }] }, bank: { balances: [{ address: alice.address, coins: [{ denom: "utrust", amount: "1000000000" }] }] } })),
  });
  const time = (h: bigint) => ({ seconds: T0 + h, nanos: 0 });
  const block = (h: bigint, txs: Uint8Array[]) => {
    const r = app.finalizeBlock({ txs, height: h, time: time(h), hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    app.commit();
    return (r.txResults ?? []).map((x) => ({ code: x.code, log: x.log }));
  };
  const balance = () => {
    const r = app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address: alice.address, denom: "utrust" }).finish(), height: 0n, prove: false });
    return BigInt(QueryBalanceResponse.decode(r.value!).balance!.amount);
  };
  const propose = (h: bigint, txs: Uint8Array[]) => (app.prepareProposal({ txs, maxTxBytes: 22_020_096n, height: h, time: time(h), localLastCommit: { round: 0, votes: [] }, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) }).txs ?? []) as Uint8Array[];
  const process = (h: bigint, txs: Uint8Array[]) => app.processProposal({ txs, height: h, time: time(h), hash: new Uint8Array(32), proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) }).status ?? 0;
  block(1n, []);
  return { app, block, balance, propose, process };
}

describe("proposal rules: no free txs in blocks or the mempool", async () => {
  const alice = await testKey(1);
  const bob = await testKey(2);
  const sign = (sequence: bigint, o: { deadline?: { seconds: bigint; nanos: number }; timeoutHeight?: bigint; memo?: string; gas?: bigint; amount?: string } = {}) => {
    const body = TxBody.encode({ ...TxBody.decode(encodeTxBody([sendMsg(alice.address, bob.address, o.amount ?? "1")], o.memo ?? "", o.timeoutHeight ?? 0n)), timeoutTimestamp: o.deadline }).finish();
    return signDirect(alice, body, { chainId: CHAIN, accountNumber: 0n, sequence, gas: o.gas ?? 200_000n });
  };

  test("CheckTx refuses a deadline the next blocks could pass (the audit's flood: one nanosecond after the last block), admits one past the margin", async () => {
    const { app } = chain(alice);
    const flood = await sign(0n, { deadline: { seconds: T0 + 1n, nanos: 1 } });
    const r = app.checkTx({ tx: flood, type: 0 });
    assert.deepEqual([r.codespace, r.code], ["sdk", 42]);
    assert.match(r.log ?? "", /^timeout timestamp 2023-11-14T22:13:21\.000000001Z is less than 30s after the last block's time 2023-11-14T22:13:21Z: the tx could expire before a block includes it/);
    const edge = await sign(0n, { deadline: { seconds: T0 + 1n + MIN_DEADLINE_MARGIN_SECONDS, nanos: 0 } });
    assert.equal(app.checkTx({ tx: edge, type: 0 }).code, 42, "exactly the margin is still too close");
    const later = await sign(0n, { deadline: { seconds: T0 + 1n + MIN_DEADLINE_MARGIN_SECONDS, nanos: 1 } });
    assert.equal(app.checkTx({ tx: later, type: 0 }).code, 0);
    const none = await sign(1n);
    assert.equal(app.checkTx({ tx: none, type: 0 }).code, 0, "no deadline: no margin");
  });

  test("RECHECK keeps a tx until its deadline has passed (the margin is for new txs only)", async () => {
    const { app, block } = chain(alice);
    const tx = await sign(0n, { deadline: { seconds: T0 + 40n, nanos: 0 } });
    assert.equal(app.checkTx({ tx, type: 0 }).code, 0);
    for (let h = 2n; h <= 40n; h++) block(h, []);
    assert.equal(app.checkTx({ tx, type: 1 }).code, 0, "block time T0+40: the deadline has not passed");
    block(41n, []);
    assert.equal(app.checkTx({ tx, type: 1 }).code, 42, "block time T0+41: expired");
  });

  test("PrepareProposal leaves out what would fail unpaid, and ProcessProposal accepts what it proposes", async () => {
    const { propose, process, block, balance } = chain(alice);
    const a = await sign(0n);
    const b = await sign(1n, { deadline: { seconds: T0 + 100n, nanos: 0 } });
    const expired = await sign(2n, { deadline: { seconds: T0 + 1n, nanos: 999_999_999 } }); // the block's time, T0 + 2, is after it
    const pastHeight = await sign(2n, { timeoutHeight: 1n, amount: "2" });
    const overGas = await sign(2n, { gas: 700_000n, amount: "3" }); // 200k + 200k + 700k > 1,000,000
    const garbage = new Uint8Array([0x0a, 0x00]);
    const proposed = propose(2n, [a, b, expired, pastHeight, a, garbage, new Uint8Array(), overGas]);
    assert.deepEqual(proposed, [a, b]);
    assert.equal(process(2n, proposed), ACCEPT);
    const before = balance();
    assert.deepEqual(block(2n, proposed).map((r) => r.code), [0, 0]);
    assert.ok(balance() < before);
  });

  test("ProcessProposal rejects a block with a tx that would fail before paying: expired, repeated, undecodable, empty, or past max_gas", async () => {
    const { process, block, balance } = chain(alice);
    const a = await sign(0n);
    const expired = await sign(1n, { deadline: { seconds: T0 + 1n, nanos: 999_999_999 } });
    const heightOut = await sign(1n, { timeoutHeight: 1n });
    const big = await sign(1n, { gas: 900_000n });
    for (const [why, txs] of [
      ["a tx past its deadline", [a, expired]],
      ["a tx past its timeout height", [a, heightOut]],
      ["the same tx twice", [a, a]],
      ["bytes that are no tx", [a, new Uint8Array([0x0a, 0x00])]],
      ["an empty tx", [new Uint8Array()]],
      ["declared gas past max_gas", [a, big]],
    ] as const) assert.equal(process(2n, [...txs]), REJECT, why);
    assert.equal(process(2n, [a]), ACCEPT);
    assert.equal(process(2n, [a, await sign(1n, { deadline: { seconds: T0 + 2n, nanos: 0 } })]), ACCEPT, "a deadline equal to the block's time has not passed (SDK: Before)");
    // why: executed anyway, each of those costs its sender nothing
    const before = balance();
    assert.deepEqual(block(2n, [expired]).map((r) => r.code), [42]);
    assert.equal(balance(), before, "the expired tx paid no fee");
  });

  test("a flood of txs with deadlines at the next block cannot fill a block even if another node's mempool had them", async () => {
    const { propose } = chain(alice);
    const txs = await Promise.all(Array.from({ length: 50 }, (_, i) => sign(BigInt(i), { deadline: { seconds: T0 + 1n, nanos: 1 } })));
    assert.deepEqual(propose(2n, txs), []);
  });

  test("the memo limit counts UTF-8 bytes (SDK len(memo)); a deadline before 1970 is a deadline", async () => {
    const { app } = chain(alice);
    const ascii = await sign(0n, { memo: "m".repeat(256) });
    assert.equal(app.checkTx({ tx: ascii, type: 0 }).code, 0);
    const wide = await sign(1n, { memo: "€".repeat(86) }); // 86 characters, 258 bytes
    const r = app.checkTx({ tx: wide, type: 0 });
    assert.deepEqual([r.codespace, r.code, r.log], ["sdk", 12, "maximum number of characters is 256 but received 258 characters: memo too large"]);
    const past = await sign(1n, { deadline: { seconds: -1n, nanos: 0 } });
    assert.equal(app.checkTx({ tx: past, type: 0 }).code, 42);
    const zero = await sign(1n, { deadline: { seconds: 0n, nanos: 0 } });
    assert.equal(app.checkTx({ tx: zero, type: 0 }).code, 0, "the zero Timestamp means no deadline");
  });
});
