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
  QueryValidatorCommissionResponse, QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
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
