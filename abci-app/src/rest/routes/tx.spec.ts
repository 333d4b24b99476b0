// The tx routes: a search must name something exact (an open range makes CometBFT load every tx); a height's
// header is asked of CometBFT once, then kept (bounded).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RestContext } from "../../sdk/client/route-table.ts";
import { Grpc, RestError } from "../../sdk/client/rest-errors.ts";
import { blockTimeSource, hasEqualityCondition, MAX_CACHED_BLOCK_TIMES, MAX_SEARCH_LIMIT, MAX_TX_SEARCH_IN_FLIGHT, txRoutes } from "./tx.ts";

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

describe("tx search work is bounded: per page, per request and at once", () => {
  /** A fake CometBFT whose tx_search answers when `release` is called (a search matching nearly every tx is slow). */
  function slowSearchNode(total = "0"): { ctx: RestContext; searches: Record<string, unknown>[]; running: () => number; most: () => number; release: () => void } {
    const searches: Record<string, unknown>[] = [];
    let running = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    let released = false;
    const ctx: RestContext = {
      appVersion: "0.0.0-test",
      abciQuery: () => Promise.reject(new Error("not used")),
      abciQueryRaw: () => Promise.reject(new Error("not used")),
      rpc: async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
        if (method !== "tx_search") return { header: { time: "t" } } as T;
        searches.push(params);
        running++;
        most = Math.max(most, running);
        if (!released) await new Promise<void>((r) => waiting.push(r));
        running--;
        return { txs: [], total_count: total } as T;
      },
    };
    return { ctx, searches, running: () => running, most: () => most, release: () => ((released = true), waiting.splice(0).forEach((r) => r())) };
  }
  const searchRoute = (ctx: RestContext) => {
    const r = txRoutes.routes(ctx).find((x) => x.method === "get" && x.path === "/cosmos/tx/v1beta1/txs");
    assert.ok(r);
    return (query: Record<string, unknown>): Promise<unknown> => Promise.resolve(r.handler({ params: {}, query, body: undefined, height: 0n, setHeader: () => undefined }));
  };

  test(`at most ${MAX_TX_SEARCH_IN_FLIGHT} tx_search calls run at once, however many searches arrive`, async () => {
    const n = slowSearchNode();
    const search = searchRoute(n.ctx);
    const all = Array.from({ length: 40 }, () => search({ query: "message.module='bank'" }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(n.running(), MAX_TX_SEARCH_IN_FLIGHT, "the others wait for a slot");
    n.release();
    await Promise.all(all);
    assert.equal(n.most(), MAX_TX_SEARCH_IN_FLIGHT);
    assert.equal(n.searches.length, 40, "every search is answered in turn");
  });

  test("a page asks at most the two CometBFT pages of 100 that cover it, whatever limit, offset or answers", async () => {
    // An answer short of its total_count (a page of none out of 100000) must not send the route through every page.
    const n = slowSearchNode("100000");
    n.release();
    const search = searchRoute(n.ctx);
    await search({ query: "message.module='bank'", "pagination.limit": "100000", "pagination.offset": "150" });
    assert.deepEqual(n.searches.map((p) => [p.page, p.per_page]), [["2", String(MAX_SEARCH_LIMIT)], ["3", String(MAX_SEARCH_LIMIT)]]);
  });

  test("CometBFT is asked for pages no larger than the client's (a page past the answer byte cap can be asked smaller)", async () => {
    const n = slowSearchNode("100000");
    n.release();
    const search = searchRoute(n.ctx);
    await search({ query: "message.module='bank'", "pagination.limit": "10", "pagination.offset": "15" });
    await search({ query: "message.module='bank'", limit: "1", page: "7" });
    assert.deepEqual(n.searches.map((p) => [p.page, p.per_page]), [["2", "10"], ["3", "10"], ["7", "1"]]);
  });
});

describe("tx search: a page past the last", () => {
  /** A fake CometBFT 0.38 tx_search over `total` matches: a page past the last is its error, as is a query it cannot parse. */
  function cometSearch(total: number): { ctx: RestContext; searches: Record<string, unknown>[] } {
    const searches: Record<string, unknown>[] = [];
    const ctx: RestContext = {
      appVersion: "0.0.0-test",
      abciQuery: () => Promise.reject(new Error("not used")),
      abciQueryRaw: () => Promise.reject(new Error("not used")),
      rpc: <T>(method: string, params: Record<string, unknown>): Promise<T> => {
        assert.equal(method, "tx_search");
        searches.push(params);
        // The RPC client's RestError for CometBFT's "failed to parse query" and "page should be within [1, N] range".
        if (String(params.query).includes("'unbalanced")) return Promise.reject(new RestError(Grpc.InvalidArgument, "invalid request to tx_search"));
        const pages = Math.max(1, Math.ceil(total / Number(params.per_page)));
        if (Number(params.page) > pages) return Promise.reject(new RestError(Grpc.InvalidArgument, "invalid request to tx_search"));
        return Promise.resolve({ txs: [], total_count: String(total) } as T); // no txs: none is needed for the count
      },
    };
    return { ctx, searches };
  }
  const route = (ctx: RestContext) => {
    const r = txRoutes.routes(ctx).find((x) => x.method === "get" && x.path === "/cosmos/tx/v1beta1/txs");
    assert.ok(r);
    return (query: Record<string, string>): Promise<unknown> => Promise.resolve(r.handler({ params: {}, query, body: undefined, height: 0n, setHeader: () => undefined }));
  };
  const empty = (total: string) => ({ txs: [], tx_responses: [], pagination: { next_key: null, total }, total });

  test("is empty with the search's real total (page 1, one tx, asked for it), not total 0", async () => {
    const n = cometSearch(7);
    const search = route(n.ctx);
    assert.deepEqual(await search({ query: "message.sender='trust1x'", page: "3", limit: "5" }), empty("7"));
    assert.deepEqual(n.searches.map((p) => [p.page, p.per_page]), [["3", "5"], ["1", "1"]]);
    assert.deepEqual(await search({ query: "message.sender='trust1x'", "pagination.offset": "40", "pagination.limit": "10" }), empty("7"));
    // an offset inside the last page: its answer holds the total, nothing more is asked
    n.searches.length = 0;
    assert.deepEqual(await search({ query: "message.sender='trust1x'", "pagination.offset": "6", "pagination.limit": "5" }), empty("7"));
    assert.deepEqual(n.searches.map((p) => [p.page, p.per_page]), [["2", "5"]]);
    assert.deepEqual(await route(cometSearch(0).ctx)({ query: "tx.height=5", page: "2", limit: "1" }), empty("0"));
  });

  test("a query CometBFT cannot parse is a 400 on any page, not an empty page", async () => {
    const search = route(cometSearch(7).ctx);
    for (const page of ["1", "4"]) {
      await assert.rejects(search({ query: "message.sender='unbalanced", page, limit: "5" }), (e: unknown) => e instanceof RestError && e.status === 400 && /not a valid CometBFT event query/.test(e.message), `page ${page}`);
    }
  });
});
