// The distribution and mint REST routes against a fake query router: LegacyDec text, 404 for distribution's
// not-found codes, 400 for a bad address before any query.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { QueryCommunityPoolResponse, QueryParamsResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryInflationResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
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
