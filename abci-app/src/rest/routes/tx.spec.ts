// The tx routes' block-time lookups: a height's header is asked of CometBFT once, then kept (bounded).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RestContext } from "../../sdk/client/route-table.ts";
import { blockTimeSource, MAX_CACHED_BLOCK_TIMES } from "./tx.ts";

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
