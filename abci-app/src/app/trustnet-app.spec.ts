// The app without sockets (house rule 2): InitChain → CheckTx → FinalizeBlock → Commit → Query, on real SQLite.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryAccountRequest } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { StateStore } from "../store/index.ts";
import { TrustNetApp } from "./trustnet-app.ts";
import { sendMsg, signTx, testKey, type TestKey } from "./testing/tx-builder.ts";

const CHAIN = "trustnet-local-1";
const tmpDb = (): string => join(mkdtempSync(join(tmpdir(), "tn-app-")), "state.db");

function genesis(funded: readonly TestKey[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({
    auth: { accounts: funded.map((k) => ({ address: k.address })) },
    bank: { balances: funded.map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "1000000000" }] })) },
  }));
}

function open(path: string): TrustNetApp {
  return new TrustNetApp({ store: StateStore.open(path), checkInvariants: true });
}

function init(app: TrustNetApp, funded: readonly TestKey[]): Uint8Array {
  return app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], appStateBytes: genesis(funded), initialHeight: 1n }).appHash as Uint8Array;
}

function block(app: TrustNetApp, height: bigint, txs: Uint8Array[]) {
  const r = app.finalizeBlock({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  app.commit();
  return r;
}

function balance(app: TrustNetApp, address: string): bigint {
  const r = app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom: "utrust" }).finish(), height: 0n, prove: false });
  assert.equal(r.code, 0, r.log);
  return BigInt(QueryBalanceResponse.decode(r.value as Uint8Array).balance?.amount ?? "x");
}

