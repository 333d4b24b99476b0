// Strict, non-recursive decoding (issue 16): the SDK's unknown-field rules, no groups, capped depth, on real SQLite.
import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BinaryWriter } from "cosmjs-types/binary";
import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { StateStore } from "../../store/index.ts";
import { MAX_PROTO_DEPTH, ProtoScanError, scanMessage } from "../../sdk/proto-scan.ts";
import { TrustNetApp, type AppLogger } from "../trustnet-app.ts";
import { authInfoBytes, registry, sendMsg, signDirect, signTx, testKey, type SignOptions, type TestKey } from "../testing/tx-builder.ts";
import * as S from "../../sdk/tx/schemas.ts";

const CHAIN = "trustnet-local-1";
const BALANCE = "/cosmos.bank.v1beta1.Query/Balance";
const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";

interface Logged { level: string; msg: string }

function open(opts: { simulateGasLimit?: bigint } = {}): { app: TrustNetApp; logs: Logged[] } {
  const logs: Logged[] = [];
  const rec = (level: string) => (o: object | string, msg?: string): void => { logs.push({ level, msg: msg ?? String(o) }); };
  const logger: AppLogger = { info: rec("info"), warn: rec("warn"), error: rec("error") };
  const store = StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-strict-")), "state.db"));
  return { app: new TrustNetApp({ store, logger, checkInvariants: true, ...opts }), logs };
}

function init(app: TrustNetApp, funded: readonly TestKey[]): void {
  const appState = {
    auth: { accounts: funded.map((k) => ({ address: k.address })) },
    bank: { balances: funded.map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "1000000000" }] })) },
  };
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(appState)), initialHeight: 1n });
}

