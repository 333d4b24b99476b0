// The tendermint routes: a validator set of more than one CometBFT page is read at one height.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RestContext } from "../../sdk/client/route-table.ts";
import { tendermintRoutes } from "./tendermint.ts";

/**
 * A fake CometBFT whose `validators` set has 150 members at every height, each named by that height, and whose
 * latest height moves on by one after each answer (a block lands between every two pages).
 */
function movingChain(): { ctx: RestContext; asked: Record<string, unknown>[] } {
  const asked: Record<string, unknown>[] = [];
  let latest = 10;
  const ctx: RestContext = {
    appVersion: "0.0.0-test",
    abciQuery: () => Promise.reject(new Error("not used")),
    abciQueryRaw: () => Promise.reject(new Error("not used")),
    rpc: <T>(method: string, params: Record<string, unknown>): Promise<T> => {
      assert.equal(method, "validators");
      asked.push(params);
      const h = params.height === undefined ? latest : Number(params.height);
      latest++;
      const page = Number(params.page);
      const members = Array.from({ length: 150 }, (_, i) => ({ address: `${h}`.padStart(4, "0") + `${i}`.padStart(36, "0"), pub_key: { type: "tendermint/PubKeyEd25519", value: "AA==" }, voting_power: String(h), proposer_priority: "0" }));
      return Promise.resolve({ block_height: String(h), validators: members.slice((page - 1) * 100, page * 100), count: "", total: "150" } as T);
    },
  };
  return { ctx, asked };
}

describe("tendermint routes", () => {
  test("validatorsets/latest: the pages after the first are asked at the first page's height, not at a later latest", async () => {
    const { ctx, asked } = movingChain();
    const route = tendermintRoutes.routes(ctx).find((r) => r.path === "/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    assert.ok(route);
    const answer = await route.handler({ params: {}, query: { "pagination.limit": "200" }, body: undefined, height: 0n, setHeader: () => undefined }) as { block_height: string; validators: { voting_power: string }[]; pagination: { total: string } };
    assert.equal(answer.block_height, "10");
    assert.equal(answer.validators.length, 150);
    assert.deepEqual([...new Set(answer.validators.map((v) => v.voting_power))], ["10"], "every validator from height 10's set");
    assert.deepEqual(asked.map((p) => p.height), [undefined, "10"]);
  });

  test("validatorsets/{height}: every page at that height", async () => {
    const { ctx, asked } = movingChain();
    const route = tendermintRoutes.routes(ctx).find((r) => r.path === "/cosmos/base/tendermint/v1beta1/validatorsets/{height}");
    assert.ok(route);
    const answer = await route.handler({ params: { height: "7" }, query: {}, body: undefined, height: 0n, setHeader: () => undefined }) as { block_height: string; pagination: { total: string } };
    assert.equal(answer.block_height, "7");
    assert.equal(answer.pagination.total, "150");
    assert.deepEqual(asked.map((p) => p.height), ["7", "7"]);
  });
});