describe("TrustNetApp", async () => {
  const alice = await testKey(1);
  const bob = await testKey(2);
  const carol = await testKey(3);

  test("a signed MsgSend moves funds, charges the fee, bumps the sequence and answers TxMsgData", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "1234")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    assert.equal(app.checkTx({ tx, type: 0 }).code, 0);
    const r = block(app, 1n, [tx]);
    const res = r.txResults?.[0];
    assert.equal(res?.code, 0, res?.log);
    assert.equal(TxMsgData.decode(res.data).msgResponses[0]?.typeUrl, "/cosmos.bank.v1beta1.MsgSendResponse");
    assert.ok(res.events.some((e) => e.type === "transfer" && e.attributes.every((a) => a.index && a.key !== "")));
    assert.equal(balance(app, bob.address), 1234n);
    assert.equal(balance(app, alice.address), 1_000_000_000n - 1234n - 5000n);
    const acc = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address: alice.address }).finish(), height: 0n, prove: false });
    assert.equal(acc.code, 0);
    assert.equal(acc.height, 1n);
    app.checkInvariants();
  });

  test("every event of message i carries msg_index = i (as SDK v0.50); the ante's events (fee, sequence, signature) carry none", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "1"), sendMsg(alice.address, bob.address, "2")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    const res = block(app, 1n, [tx]).txResults?.[0];
    assert.equal(res?.code, 0, res?.log);
    const tagged = res.events.map((e) => [e.type, e.attributes.filter((a) => a.key === "msg_index").map((a) => a.value)] as const);
    const ofMsg = (i: string) => tagged.filter(([, ix]) => ix.length === 1 && ix[0] === i).map(([t]) => t);
    assert.deepEqual(ofMsg("0"), ["message", "coin_spent", "coin_received", "transfer", "message"]);
    assert.deepEqual(ofMsg("1"), ofMsg("0"));
    const ante = tagged.filter(([, ix]) => ix.length === 0).map(([t]) => t);
    assert.ok(["tx", "coin_spent", "transfer"].every((t) => ante.includes(t)), `ante events: ${ante.join(", ")}`);
    assert.equal(tagged.length, ante.length + 10, "no event has two msg_index attributes");
    assert.ok(res.events.every((e) => e.attributes.every((a) => a.index)), "msg_index is indexed like every attribute");
  });

  test("every block event carries mode = BeginBlock or EndBlock, not indexed (as SDK v0.50); tx events carry none", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    const r = block(app, 1n, [tx]);
    const events = r.events ?? [];
    assert.ok(events.length > 0, "mint and distribution emit block events");
    const modes = events.map((e) => e.attributes.filter((a) => a.key === "mode"));
    assert.ok(modes.every((m) => m.length === 1 && m[0]!.index === false), "one unindexed mode per block event");
    const begin = modes.findIndex((m) => m[0]!.value !== "BeginBlock");
    assert.ok(modes.slice(0, begin < 0 ? undefined : begin).every((m) => m[0]!.value === "BeginBlock"));
    assert.ok(begin < 0 || modes.slice(begin).every((m) => m[0]!.value === "EndBlock"), "begin-block events first, then end-block ones");
    assert.ok(events.some((e) => e.type === "mint" && e.attributes.some((a) => a.key === "mode" && a.value === "BeginBlock")));
    assert.ok(r.txResults?.[0]?.events.every((e) => e.attributes.every((a) => a.key !== "mode")));
  });

  test("CheckTx keeps a pending sequence per sender; a resubmitted pending tx is code 19; RECHECK skips the signature", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    block(app, 1n, []);
    const t0 = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    const t1 = await signTx(alice, [sendMsg(alice.address, bob.address, "2")], { chainId: CHAIN, accountNumber: 0n, sequence: 1n });
    assert.equal(app.checkTx({ tx: t0, type: 0 }).code, 0);
    assert.equal(app.checkTx({ tx: t1, type: 0 }).code, 0, "sequence 1 accepted while 0 is pending");
    const dup = app.checkTx({ tx: t0, type: 0 });
    assert.deepEqual([dup.code, dup.codespace], [19, "sdk"]);
    block(app, 2n, [t0]);
    const re = app.checkTx({ tx: t1, type: 1 });
    assert.equal(re.code, 0, re.log);
    const stale = app.checkTx({ tx: t0, type: 1 });
    assert.equal(stale.code, 32, "a committed tx fails its recheck on the sequence");
  });

  test("a tx whose message fails in CheckTx leaves no trace in the check state (the next tx keeps its sequence)", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    block(app, 1n, []);
    const bad = await signTx(alice, [sendMsg(alice.address, bob.address, "1", "unobtainium")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    assert.equal(app.checkTx({ tx: bad, type: 0 }).code, 10);
    const good = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n });
    const r = app.checkTx({ tx: good, type: 0 });
    assert.equal(r.code, 0, r.log);
    // In a block, the same failing tx is charged its fee and consumes its sequence.
    const res = block(app, 2n, [bad]);
    assert.equal(res.txResults?.[0]?.code, 10);
    assert.equal(balance(app, alice.address), 1_000_000_000n - 5000n);
  });

  test("the block gas limit: a tx that would take the block past max_gas fails with code 11, unexecuted", async () => {
    const app = open(tmpDb());
    app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 300_000n } } as never, validators: [], appStateBytes: genesis([alice]), initialHeight: 1n });
    const t0 = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n, gas: 200_000n });
    // t0 uses ~40,000 of its 200,000: the block has counted what t0 used when t1 asks for 280,000 more
    const t1 = await signTx(alice, [sendMsg(alice.address, bob.address, "2")], { chainId: CHAIN, accountNumber: 0n, sequence: 1n, gas: 280_000n });
    assert.deepEqual(app.prepareProposal({ maxTxBytes: 1_000_000n, txs: [t0, t1], localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: 1n, time: { seconds: 0n, nanos: 0 }, nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array() }).txs, [t0], "the proposer keeps the block under max_gas");
    const r = block(app, 1n, [t0, t1]);
    assert.equal(r.txResults?.[0]?.code, 0);
    assert.equal(r.txResults?.[1]?.code, 11);
    assert.match(r.txResults?.[1]?.log ?? "", /block gas limit reached/);
    assert.equal(balance(app, bob.address), 1n, "the second send did not execute");
  });

  test("the block gas limit counts a tx that ran out of gas at its declared gas, as PrepareProposal planned", async () => {
    const app = open(tmpDb());
    app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 300_000n } } as never, validators: [], appStateBytes: genesis([alice, carol]), initialHeight: 1n });
    // 30 sends with a 20,000 gas limit run out of gas (the tx's size alone costs more); 20,000 + 280,000 = max_gas
    const a = await signTx(alice, Array.from({ length: 30 }, () => sendMsg(alice.address, bob.address, "1")), { chainId: CHAIN, accountNumber: 0n, sequence: 0n, gas: 20_000n });
    const b = await signTx(carol, [sendMsg(carol.address, bob.address, "7")], { chainId: CHAIN, accountNumber: 1n, sequence: 0n, gas: 280_000n });
    assert.deepEqual(app.prepareProposal({ maxTxBytes: 1_000_000n, txs: [a, b], localLastCommit: { round: 0, votes: [] }, misbehavior: [], height: 1n, time: { seconds: 0n, nanos: 0 }, nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array() }).txs, [a, b]);
    const r = block(app, 1n, [a, b]);
    assert.equal(r.txResults?.[0]?.code, 11, "the first ran out of gas");
    assert.ok((r.txResults?.[0]?.gasUsed ?? 0n) > 20_000n, "and used more than it declared");
    assert.equal(r.txResults?.[1]?.code, 0, r.txResults?.[1]?.log);
    assert.equal(balance(app, bob.address), 7n, "the second executed");
  });

  test("timeout_timestamp: a tx past its deadline is refused with code 42; a tx over 1 MiB with code 21", async () => {
    const app = open(tmpDb());
    init(app, [alice]);
    block(app, 1n, []);
    const late = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n, timeoutTimestamp: new Date(1_600_000_000_000) });
    const r = app.checkTx({ tx: late, type: 0 });
    assert.deepEqual([r.code, r.codespace], [42, "sdk"]);
    const big = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n, memo: "m".repeat(1_100_000) });
    assert.deepEqual([app.checkTx({ tx: big, type: 0 }).code], [21], "over max tx bytes");
    const ok = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], { chainId: CHAIN, accountNumber: 0n, sequence: 0n, timeoutTimestamp: new Date(1_900_000_000_000) });
    assert.equal(app.checkTx({ tx: ok, type: 0 }).code, 0);
  });

  test("a missing account answers the SDK's NotFound text; an unknown path and a future height are errors", () => {
    const app = open(tmpDb());
    init(app, [alice]);
    block(app, 1n, []);
    const r = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address: bob.address }).finish(), height: 0n, prove: false });
    assert.equal(r.code, 22);
    assert.match(r.log ?? "", /rpc error: code = NotFound/);
    assert.equal(app.query({ path: "/nope", data: new Uint8Array(), height: 0n, prove: false }).code, 6);
    assert.equal(app.query({ path: "/cosmos.bank.v1beta1.Query/TotalSupply", data: new Uint8Array(), height: 5n, prove: false }).code, 26);
  });

  test("a garbage genesis app_state is refused and changes nothing", () => {
    const path = tmpDb();
    const app = open(path);
    for (const bad of ["{not json", "[1,2]", JSON.stringify({ bank: { balances: [{ address: "cosmos1xyz", coins: [] }] } }), JSON.stringify({ nosuchmodule: {} }), JSON.stringify({ leasing: { params: { maxClosesPerBlock: "0" } } }), JSON.stringify({ staking: { validators: "x" } }), JSON.stringify({ bank: { balances: [{ address: alice.address, coins: [{ denom: "utrust", amount: "-5" }] }] } })]) {
      assert.throws(() => app.initChain({ time: { seconds: 0n, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(bad), initialHeight: 1n }), /genesis app_state/);
    }
    const fresh = StateStore.open(path);
    assert.equal(fresh.lastHeight, 0n);
  });

  test("replay determinism: an app reopened from disk before every block computes the same app hashes", async () => {
    const keys = await Promise.all([1, 2, 3, 4, 5].map(testKey));
    const a = open(tmpDb());
    const pathB = tmpDb();
    let b = open(pathB);
    assert.deepEqual(init(a, keys), init(b, keys));
    const seqs = new Map<string, bigint>();
    for (let h = 1n; h <= 12n; h++) {
      const txs: Uint8Array[] = [];
      for (let i = 0; i < 4; i++) {
        const from = keys[(Number(h) + i) % keys.length] as TestKey;
        const to = keys[(Number(h) * 3 + i) % keys.length] as TestKey;
        const seq = seqs.get(from.address) ?? 0n;
        seqs.set(from.address, seq + 1n);
        txs.push(await signTx(from, [sendMsg(from.address, to.address, String(1 + Number(h) * 7 + i))], { chainId: CHAIN, accountNumber: BigInt(keys.indexOf(from)), sequence: seq }));
      }
      const ra = block(a, h, txs);
      const rb = block(b, h, txs);
      assert.deepEqual(rb.appHash, ra.appHash, `app hash at height ${h}`);
      assert.ok(ra.txResults?.every((r) => r.code === 0), ra.txResults?.map((r) => r.log).join("; "));
      b = open(pathB); // as after a crash: state comes from SQLite only
    }
  });
});
