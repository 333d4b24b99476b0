// x/staking through the real app (real SQLite, cosmjs-signed txs, invariants checked after every block).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { QueryDelegationRequest, QueryDelegationResponse, QueryPoolRequest, QueryPoolResponse, QueryValidatorsRequest, QueryValidatorsResponse, QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { testKey } from "../../app/testing/tx-builder.ts";
import { moduleAddress } from "../../sdk/address.ts";
import { ED25519_PUBKEY_TYPE } from "./keeper.ts";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FEE, harness as makeHarness, type HarnessOptions, operator, T0 } from "../../app/testing/staking.ts";
import { valoperAddress } from "./addresses.ts";
import { addressBytes } from "../../sdk/address.ts";

const U = "/cosmos.staking.v1beta1.";
const coin = (amount: bigint | string, denom = "utrust") => ({ denom, amount: String(amount) });
const delegateMsg = (delegatorAddress: string, validatorAddress: string, amount: bigint | string, denom = "utrust"): EncodeObject =>
  ({ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress, validatorAddress, amount: coin(amount, denom) } });
const undelegateMsg = (delegatorAddress: string, validatorAddress: string, amount: bigint): EncodeObject =>
  ({ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress, validatorAddress, amount: coin(amount) } });
const redelegateMsg = (delegatorAddress: string, validatorSrcAddress: string, validatorDstAddress: string, amount: bigint): EncodeObject =>
  ({ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress, validatorSrcAddress, validatorDstAddress, amount: coin(amount) } });
const E18 = 10n ** 18n;
const createMsg = (valoper: string, consKey: Uint8Array, o: { amount?: bigint; min?: bigint; rate?: bigint; maxRate?: bigint } = {}): EncodeObject => ({
  typeUrl: `${U}MsgCreateValidator`,
  value: {
    description: { moniker: "new", identity: "", website: "", securityContact: "", details: "" },
    commission: { rate: String(o.rate ?? E18 / 10n), maxRate: String(o.maxRate ?? E18 / 5n), maxChangeRate: String(E18 / 100n) },
    minSelfDelegation: String(o.min ?? 1n), delegatorAddress: "", validatorAddress: valoper,
    pubkey: { typeUrl: ED25519_PUBKEY_TYPE, value: PubKey.encode({ key: consKey }).finish() }, value: coin(o.amount ?? 5_000_000n),
  },
});
const powers = (updates: readonly { pubKey: { ed25519?: Uint8Array }; power: bigint }[]) => updates.map((u) => [Buffer.from(u.pubKey.ed25519 ?? []).toString("hex").slice(0, 8), u.power]);
const hex8 = (k: Uint8Array) => Buffer.from(k).toString("hex").slice(0, 8);

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-staking-")), "state.db");
const harness = (o: Omit<HarnessOptions, "dbPath">) => makeHarness({ ...o, dbPath });