function block(app: TrustNetApp, height: bigint, txs: Uint8Array[]) {
  const r = app.finalizeBlock({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  app.commit();
  return r;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
/** Field `no` as a start group … end group nested `depth` deep (wire types 3 and 4). */
function nestedGroup(no: number, depth: number): Uint8Array {
  const start = new BinaryWriter().uint32((no << 3) | 3).finish();
  const end = new BinaryWriter().uint32((no << 3) | 4).finish();
  const out = new Uint8Array((start.length + end.length) * depth);
  for (let i = 0; i < depth; i++) { out.set(start, i * start.length); out.set(end, out.length - (i + 1) * end.length); }
  return out;
}
const field = (no: number, wire: number, payload: Uint8Array | number): Uint8Array => {
  const w = new BinaryWriter().uint32((no << 3) | wire);
  if (typeof payload === "number") w.uint64(BigInt(payload));
  else w.bytes(payload);
  return w.finish();
};
const bodyOf = (msgs: ReturnType<typeof sendMsg>[], memo = ""): Uint8Array => registry.encodeTxBody({ messages: msgs, memo });

describe("strict decoding", async () => {
  const alice = await testKey(1);
  const bob = await testKey(2);
  const o: SignOptions = { chainId: CHAIN, accountNumber: 0n, sequence: 0n };
  const send = sendMsg(alice.address, bob.address, "7");

  test("a 10,000-deep group appended to a valid signed TxRaw: code 2 at CheckTx and in a block, at any stack depth", async () => {
    const { app, logs } = open();
    init(app, [alice]);
    block(app, 1n, []);
    const valid = await signTx(alice, [send], o);
    const evil = concat(valid, nestedGroup(9, 10_000));
    const r = app.checkTx({ tx: evil, type: 0 });
    assert.deepEqual([r.code, r.codespace], [2, "sdk"], r.log);
    assert.match(r.log ?? "", /group/);
    // The same answer with almost no stack left (the old recursive skip failed or not depending on the stack).
    const deep = (n: number): number | undefined => (n === 0 ? app.checkTx({ tx: evil, type: 0 }).code : deep(n - 1));
    assert.equal(deep(5_000), 2);
    const fb = block(app, 2n, [evil, valid]);
    assert.deepEqual(fb.txResults?.map((t) => t.code), [2, 0]);
    assert.deepEqual(logs.filter((l) => l.level === "error"), []);
  });

  test("TxRaw: unknown fields, a repeated body, fields out of order, non-minimal lengths are all code 2", async () => {
    const { app } = open();
    init(app, [alice]);
    block(app, 1n, []);
    const valid = await signTx(alice, [send], o);
    const raw = TxRaw.decode(valid);
    const b = field(1, 2, raw.bodyBytes), a = field(2, 2, raw.authInfoBytes), s = field(3, 2, raw.signatures[0] as Uint8Array);
    const nonMinimal = concat(Uint8Array.of(0x0a, 0x80 | raw.bodyBytes.length, 0x00), raw.bodyBytes, a, s);
    const cases: [string, Uint8Array][] = [
      ["unknown varint field", concat(valid, field(4, 0, 1))],
      ["unknown non-critical field", concat(valid, field(1025, 0, 1))],
      ["body twice", concat(b, b, a, s)],
      ["auth info before body", concat(a, b, s)],
      ["non-minimal length", nonMinimal],
      ["huge varint", concat(valid, Uint8Array.of(0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f))],
      ["truncated", valid.subarray(0, valid.length - 3)],
      ["end group alone", concat(valid, Uint8Array.of(0x0c))],
    ];
    for (const [what, tx] of cases) {
      const r = app.checkTx({ tx, type: 0 });
      assert.deepEqual([r.code, r.codespace], [2, "sdk"], `${what}: ${r.log}`);
    }
    assert.equal(app.checkTx({ tx: valid, type: 0 }).code, 0, "the untouched tx still passes");
  });

  test("TxBody: a critical unknown field, a repeated memo, a group are code 2; a non-critical unknown field passes", async () => {
    const { app } = open();
    init(app, [alice, bob]);
    block(app, 1n, []);
    const body = bodyOf([send], "hi");
    const bad: [string, Uint8Array][] = [
      ["critical unknown field 6", concat(body, field(6, 0, 1))],
      ["critical unknown field 1000", concat(body, field(1000, 2, Uint8Array.of(1)))],
      ["memo repeated", concat(body, field(2, 2, new TextEncoder().encode("again")))],
      ["group in the body", concat(body, nestedGroup(1025, 3))],
      ["wire type 2 where a varint goes", concat(body, field(3, 2, Uint8Array.of(1)))],
      ["invalid UTF-8 memo", concat(bodyOf([send]), field(2, 2, Uint8Array.of(0xff, 0xfe)))],
    ];
    for (const [what, bytes] of bad) {
      const r = app.checkTx({ tx: await signDirect(alice, bytes, o), type: 0 });
      assert.deepEqual([r.code, r.codespace], [2, "sdk"], `${what}: ${r.log}`);
    }
    const nonCritical = await signDirect(alice, concat(body, field(1025, 0, 1), field(2047 + 2048, 2, Uint8Array.of(1, 2))), o);
    const r = app.checkTx({ tx: nonCritical, type: 0 });
    assert.equal(r.code, 0, r.log);
  });

  test("Any: a known type URL whose value has extra fields, a group or a nested Any deeper than 100 is code 2", async () => {
    const { app } = open();
    init(app, [alice]);
    block(app, 1n, []);
    const value = MsgSend.encode(MsgSend.fromPartial({ fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: "utrust", amount: "1" }] })).finish();
    const anyOf = (v: Uint8Array): Uint8Array => TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: v }] })).finish();
    for (const [what, v] of [
      ["extra field", concat(value, field(9, 0, 1))],
      ["from_address twice", concat(value, field(1, 2, new TextEncoder().encode(alice.address)))],
      ["extra field inside a coin", concat(value, field(3, 2, concat(field(1, 2, new TextEncoder().encode("utrust")), field(2, 2, new TextEncoder().encode("1")), field(3, 0, 1))))],
      ["group", concat(value, nestedGroup(9, 50))],
    ] as [string, Uint8Array][]) {
      const r = app.checkTx({ tx: await signDirect(alice, anyOf(v), o), type: 0 });
      assert.deepEqual([r.code, r.codespace], [2, "sdk"], `${what}: ${r.log}`);
    }
    // ModeInfo.Multi nests ModeInfo: 120 levels is over the cap.
    let mode = field(1, 2, field(1, 0, 1));
    for (let i = 0; i < 120; i++) mode = field(2, 2, field(2, 2, mode));
    const fee = AuthInfo.encode(AuthInfo.fromPartial({ fee: { amount: [{ denom: "utrust", amount: "5000" }], gasLimit: 200_000n } })).finish();
    const deep = await signDirect(alice, bodyOf([send]), o, concat(field(1, 2, field(2, 2, mode)), fee));
    const r = app.checkTx({ tx: deep, type: 0 });
    assert.equal(r.code, 2, r.log);
    assert.match(r.log ?? "", /nested deeper than 100/);
  });

  test("the scan itself: iterative (a 1,000,000-deep group fails fast), depth capped at 100 exactly", () => {
    assert.throws(() => scanMessage(nestedGroup(1, 1_000_000), S.TxRaw), ProtoScanError);
    const chain = (levels: number): Uint8Array => {
      let m = field(1, 2, field(1, 0, 1)); // ModeInfo{single{mode}} = depth 2 below ModeInfo
      for (let i = 0; i < levels; i++) m = field(2, 2, field(2, 2, m));
      return m;
    };
    const ModeInfo = (S.AuthInfo.fields.get(1)?.message?.().fields.get(2)?.message?.()) ?? assert.fail("schema");
    // ModeInfo(1) → single(2) → … each loop adds Multi + ModeInfo (2 levels).
    assert.doesNotThrow(() => scanMessage(chain(48), ModeInfo), "depth 1 + 96 + 1 = 98");
    assert.doesNotThrow(() => scanMessage(chain(49), ModeInfo), "depth 100");
    assert.throws(() => scanMessage(chain(50), ModeInfo), /nested deeper than 100/);
    assert.equal(MAX_PROTO_DEPTH, 100);
  });

  test("timeout_timestamp out of range: code 18 before any signature check and with no error-level log", async () => {
    const { app, logs } = open();
    init(app, [alice]);
    block(app, 1n, []);
    let h = 2n;
    for (const seconds of [253_402_300_800n, -62_135_596_801n, 9_000_000_000_000_000n]) {
      const body = TxBody.encode({ ...TxBody.decode(bodyOf([send])), timeoutTimestamp: { seconds, nanos: 0 } }).finish();
      const unsigned = TxRaw.encode({ bodyBytes: body, authInfoBytes: authInfoBytes(alice, o), signatures: [new Uint8Array(64)] }).finish();
      for (const tx of [unsigned, await signDirect(alice, body, o)]) {
        const r = app.checkTx({ tx, type: 0 });
        assert.deepEqual([r.code, r.codespace], [18, "sdk"], r.log);
        assert.match(r.log ?? "", /timeout timestamp out of range/);
      }
      const fb = block(app, h++, [unsigned]);
      assert.equal(fb.txResults?.[0]?.code, 18);
    }
    assert.deepEqual(logs.filter((l) => l.level === "error"), []);
  });

  test("more than 100 messages in one tx is code 18, in CheckTx and in simulate", async () => {
    const { app } = open();
    init(app, [alice]);
    block(app, 1n, []);
    const tx = await signTx(alice, Array.from({ length: 101 }, () => send), { ...o, gas: 5_000_000n });
    const r = app.checkTx({ tx, type: 0 });
    assert.deepEqual([r.code, r.codespace], [18, "sdk"], r.log);
    const sim = app.query({ path: SIMULATE, data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false });
    assert.equal(sim.code, 18, sim.log);
    const ok = await signTx(alice, Array.from({ length: 100 }, () => send), { ...o, gas: 5_000_000n });
    assert.equal(app.checkTx({ tx: ok, type: 0 }).code, 0);
  });

  test("simulate: capped by the simulate gas limit (code 11); gas used equals delivery's, signed or not", async () => {
    const { app } = open({ simulateGasLimit: 60_000n });
    init(app, [alice]);
    block(app, 1n, []);
    const heavy = await signTx(alice, Array.from({ length: 50 }, () => send), { ...o, gas: 5_000_000n });
    const over = app.query({ path: SIMULATE, data: SimulateRequest.encode({ txBytes: heavy }).finish(), height: 0n, prove: false });
    assert.deepEqual([over.code, over.codespace], [11, "sdk"], over.log);

    const { app: app2 } = open();
    init(app2, [alice]);
    block(app2, 1n, []);
    const tx = await signTx(alice, [send], o);
    const sim = app2.query({ path: SIMULATE, data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false });
    assert.equal(sim.code, 0, sim.log);
    const simGas = SimulateResponse.decode(sim.value as Uint8Array).gasInfo?.gasUsed;
    const raw = TxRaw.decode(tx);
    const unsigned = TxRaw.encode({ ...raw, signatures: [new Uint8Array()] }).finish();
    const simU = app2.query({ path: SIMULATE, data: SimulateRequest.encode({ txBytes: unsigned }).finish(), height: 0n, prove: false });
    assert.equal(SimulateResponse.decode(simU.value as Uint8Array).gasInfo?.gasUsed, simGas, "an empty signature is charged as a 64-byte one");
    const delivered = block(app2, 2n, [tx]).txResults?.[0];
    assert.equal(delivered?.code, 0);
    assert.equal(delivered.gasUsed, simGas);
  });

  test("a bug (not an AppError) in a tx: CheckTx answers code 1 with an error log; FinalizeBlock throws, a deliberate halt", async () => {
    const { app, logs } = open();
    init(app, [alice]);
    block(app, 1n, []);
    const tx = await signTx(alice, [send], o);
    const bank = app.keepers.bank as unknown as { sendCoins: (...a: unknown[]) => void };
    bank.sendCoins = () => { throw new TypeError("a bug"); };
    const r = app.checkTx({ tx, type: 0 });
    assert.deepEqual([r.code, r.codespace, r.log], [1, "sdk", "internal error"]);
    assert.equal(logs.filter((l) => l.level === "error").length, 1);
    assert.throws(() => block(app, 2n, [tx]), /a bug/);
  });

  test("query data: the issue's 0xff… Balance, unknown fields, groups, 1 MiB, bad heights, prove=true all answer codes", () => {
    const { app, logs } = open();
    init(app, [alice]);
    block(app, 1n, []);
    block(app, 2n, []);
    const q = (data: Uint8Array, extra: { height?: bigint; prove?: boolean; path?: string } = {}) =>
      app.query({ path: extra.path ?? BALANCE, data, height: extra.height ?? 0n, prove: extra.prove ?? false });
    const good = QueryBalanceRequest.encode({ address: alice.address, denom: "utrust" }).finish();
    assert.equal(q(good).code, 0);
    const ff = q(new Uint8Array(11).fill(0xff));
    assert.deepEqual([ff.code, ff.codespace], [2, "sdk"], ff.log);
    assert.equal(q(concat(good, field(3, 0, 1))).code, 2, "unknown field");
    assert.equal(q(concat(good, field(1, 2, new TextEncoder().encode("x")))).code, 2, "address twice");
    assert.equal(q(concat(good, nestedGroup(5, 10_000))).code, 2, "deep group");
    assert.equal(q(concat(good, field(1025, 0, 1))).code, 2, "non-critical fields are not allowed in queries");
    assert.equal(q(new Uint8Array(1024 * 1024).fill(0x41)).code, 2, "1 MiB of junk");
    const big = q(QueryBalanceRequest.encode({ address: "a".repeat(1024 * 1024), denom: "utrust" }).finish());
    assert.notEqual(big.code, 0, "1 MiB address");
    assert.equal(q(new Uint8Array(2 * 1024 * 1024)).code, 18, "over the query data limit");
    assert.equal(q(good, { height: 99n }).code, 26, "future height");
    assert.equal(q(good, { height: -1n }).code, 26, "negative height");
    const proof = q(good, { prove: true });
    assert.deepEqual([proof.code, proof.codespace], [18, "sdk"]);
    assert.match(proof.log ?? "", /does not support proofs/);
    const sim = q(concat(SimulateRequest.encode({ txBytes: Uint8Array.of(1) }).finish(), nestedGroup(1, 10_000)), { path: SIMULATE });
    assert.equal(sim.code, 2, sim.log);
    const simTx = q(concat(field(1, 2, concat(field(1, 2, field(9, 0, 1))))), { path: SIMULATE });
    assert.equal(simTx.code, 2, simTx.log);
    assert.deepEqual(logs.filter((l) => l.level === "error"), []);
  });
});

