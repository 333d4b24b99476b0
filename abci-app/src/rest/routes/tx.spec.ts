// The tx routes: a search must name something exact (an open range makes CometBFT load every tx); a height's
// header is asked of CometBFT once, then kept (bounded).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RestContext } from "../../sdk/client/route-table.ts";
import { RestError } from "../../sdk/client/rest-errors.ts";
import { blockTimeSource, hasEqualityCondition, MAX_CACHED_BLOCK_TIMES, txRoutes } from "./tx.ts";

/** A fake CometBFT that answers `header` with a time made from the height, counting the calls. */
function fakeNode(): { ctx: RestContext; asked: string[] } {
  const asked: string[] = [];
  const ctx: RestContext = {
    appVersion: "0.0.0-test",
    abciQuery: () => Promise.reject(new Error("not used")),
    abciQueryRaw: () => Promise.reject(new Error("not used")),
    rpc: <T>(method: string, params: Record<string, unknown>): Promise<T> => {
      assert.equal(method, "header");
      const h = String(params.height);
      asked.push(h);
      return Promise.resolve({ header: { time: `t${h}` } } as T);
    },
  };
  return { ctx, asked };
}

describe("blockTimeSource", () => {
  test("each height is asked once, however many requests name it", async () => {
    const { ctx, asked } = fakeNode();
    const times = blockTimeSource(ctx);
    const heights = Array.from({ length: 100 }, (_, i) => String(i + 1));
    const first = await times([...heights, "7", "7"]);
    assert.equal(first.get("7"), "t7");
    assert.equal(first.get("100"), "t100");
    assert.equal(asked.length, 100, "a repeated height in one request is asked once");
    for (let i = 0; i < 5; i++) {
      const again = await times(heights);
      assert.deepEqual([...again.entries()], heights.map((h) => [h, `t${h}`]));
    }
    assert.equal(asked.length, 100, "later requests for the same heights ask CometBFT nothing");
    await times(["101", "5"]);
    assert.deepEqual(asked.slice(100), ["101"]);
  });

  test("the cache is bounded: the oldest heights are dropped and asked again when needed", async () => {
    const { ctx, asked } = fakeNode();
    const times = blockTimeSource(ctx);
    for (let start = 1; start <= MAX_CACHED_BLOCK_TIMES + 100; start += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => String(start + i));
      const got = await times(batch);
      assert.equal(got.get(batch[99] as string), `t${batch[99]}`);
    }
    const before = asked.length;
    await times([String(MAX_CACHED_BLOCK_TIMES + 100)]);
    assert.equal(asked.length, before, "a recent height is still kept");
    assert.equal((await times(["1"])).get("1"), "t1");
    assert.equal(asked.length, before + 1, "the oldest was dropped, so it is asked again");
  });
});

describe("tx search needs an exact condition", () => {
  test("hasEqualityCondition", () => {
    for (const q of ["tx.height=5", "tx.height = 5", "message.sender='trust1x'", "tx.height>3 AND transfer.recipient='trust1y'", "tx.hash='AB' and tx.height<9", "lease.id=7 AND lease.state CONTAINS 'a'"]) {
      assert.equal(hasEqualityCondition(q), true, q);
    }
    for (const q of ["tx.height>0", "tx.height>=1 AND tx.height<=100000000", "message.sender EXISTS", "message.sender CONTAINS 'trust1'", "memo CONTAINS 'a=b'",
      "message.sender CONTAINS 'x AND y=1'", "tx.height<=5", "nonsense", ""]) {
      assert.equal(hasEqualityCondition(q), false, q);
    }
  });

  test("the route refuses an open range with 400 before CometBFT is asked anything", async () => {
    const asked: string[] = [];
    const ctx: RestContext = {
      appVersion: "0.0.0-test",
      abciQuery: () => Promise.reject(new Error("not used")),
      abciQueryRaw: () => Promise.reject(new Error("not used")),
      rpc: <T>(method: string): Promise<T> => {
        asked.push(method);
        return Promise.resolve({ txs: [], total_count: "0" } as T);
      },
    };
    const search = txRoutes.routes(ctx).find((r) => r.method === "get" && r.path === "/cosmos/tx/v1beta1/txs");
    assert.ok(search);
    const call = (query: string): Promise<unknown> => Promise.resolve(search.handler({ params: {}, query: { query }, body: undefined, height: 0n, setHeader: () => undefined }));
    for (const q of ["tx.height>0", "tx.height>=1 AND tx.height<=9999999", "message.sender EXISTS"]) {
      await assert.rejects(call(q), (e: unknown) => e instanceof RestError && e.status === 400 && /exact condition/.test(e.message), q);
    }
    assert.deepEqual(asked, [], "nothing reached CometBFT");
    assert.deepEqual(await call("tx.height=5"), { txs: [], tx_responses: [], pagination: { next_key: null, total: "0" }, total: "0" });
    assert.deepEqual(asked, ["tx_search"]);
  });
});