describe("x/staking", async () => {
  const ops = await Promise.all([1, 2, 3].map(operator));
  const alice = await testKey(10);
  const [v0, v1, v2] = ops as [typeof ops[0], typeof ops[0], typeof ops[0]];

  test("InitChain answers the genesis validators (power = self-delegation / 10^6) and refuses a different CometBFT set", async () => {
    const h = await harness({ validators: ops, funded: [alice] });
    assert.deepEqual(powers(h.initValidators).sort(), [[hex8(v0.consKey), 10n], [hex8(v1.consKey), 20n], [hex8(v2.consKey), 30n]].sort());
    await assert.rejects(harness({ validators: ops, funded: [alice], cometValidators: (ours) => ours.map((u) => ({ ...u, power: u.power + 1n })) }), /genesis validators differ/);
    assert.equal(h.block().validatorUpdates.length, 0, "nothing changed: no updates");
    const pool = h.query(`${U}Query/Pool`, QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode).pool;
    assert.deepEqual([pool.bondedTokens, pool.notBondedTokens], ["60000000", "0"]);
  });

  test("delegate changes that validator's power in the same block's updates; undelegate pays back exactly after the unbonding time", async () => {
    const h = await harness({ validators: ops, funded: [alice] });
    h.block();
    const before = h.balance(alice.address);
    const r = await h.run(alice, [delegateMsg(alice.address, v0.valoper, 7_500_000n)]);
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(powers(r.updates), [[hex8(v0.consKey), 17n]]);
    assert.equal(h.balance(alice.address), before - 7_500_000n - FEE());
    assert.equal(h.block().validatorUpdates.length, 0);
    const u = await h.run(alice, [undelegateMsg(alice.address, v0.valoper, 7_500_000n)]);
    assert.equal(u.code, 0, u.log);
    assert.deepEqual(powers(u.updates), [[hex8(v0.consKey), 10n]]);
    const ubd = h.query(`${U}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    assert.equal(ubd.entries[0]?.balance, "7500000");
    const pool = h.query(`${U}Query/Pool`, QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode).pool;
    assert.equal(pool.notBondedTokens, "7500000");
    h.block([], 59n); // 59 s after the undelegation: not yet
    assert.equal(h.balance(alice.address), before - 7_500_000n - 2n * FEE());
    h.block([], 1n); // 60 s: matured
    assert.equal(h.balance(alice.address), before - 2n * FEE(), "every utrust is back");
    assert.equal(h.queryCode(`${U}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish()), 26);
  });

  test("unbond and redelegate events carry completion_time as the SDK's (Go time.RFC3339: whole seconds, Z)", async () => {
    const h = await harness({ validators: ops, funded: [alice], blockNanos: 750_000_000 });
    h.block();
    assert.equal((await h.run(alice, [delegateMsg(alice.address, v0.valoper, 4_000_000n)])).code, 0);
    const txs = [await h.tx(alice, [undelegateMsg(alice.address, v0.valoper, 1_000_000n), redelegateMsg(alice.address, v0.valoper, v1.valoper, 1_000_000n)])];
    const r = h.block(txs);
    assert.equal(r.txResults[0]?.code, 0, r.txResults[0]?.log);
    // The block's time is T0 + clock seconds and 0.75 s; completion is 60 s later, printed without the fraction.
    const done = new Date(Number((T0 + h.clock + 60n) * 1000n)).toISOString().replace(".000Z", "Z");
    assert.match(done, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    const attr = (type: string) => r.txResults[0]?.events.find((e) => e.type === type)?.attributes.find((a) => a.key === "completion_time")?.value;
    assert.equal(attr("unbond"), done);
    assert.equal(attr("redelegate"), done);
  });

  test("max validators: a newcomer with more power pushes the weakest out (power 0) and it starts unbonding", async () => {
    const fresh = await operator(7);
    const h2 = await harness({ validators: [...ops, fresh], funded: [alice], params: { max_validators: 3 } });
    assert.equal(h2.initValidators.length, 3, "only max_validators at genesis");
    assert.ok(!powers(h2.initValidators).some(([k]) => k === hex8(ops[0]!.consKey)), "the weakest genesis validator is not in the set");
    const r = await h2.run(alice, [delegateMsg(alice.address, v0.valoper, 50_000_000n)]);
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(powers(r.updates), [[hex8(v0.consKey), 60n], [hex8(v1.consKey), 0n]]);
    const vals = h2.query(`${U}Query/Validators`, QueryValidatorsRequest.encode({ status: "BOND_STATUS_UNBONDING" }).finish(), QueryValidatorsResponse.decode).validators;
    assert.deepEqual(vals.map((v) => v.operatorAddress), [v1.valoper]);
    const pool = h2.query(`${U}Query/Pool`, QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode).pool;
    assert.equal(pool.notBondedTokens, "20000000");
    h2.block([], 61n);
    const unbonded = h2.query(`${U}Query/Validators`, QueryValidatorsRequest.encode({ status: "BOND_STATUS_UNBONDED" }).finish(), QueryValidatorsResponse.decode).validators;
    assert.deepEqual(unbonded.map((v) => [v.operatorAddress, v.status]), [[v1.valoper, BondStatus.BOND_STATUS_UNBONDED]]);
  });

  test("create-validator by a funded key enters the set; redelegation moves power and the transitive one is refused", async () => {
    const bob = await operator(11);
    const h2 = await harness({ validators: ops, funded: [alice, bob.key] });
    const c = await h2.run(bob.key, [createMsg(bob.valoper, bob.consKey, { amount: 5_000_000n })]);
    assert.equal(c.code, 0, c.log);
    assert.deepEqual(powers(c.updates), [[hex8(bob.consKey), 5n]]);
    const d = await h2.run(alice, [delegateMsg(alice.address, v0.valoper, 4_000_000n)]);
    assert.equal(d.code, 0, d.log);
    const r = await h2.run(alice, [redelegateMsg(alice.address, v0.valoper, bob.valoper, 3_000_000n)]);
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(powers(r.updates).sort(), [[hex8(bob.consKey), 8n], [hex8(v0.consKey), 11n]].sort());
    const t = await h2.run(alice, [redelegateMsg(alice.address, bob.valoper, v2.valoper, 1_000_000n)]);
    assert.deepEqual([t.codespace, t.code], ["staking", 32], t.log);
  });

  test("bad inputs get the SDK codes and change nothing", async () => {
    const h = await harness({ validators: ops, funded: [alice] });
    const nobody = await operator(99);
    h.block();
    const delegation = () => h.app.query({ path: `${U}Query/Delegation`, data: QueryDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish(), height: 0n, prove: false });
    assert.equal((await h.run(alice, [delegateMsg(alice.address, v0.valoper, 1_000_000n)])).code, 0);
    const shares = QueryDelegationResponse.decode(delegation().value as Uint8Array).delegationResponse?.delegation.shares;
    const cases: [string, EncodeObject, string, number][] = [
      ["delegate to a nonexistent validator", delegateMsg(alice.address, nobody.valoper, 1n), "staking", 3],
      ["undelegate more than delegated", undelegateMsg(alice.address, v0.valoper, 1_000_001n), "sdk", 18],
      ["delegate 0", delegateMsg(alice.address, v0.valoper, 0n), "sdk", 18],
      ["delegate another denom", delegateMsg(alice.address, v0.valoper, 5n, "uatom"), "sdk", 18],
      ["redelegate to self", redelegateMsg(alice.address, v0.valoper, v0.valoper, 1n), "sdk", 18],
      ["consensus key in use", createMsg(valoperFor(alice), v1.consKey), "staking", 5],
      ["commission above max rate", createMsg(valoperFor(alice), new Uint8Array(32).fill(9), { rate: E18 / 2n, maxRate: E18 / 5n }), "sdk", 18],
      ["self-delegation below minimum", createMsg(valoperFor(alice), new Uint8Array(32).fill(9), { amount: 10n, min: 11n }), "sdk", 18],
      ["operator already a validator", createMsg(v0.valoper, new Uint8Array(32).fill(8)), "staking", 4],
    ];
    for (const [what, msg, codespace, code] of cases) {
      const key = msg.typeUrl.endsWith("MsgCreateValidator") && (msg.value as { validatorAddress: string }).validatorAddress === v0.valoper ? v0.key : alice;
      const bal = h.balance(key.address);
      const r = await h.run(key, [msg]);
      assert.deepEqual([r.codespace, r.code], [codespace, code], `${what}: ${r.log}`);
      assert.equal(h.balance(key.address), bal - (r.charged ? FEE() : 0n), `${what}: at most the fee is spent`);
      assert.equal(r.updates.length, 0);
    }
    assert.equal(QueryDelegationResponse.decode(delegation().value as Uint8Array).delegationResponse?.delegation.shares, shares);
    const send = await h.run(alice, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice.address, toAddress: moduleAddress("bonded_tokens_pool"), amount: [coin(1n)] } }]);
    assert.deepEqual([send.codespace, send.code], ["sdk", 4], "no sends into a staking pool");
  });

  test("7 unbonding entries per pair; the 8th is refused; cancel-unbonding puts an entry back", async () => {
    const h = await harness({ validators: ops, funded: [alice] });
    h.block();
    assert.equal((await h.run(alice, [delegateMsg(alice.address, v0.valoper, 8_000_000n)])).code, 0);
    for (let i = 0; i < 7; i++) assert.equal((await h.run(alice, [undelegateMsg(alice.address, v0.valoper, 1_000_000n)])).code, 0);
    const r = await h.run(alice, [undelegateMsg(alice.address, v0.valoper, 1_000_000n)]);
    assert.deepEqual([r.codespace, r.code], ["staking", 27], r.log);
    const ubd = h.query(`${U}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    const first = ubd.entries[0];
    assert.ok(first);
    const c = await h.run(alice, [{ typeUrl: `${U}MsgCancelUnbondingDelegation`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(400_000n), creationHeight: first.creationHeight } }]);
    assert.equal(c.code, 0, c.log);
    const after = h.query(`${U}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    assert.equal(after.entries[0]?.balance, "600000");
    const bad = await h.run(alice, [{ typeUrl: `${U}MsgCancelUnbondingDelegation`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(700_000n), creationHeight: first.creationHeight } }]);
    assert.deepEqual([bad.codespace, bad.code], ["sdk", 18], bad.log);
  });

  test("edit-validator: commission once per 24 h and within the max change rate; signed by the operator", async () => {
    const h = await harness({ validators: ops, funded: [alice] });
    h.block();
    const edit = (rate: bigint): EncodeObject => ({ typeUrl: `${U}MsgEditValidator`, value: { description: { moniker: "[do-not-modify]", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" }, validatorAddress: v0.valoper, commissionRate: String(rate), minSelfDelegation: "" } });
    const early = await h.run(v0.key, [edit(E18 / 10n + E18 / 100n)]);
    assert.deepEqual([early.codespace, early.code], ["staking", 12], early.log);
    h.block([], 86_400n);
    const tooMuch = await h.run(v0.key, [edit(E18 / 10n + E18 / 50n)]);
    assert.deepEqual([tooMuch.codespace, tooMuch.code], ["sdk", 18], tooMuch.log);
    const ok = await h.run(v0.key, [edit(E18 / 10n + E18 / 100n)]);
    assert.equal(ok.code, 0, ok.log);
    const notOperator = await h.block([await h.tx(alice, [edit(E18 / 10n)])]).txResults[0];
    // The operator's account must sign: alice's signature does not match its key (the SDK's ErrInvalidPubKey).
    assert.deepEqual([notOperator?.codespace, notOperator?.code], ["sdk", 8], "only the operator signs its edit");
  });
});

function valoperFor(k: { address: string }): string {
  return valoperAddress(addressBytes(k.address));
}