test("the scan's UTF-8 rule (node:buffer isUtf8) accepts exactly what a fatal TextDecoder accepts", () => {
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const decodes = (b: Uint8Array): boolean => { try { fatal.decode(b); return true; } catch { return false; } };
  const tricky = [
    [], [0x00], [0xef, 0xbb, 0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2, 0x80], [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80],
    [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xee, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
    [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff],
    [0xe2, 0x82], [0xe2, 0x82, 0xac], [0x80], [0x61, 0xc3], [0xf0, 0x9f, 0x98, 0x80, 0x61],
  ].map((a) => Uint8Array.from(a));
  let x = 0x1234567;
  const next = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  const random = Array.from({ length: 20_000 }, () => Uint8Array.from({ length: next() % 12 }, () => {
    const r = next() % 8; // mostly lead and continuation bytes, where the rules live
    return r < 2 ? next() % 0x80 : r < 5 ? 0x80 + (next() % 0x40) : 0xc0 + (next() % 0x40);
  }));
  let valid = 0;
  for (const b of [...tricky, ...random]) {
    assert.equal(isUtf8(b), decodes(b), `bytes ${Buffer.from(b).toString("hex")}`);
    if (decodes(b)) valid++;
  }
  assert.ok(valid > 1000 && valid < 20_000, `both kinds covered (${valid} valid)`);
});
