// The distribution and mint REST routes against a fake query router: LegacyDec text, 404 for distribution's
// not-found codes, 400 for a bad address before any query. ValidatorDistributionInfo through the real app (real
// SQLite, signed blocks): the ABCI path, the gateway route and the CLI query against DelegationRewards and
// ValidatorCommission, and its errors.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryParamsResponse, QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse, QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryInflationResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { moduleCliQueries } from "../app/modules.ts";
import { harness, operator, type Harness, type Operator } from "../app/testing/staking.ts";
import { testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { type AbciQuery, runCliQuery } from "../sdk/client/cli-query.ts";
import { decText } from "../sdk/client/json.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const VALOPER = "trustvaloper1gwvpscf2lcfjk2jzug00krz7y85mcsnr4l0kcx";

function fakeQuery(req: RequestQuery): Partial<ResponseQuery> {
  const ok = (value: Uint8Array): Partial<ResponseQuery> => ({ code: 0, height: 9n, value });
  switch (req.path) {
    case "/cosmos.distribution.v1beta1.Query/Params":
      return ok(QueryParamsResponse.encode({ params: { communityTax: "20000000000000000", baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: true } }).finish());
    case "/cosmos.distribution.v1beta1.Query/CommunityPool":
      return ok(QueryCommunityPoolResponse.encode({ pool: [{ denom: "utrust", amount: "1500000000000000000" }] }).finish());
    case "/cosmos.distribution.v1beta1.Query/ValidatorCommission":
      return { code: 12, log: `${VALOPER}: validator does not exist` };
    case "/cosmos.distribution.v1beta1.Query/ValidatorSlashes":
      return ok(QueryValidatorSlashesResponse.encode({ slashes: [{ validatorPeriod: 3n, fraction: "10000000000000000" }, { validatorPeriod: 7n, fraction: "500000000000000000" }], pagination: { nextKey: new Uint8Array(), total: 0n } }).finish());
    case "/cosmos.mint.v1beta1.Query/Inflation":
      return ok(QueryInflationResponse.encode({ inflation: new TextEncoder().encode("130000000000000000") }).finish());
    default:
      return { code: 6, log: "unknown query path" };
  }
}

describe("REST distribution and mint routes", () => {
  let server: Server;
  let rpc: Server;
  let url: string;
  before(async () => {
    rpc = createServer((_q, res) => res.end("{}"));
    await new Promise<void>((r) => rpc.listen(0, "127.0.0.1", r));
    const { app } = createRestApp({ query: fakeQuery, rpcUrl: `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rpc.close();
  });
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  test("decimals as the gateway's LegacyDec text", async () => {
    assert.deepEqual((await get("/cosmos/distribution/v1beta1/params")).body, { params: { community_tax: "0.020000000000000000", base_proposer_reward: "0.000000000000000000", bonus_proposer_reward: "0.000000000000000000", withdraw_addr_enabled: true } });
    assert.deepEqual((await get("/cosmos/distribution/v1beta1/community_pool")).body, { pool: [{ denom: "utrust", amount: "1.500000000000000000" }] });
    assert.deepEqual((await get("/cosmos/mint/v1beta1/inflation")).body, { inflation: "0.130000000000000000" });
  });

  test("`query distribution slashes -o json` is the /slashes body without pagination: {slashes: [{validator_period, fraction}]}, fractions as LegacyDec text", async () => {
    const q = moduleCliQueries().find((m) => m.module === "distribution")?.queries.find((x) => x.name === "slashes") ?? assert.fail("distribution declares slashes");
    const cli = await runCliQuery(q, async (path, data) => fakeQuery({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), { validator: VALOPER });
    const rest = await get(`/cosmos/distribution/v1beta1/validators/${VALOPER}/slashes`);
    const { pagination: _p, ...body } = rest.body;
    assert.deepEqual(cli.json, body);
    assert.deepEqual(cli.json, { slashes: [{ validator_period: "3", fraction: "0.010000000000000000" }, { validator_period: "7", fraction: "0.500000000000000000" }] });
    assert.equal(cli.text, "period 3: slashed 0.010000000000000000\nperiod 7: slashed 0.500000000000000000", "the text output is unchanged");
  });

  test("a missing validator is 404 with the app's message; a malformed address is 400", async () => {
    const r = await get(`/cosmos/distribution/v1beta1/validators/${VALOPER}/commission`);
    assert.equal(r.status, 404);
    assert.match(String(r.body.message), /validator does not exist/);
    assert.equal((await get("/cosmos/distribution/v1beta1/validators/trust1nope/commission")).status, 400);
  });
});

describe("ValidatorDistributionInfo over the real app", () => {
  const D = "/cosmos.distribution.v1beta1.Query/";
  const root = mkdtempSync(join(tmpdir(), "tn-distr-info-"));
  let dbs = 0;
  let h: Harness;
  let v0: Operator;
  let v1: Operator;
  let alice: TestKey;
  let server: Server;
  let url: string;
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const raw = (path: string, data: Uint8Array) => h.app.query({ path, data, height: 0n, prove: false });
  const info = (valoper: string) => raw(`${D}ValidatorDistributionInfo`, QueryValidatorDistributionInfoRequest.encode({ validatorAddress: valoper }).finish());

  before(async () => {
    [v0, v1] = await Promise.all([71, 72].map(operator)) as [Operator, Operator];
    alice = await testKey(73);
    h = await harness({ validators: [v0, v1], funded: [alice], signing: true, dbPath: () => join(root, `state-${dbs++}.db`) });
    h.block();
    // alice delegates to v1, then v1's operator takes back its whole self-delegation: v1 stays (alice's stake) with none of its own
    const del = await h.run(alice, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: alice.address, validatorAddress: v1.valoper, amount: { denom: "utrust", amount: "3000000" } } }]);
    assert.equal(del.code, 0, del.log);
    const und = await h.run(v1.key, [{ typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress: v1.key.address, validatorAddress: v1.valoper, amount: { denom: "utrust", amount: "20000000" } } }]);
    assert.equal(und.code, 0, und.log);
    for (let i = 0; i < 5; i++) h.block();
    const { app } = createRestApp({ query: (q) => h.app.query(q), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    h?.store.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("the self-delegation's rewards as DelegationRewards gives them to the operator's account, and the commission", async () => {
    const r = QueryValidatorDistributionInfoResponse.decode(info(v0.valoper).value ?? new Uint8Array());
    const self = h.query(`${D}DelegationRewards`, QueryDelegationRewardsRequest.encode({ delegatorAddress: v0.key.address, validatorAddress: v0.valoper }).finish(), QueryDelegationRewardsResponse.decode).rewards;
    const commission = h.query(`${D}ValidatorCommission`, QueryValidatorCommissionRequest.encode({ validatorAddress: v0.valoper }).finish(), QueryValidatorCommissionResponse.decode).commission?.commission ?? [];
    assert.ok(self.length > 0 && BigInt(self[0]?.amount ?? "0") > 0n, "blocks were signed: the self-delegation has rewards");
    assert.ok(commission.length > 0 && BigInt(commission[0]?.amount ?? "0") > 0n, "and the validator commission");
    assert.deepEqual(r, { operatorAddress: v0.key.address, selfBondRewards: self, commission });

    const dec = (cs: typeof self) => cs.map((c) => ({ denom: c.denom, amount: decText(c.amount) }));
    assert.deepEqual(await get(`/cosmos/distribution/v1beta1/validators/${v0.valoper}`), {
      status: 200, body: { operator_address: v0.key.address, self_bond_rewards: dec(self), commission: dec(commission) },
    });

    const abci: AbciQuery = async (path, data) => {
      const x = raw(path, data);
      if (x.code) throw new Error(`Query failed with (${x.code}): ${x.log}`);
      return x.value ?? new Uint8Array();
    };
    const q = moduleCliQueries().find((m) => m.module === "distribution")?.queries.find((x) => x.name === "validator-distribution-info");
    assert.ok(q, "distribution declares validator-distribution-info");
    const cli = await runCliQuery(q, abci, { validator: v0.valoper });
    assert.deepEqual((cli.json as { operator_address: string }).operator_address, v0.key.address);
    assert.deepEqual((cli.json as { self_bond_rewards: { amount: string }[] }).self_bond_rewards.map((c) => c.amount), self.map((c) => decText(c.amount)));
    assert.match(cli.text, new RegExp(`^${v0.valoper} has .* of commission and .* of self-delegation rewards`));
  });

  test("`trustnet query distribution params -o json` is the REST route's body: {params: {…}}, as simd's autocli prints the gRPC response", async () => {
    const q = moduleCliQueries().find((m) => m.module === "distribution")?.queries.find((x) => x.name === "params");
    assert.ok(q);
    const cli = await runCliQuery(q, async (path, data) => raw(path, data).value ?? new Uint8Array(), {});
    const rest = await get("/cosmos/distribution/v1beta1/params");
    assert.equal(rest.status, 200);
    assert.deepEqual(cli.json, rest.body);
    assert.deepEqual(Object.keys((cli.json as { params: object }).params), ["community_tax", "base_proposer_reward", "bonus_proposer_reward", "withdraw_addr_enabled"]);
    assert.match(cli.text, /^community_tax: 0\.\d{18}\n/u, "the text output is unchanged");
  });

  test("every `trustnet query distribution … -o json` is its REST route's body (DecCoins as LegacyDec text, no `whole`); slashes without pagination; the text is the CLI's own", async () => {
    const cli = async (name: string, args: Record<string, string>) => {
      const q = moduleCliQueries().find((m) => m.module === "distribution")?.queries.find((x) => x.name === name) ?? assert.fail(`distribution declares ${name}`);
      return runCliQuery(q, async (path, data) => raw(path, data).value ?? new Uint8Array(), args);
    };
    const D0 = "/cosmos/distribution/v1beta1";
    const same = async (name: string, args: Record<string, string>, path: string) => {
      const [c, r] = await Promise.all([cli(name, args), get(`${D0}${path}`)]);
      assert.equal(r.status, 200, path);
      assert.deepEqual(c.json, r.body, `${name}: the body of ${path}`);
      return c;
    };
    const DEC = /^\d+\.\d{18}$/u;
    const total = await same("rewards", { delegator: alice.address }, `/delegators/${alice.address}/rewards`);
    const tj = total.json as { rewards: { validator_address: string; reward: { denom: string; amount: string }[] }[]; total: { denom: string; amount: string }[] };
    assert.deepEqual(tj.rewards.map((r) => r.validator_address), [v1.valoper]);
    assert.equal(tj.total[0]?.denom, "utrust");
    assert.match(tj.total[0]?.amount ?? "", DEC);
    assert.match(total.text, new RegExp(`^${v1.valoper} {2}[\\d.]+ TRUST\ntotal: [\\d.]+ TRUST$`, "u"), "the text output is unchanged");
    const self = await same("rewards", { delegator: v0.key.address, validator: v0.valoper }, `/delegators/${v0.key.address}/rewards/${v0.valoper}`);
    assert.match((self.json as { rewards: { amount: string }[] }).rewards[0]?.amount ?? "", DEC);
    assert.match(self.text, new RegExp(`^${v0.key.address} has [\\d.]+ TRUST of rewards from ${v0.valoper}$`, "u"));
    const none = await same("rewards", { delegator: (await testKey(74)).address }, `/delegators/${(await testKey(74)).address}/rewards`);
    assert.deepEqual(none.json, { rewards: [], total: [] });

    const c = await same("commission", { validator: v0.valoper }, `/validators/${v0.valoper}/commission`);
    assert.match((c.json as { commission: { commission: { amount: string }[] } }).commission.commission[0]?.amount ?? "", DEC, "{commission: {commission: DecCoins}}, as the SDK nests it");
    assert.match(c.text, new RegExp(`^${v0.valoper} has [\\d.]+ TRUST of commission$`, "u"));
    const o = await same("outstanding-rewards", { validator: v0.valoper }, `/validators/${v0.valoper}/outstanding_rewards`);
    assert.match((o.json as { rewards: { rewards: { amount: string }[] } }).rewards.rewards[0]?.amount ?? "", DEC, "{rewards: {rewards: DecCoins}}, as the SDK nests it");
    assert.match(o.text, new RegExp(`^${v0.valoper} has [\\d.]+ TRUST of outstanding rewards$`, "u"));
    const vi = await same("validator-distribution-info", { validator: v0.valoper }, `/validators/${v0.valoper}`);
    assert.deepEqual(Object.keys(vi.json as object), ["operator_address", "self_bond_rewards", "commission"]);
    const pool = await same("community-pool", {}, "/community_pool");
    assert.match((pool.json as { pool: { amount: string }[] }).pool[0]?.amount ?? "", DEC);
    assert.match(pool.text, /^community pool: [\d.]+ TRUST$/u);
    const w = await same("withdraw-address", { delegator: alice.address }, `/delegators/${alice.address}/withdraw_address`);
    assert.deepEqual(w.json, { withdraw_address: alice.address });
    assert.equal(w.text, `${alice.address} (its own address)`);

    const sl = await cli("slashes", { validator: v0.valoper });
    const { pagination: _p, ...slRest } = (await get(`${D0}/validators/${v0.valoper}/slashes`)).body;
    assert.deepEqual(sl.json, slRest);
    assert.deepEqual(sl.json, { slashes: [] });
    assert.equal(sl.text, `${v0.valoper} has no slash events`);
  });

  test("errors: unknown validator 404 (distribution 12), no self-delegation 404 (13), malformed 400, unknown field refused", async () => {
    const unknown = (await operator(79)).valoper;
    const a = info(unknown);
    assert.equal(a.code, 12);
    assert.equal(a.codespace, "distribution");
    const rest = await get(`/cosmos/distribution/v1beta1/validators/${unknown}`);
    assert.equal(rest.status, 404);
    assert.deepEqual(rest.body, (await get(`/cosmos/distribution/v1beta1/validators/${unknown}/commission`)).body, "the same error as the commission route");

    const none = info(v1.valoper);
    assert.equal(none.code, 13, none.log);
    assert.match(none.log ?? "", new RegExp(v1.key.address));
    assert.equal((await get(`/cosmos/distribution/v1beta1/validators/${v1.valoper}`)).status, 404);

    for (const bad of ["trust1nope", v0.key.address, "trustvaloper1xyz"]) {
      const r = await get(`/cosmos/distribution/v1beta1/validators/${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.code, 3, bad);
    }
    assert.notEqual(info("").code ?? 0, 0);
    const extra = raw(`${D}ValidatorDistributionInfo`, Uint8Array.from([...QueryValidatorDistributionInfoRequest.encode({ validatorAddress: v0.valoper }).finish(), 0xa0, 0x06, 0x01]));
    assert.notEqual(extra.code ?? 0, 0);
    assert.match(extra.log ?? "", /field 100/);
  });
});
