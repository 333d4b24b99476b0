// Staking queries (pagination, filters, errors) and genesis validation/export, through the real app.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  QueryDelegationRequest, QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse,
  QueryRedelegationsRequest, QueryRedelegationsResponse, QueryValidatorDelegationsRequest, QueryValidatorDelegationsResponse,
  QueryValidatorUnbondingDelegationsRequest, QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { QueryHistoricalInfoRequest, QueryHistoricalInfoResponse, QueryParamsRequest, QueryParamsResponse, QueryValidatorRequest, QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { testKey } from "../../app/testing/tx-builder.ts";
import { TrustNetApp } from "../../app/trustnet-app.ts";
import { Branch, StateStore } from "../../store/index.ts";
import { stakingGenesisJson, type StakingGenesis } from "./genesis.ts";
import { genesisJson, harness, operator } from "../../app/testing/staking.ts";
import { valoperBytes } from "./addresses.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-staking-q-")), "state.db");
const U = "/cosmos.staking.v1beta1.Query/";

describe("staking queries and genesis", async () => {
  const ops = await Promise.all([1, 2, 3, 4, 5].map(operator));
  const alice = await testKey(10);

  test("Validators: status filter, key pagination, count_total; bad status and limit are refused", async () => {
    const h = await harness({ validators: ops, funded: [alice], params: { max_validators: 3 }, dbPath });
    h.block();
    const page = (status: string, key?: Uint8Array, countTotal = false) => h.query(`${U}Validators`, QueryValidatorsRequest.encode({ status, pagination: { key: key ?? new Uint8Array(), offset: 0n, limit: 2n, countTotal, reverse: false } }).finish(), QueryValidatorsResponse.decode);
    const p1 = page("", undefined, true);
    assert.equal(p1.validators.length, 2);
    assert.equal(p1.pagination?.total, 5n);
    const p2 = page("", p1.pagination?.nextKey);
    const p3 = page("", p2.pagination?.nextKey);
    const all = [...p1.validators, ...p2.validators, ...p3.validators].map((v) => v.operatorAddress);
    const raw = (a: string) => Buffer.from(valoperBytes(a)).toString("hex");
    assert.deepEqual(all.map(raw), all.map(raw).sort(), "in store (address byte) order");
    assert.equal(new Set(all).size, 5);
    assert.equal(p3.pagination?.nextKey.length, 0);
    const bonded = h.query(`${U}Validators`, QueryValidatorsRequest.encode({ status: "BOND_STATUS_BONDED" }).finish(), QueryValidatorsResponse.decode).validators;
    assert.equal(bonded.length, 3, "max_validators bonded");
    assert.equal(h.queryCode(`${U}Validators`, QueryValidatorsRequest.encode({ status: "BONDED" }).finish()), 18);
    assert.equal(h.queryCode(`${U}Validators`, QueryValidatorsRequest.encode({ status: "", pagination: { key: new Uint8Array(), offset: 0n, limit: 5000n, countTotal: false, reverse: false } }).finish()), 18);
    assert.equal(h.queryCode(`${U}Validator`, QueryValidatorRequest.encode({ validatorAddr: alice.address }).finish()), 7, "a trust1 address is not a validator address");
    const params = h.query(`${U}Params`, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode).params;
    assert.deepEqual([params.maxValidators, params.maxEntries, params.bondDenom, params.unbondingTime.seconds], [3, 7, "utrust", 60n]);
  });

  test("delegation, unbonding and redelegation queries by delegator and by validator", async () => {
    const h = await harness({ validators: ops.slice(0, 3), funded: [alice], dbPath });
    const [a, b] = ops as [typeof ops[0], typeof ops[0]];
    h.block();
    const S = "/cosmos.staking.v1beta1.";
    const coin = (n: string) => ({ denom: "utrust", amount: n });
    assert.equal((await h.run(alice, [{ typeUrl: `${S}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("3000000") } }])).code, 0);
    assert.equal((await h.run(alice, [{ typeUrl: `${S}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("1000000") } }])).code, 0);
    assert.equal((await h.run(alice, [{ typeUrl: `${S}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: a.valoper, validatorDstAddress: b.valoper, amount: coin("500000") } }])).code, 0);
    const vd = h.query(`${U}ValidatorDelegations`, QueryValidatorDelegationsRequest.encode({ validatorAddr: a.valoper }).finish(), QueryValidatorDelegationsResponse.decode).delegationResponses;
    assert.deepEqual(vd.map((d) => [d.delegation.delegatorAddress, d.balance.amount]).sort(), [[a.key.address, "10000000"], [alice.address, "1500000"]].sort());
    const dd = h.query(`${U}DelegatorDelegations`, QueryDelegatorDelegationsRequest.encode({ delegatorAddr: alice.address }).finish(), QueryDelegatorDelegationsResponse.decode).delegationResponses;
    assert.deepEqual(dd.map((d) => d.balance.amount).sort(), ["1500000", "500000"]);
    const vu = h.query(`${U}ValidatorUnbondingDelegations`, QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: a.valoper }).finish(), QueryValidatorUnbondingDelegationsResponse.decode).unbondingResponses;
    assert.equal(vu[0]?.entries[0]?.balance, "1000000");
    const reds = h.query(`${U}Redelegations`, QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: "", dstValidatorAddr: "" }).finish(), QueryRedelegationsResponse.decode).redelegationResponses;
    assert.deepEqual(reds.map((r) => [r.redelegation.validatorSrcAddress, r.redelegation.validatorDstAddress, r.entries[0]?.balance]), [[a.valoper, b.valoper, "500000"]]);
    const one = h.query(`${U}Redelegations`, QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: a.valoper, dstValidatorAddr: b.valoper }).finish(), QueryRedelegationsResponse.decode).redelegationResponses;
    assert.equal(one.length, 1);
    assert.equal(h.queryCode(`${U}Redelegations`, QueryRedelegationsRequest.encode({ delegatorAddr: alice.address, srcValidatorAddr: b.valoper, dstValidatorAddr: a.valoper }).finish()), 28);
    const dv = h.query(`${U}DelegatorValidators`, QueryDelegatorValidatorsRequest.encode({ delegatorAddr: alice.address }).finish(), QueryDelegatorValidatorsResponse.decode).validators;
    assert.deepEqual(dv.map((v) => v.operatorAddress).sort(), [a.valoper, b.valoper].sort());
    assert.equal(h.queryCode(`${U}Delegation`, QueryDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: (ops[2] as typeof a).valoper }).finish()), 19);
  });

  test("HistoricalInfo keeps the bonded set per height and prunes beyond historical_entries", async () => {
    const h = await harness({ validators: ops.slice(0, 2), funded: [alice], params: { historical_entries: 3 }, dbPath });
    for (let i = 0; i < 5; i++) h.block();
    const hist = h.query(`${U}HistoricalInfo`, QueryHistoricalInfoRequest.encode({ height: 5n }).finish(), QueryHistoricalInfoResponse.decode).hist;
    assert.equal(hist?.header.height, 5n);
    assert.equal(hist?.valset.length, 2);
    assert.equal(h.queryCode(`${U}HistoricalInfo`, QueryHistoricalInfoRequest.encode({ height: 2n }).finish()), 38, "pruned");
  });

  test("genesis: duplicate keys, bad keys, unfunded operators and unknown fields are refused; export round-trips", async () => {
    const app = (): TrustNetApp => new TrustNetApp({ store: StateStore.open(dbPath()) });
    const init = (g: unknown) => app().initChain({ time: { seconds: 1n, nanos: 0 }, chainId: "c", consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(g)), initialHeight: 1n });
    const good = genesisJson({ validators: ops.slice(0, 2), funded: [alice], dbPath }) as { staking: { validators: Record<string, unknown>[]; params: Record<string, unknown> } };
    const v0 = good.staking.validators[0] as Record<string, unknown>;
    const bad: [string, unknown, RegExp][] = [
      ["duplicate consensus key", { ...good, staking: { ...good.staking, validators: [v0, { ...good.staking.validators[1], consensus_pubkey: v0.consensus_pubkey }] } }, /duplicate genesis validator: validators\[1\]\.consensus_pubkey \S+ is also validators\[0\]'s; two validators may not share one consensus key/],
      ["duplicate operator", { ...good, staking: { ...good.staking, validators: [v0, { ...good.staking.validators[1], operator_address: v0.operator_address }] } }, /duplicate genesis validator: validators\[1\]\.operator_address \S+ is also validators\[0\]'s/],
      ["short key", { ...good, staking: { ...good.staking, validators: [{ ...v0, consensus_pubkey: "AAAA" }] } }, /32 bytes/],
      ["unknown field", { ...good, staking: { ...good.staking, slashing: 1 } }, /unknown field/],
      ["unknown param", { ...good, staking: { ...good.staking, params: { ...good.staking.params, power_reduction: 1 } } }, /unknown field/],
      ["unknown validator field (a misspelt min_self_delegation would default to 1)", { ...good, staking: { ...good.staking, validators: [{ ...v0, min_self_delegaton: "5000000" }] } }, /validators\[0\]: unknown field "min_self_delegaton"/],
      ["unknown commission field (a misspelt max_rate would default to 1)", { ...good, staking: { ...good.staking, validators: [{ ...v0, commission: { rate: "0.1", maxRate: "0.2", max_change_rate: "0.01" } }] } }, /commission: unknown field "maxRate"/],
      ["unknown description field", { ...good, staking: { ...good.staking, validators: [{ ...v0, description: { moniker: "m", securityContact: "x" } }] } }, /description: unknown field "securityContact"/],
      ["an unbonding time beyond Go's Duration (every undelegation would fail to state its completion time)", { ...good, staking: { ...good.staking, params: { ...good.staking.params, unbonding_time: "999999999999h" } } }, /unbonding_time must be at most/],
      ["rate above max", { ...good, staking: { ...good.staking, validators: [{ ...v0, commission: { rate: "0.5", max_rate: "0.2", max_change_rate: "0.01" } }] } }, /rate <= max_rate/],
      ["zero self delegation", { ...good, staking: { ...good.staking, validators: [{ ...v0, self_delegation: "0" }] } }, /positive integer/],
    ];
    for (const [what, g, re] of bad) assert.throws(() => init(g), re, what);
    const unfunded = { ...good, bank: { balances: [] } };
    assert.throws(() => init(unfunded), /insufficient funds|spendable balance|unknown denom/, "a genesis validator must be funded in bank");
    const store = StateStore.open(dbPath());
    const a = new TrustNetApp({ store });
    a.initChain({ time: { seconds: 1n, nanos: 0 }, chainId: "c", consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(good)), initialHeight: 1n });
    a.finalizeBlock({ txs: [], height: 1n, time: { seconds: 2n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    a.commit();
    const handler = a.modules.find((m) => m.name === "staking")?.genesis;
    assert.ok(handler);
    const byOp = (g: unknown) => {
      const j = stakingGenesisJson(g as StakingGenesis) as { params: unknown; validators: { operator_address: string }[] };
      return { ...j, validators: [...j.validators].sort((x, y) => (x.operator_address < y.operator_address ? -1 : 1)) };
    };
    assert.deepEqual(byOp(handler.exportGenesis({ store: new Branch(store), height: 1n, chainId: "c" })), byOp(handler.validateGenesis(good.staking)));
  });
});
