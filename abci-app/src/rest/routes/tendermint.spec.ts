// The node's block routes: a block's answer may be ~30 MB, so at most MAX_BLOCK_IN_FLIGHT `block` calls run at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RestContext } from "../../sdk/client/route-table.ts";
import { MAX_BLOCK_IN_FLIGHT, tendermintRoutes } from "./tendermint.ts";

test(`at most ${MAX_BLOCK_IN_FLIGHT} block calls run at once, however many block requests arrive; each is answered`, async () => {
  let running = 0;
  let most = 0;
  const asked: unknown[] = [];
  const waiting: (() => void)[] = [];
  let released = false;
  const id = { hash: "AB", parts: { total: 1, hash: "CD" } };
  const ctx: RestContext = {
    appVersion: "0.0.0-test",
    abciQuery: () => Promise.reject(new Error("not used")),
    abciQueryRaw: () => Promise.reject(new Error("not used")),
    rpc: async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
      assert.equal(method, "block");
      asked.push(params.height);
      running++;
      most = Math.max(most, running);
      if (!released) await new Promise<void>((r) => waiting.push(r));
      running--;
      const header = { version: { block: "11" }, chain_id: "c", height: String(params.height ?? "9"), time: "t", last_block_id: id, last_commit_hash: "", data_hash: "", validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "", last_results_hash: "", evidence_hash: "", proposer_address: "" };
      return { block_id: id, block: { header, data: { txs: [] }, evidence: { evidence: [] }, last_commit: null } } as T;
    },
  };
  const routes = tendermintRoutes.routes(ctx);
  const byHeight = routes.find((r) => r.path === "/cosmos/base/tendermint/v1beta1/blocks/{height}");
  const latest = routes.find((r) => r.path === "/cosmos/base/tendermint/v1beta1/blocks/latest");
  assert.ok(byHeight && latest);
  const call = (r: typeof latest, height?: string): Promise<unknown> => Promise.resolve(r.handler({ params: height ? { height } : {}, query: {}, body: undefined, height: 0n, setHeader: () => undefined }));
  const all = [...Array.from({ length: 15 }, (_, i) => call(byHeight, String(i + 1))), ...Array.from({ length: 5 }, () => call(latest))];
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(running, MAX_BLOCK_IN_FLIGHT, "the others wait for a slot");
  released = true;
  waiting.splice(0).forEach((r) => r());
  const answers = (await Promise.all(all)) as { block: { header: { height: string } } }[];
  assert.equal(most, MAX_BLOCK_IN_FLIGHT);
  assert.deepEqual(answers.map((a) => a.block.header.height), [...Array.from({ length: 15 }, (_, i) => String(i + 1)), ...Array<string>(5).fill("9")]);
  assert.equal(asked.length, 20);
});
