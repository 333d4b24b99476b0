// The query router's own rules (query-router.ts): strict request scan, size limits both ways, errors as codes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { QueryCtx } from "../sdk/context.ts";
import { Branch, type KVReader } from "../store/index.ts";
import * as S from "../sdk/tx/schemas.ts";
import { MAX_QUERY_ANSWER_BYTES, MAX_QUERY_DATA_BYTES, QueryRouter } from "./query-router.ts";

const empty: KVReader = { get: () => undefined, iterate: () => [][Symbol.iterator]() } as unknown as KVReader;
const ctx = (): QueryCtx => ({ store: new Branch(empty), height: 7n, chainId: "trustnet-local-1" });

function router(answer: (data: Uint8Array) => Uint8Array): { r: QueryRouter; internal: unknown[] } {
  const internal: unknown[] = [];
  const r = new QueryRouter((_path, err) => internal.push(err));
  r.add({ path: "/test.Query/Page", request: S.PageRequest, handle: (_ctx, data) => answer(data) });
  return { r, internal };
}

describe("QueryRouter", () => {
  test("an answer past what CometBFT's ABCI client takes is a clear error, code 18; one at the limit is answered", () => {
    const { r, internal } = router((data) => new Uint8Array(data[1] === 1 ? MAX_QUERY_ANSWER_BYTES + 1 : MAX_QUERY_ANSWER_BYTES));
    const big = r.run("/test.Query/Page", Uint8Array.of(24, 1), ctx()); // pagination.limit = 1
    assert.equal(big.code, 18);
    assert.equal(big.codespace, "sdk");
    assert.equal(big.value, undefined);
    assert.match(big.log!, new RegExp(`^the answer is ${MAX_QUERY_ANSWER_BYTES + 1} bytes, more than the ${MAX_QUERY_ANSWER_BYTES} a query may answer .*pagination\\.limit\\): invalid request$`));
    assert.equal(big.height, 7n);
    const fits = r.run("/test.Query/Page", Uint8Array.of(24, 2), ctx());
    assert.equal(fits.code, 0);
    assert.equal(fits.value?.length, MAX_QUERY_ANSWER_BYTES);
    assert.ok(MAX_QUERY_ANSWER_BYTES < 4 * 1024 * 1024, "below grpc-go's default receive limit");
    assert.deepEqual(internal, [], "a large answer is the caller's error, not a bug");
  });

  test("unknown paths, oversized or malformed request data and unknown fields are refused before the handler runs", () => {
    let calls = 0;
    const { r } = router(() => { calls++; return new Uint8Array(1); });
    const cases: [string, Uint8Array, number, RegExp][] = [
      ["/test.Query/Nope", new Uint8Array(), 6, /unknown query path "\/test\.Query\/Nope"/],
      ["/test.Query/Page", new Uint8Array(MAX_QUERY_DATA_BYTES + 1), 18, /query data is \d+ bytes, the limit is/],
      ["/test.Query/Page", Uint8Array.of(24), 2, /cannot decode query request/], // a tag with no value
      ["/test.Query/Page", Uint8Array.of(0x98, 0x06, 1), 2, /cannot decode query request: .*unknown field 99/], // field 99 = 0; PageRequest has no field 99
    ];
    for (const [path, data, code, log] of cases) {
      const res = r.run(path, data, ctx());
      assert.equal(res.code, code, path);
      assert.match(res.log!, log);
    }
    assert.equal(calls, 0);
  });

  test("a handler's bug is code 1 \"internal error\", reported; the router goes on", () => {
    let fail = true;
    const { r, internal } = router(() => { if (fail) throw new TypeError("boom"); return Uint8Array.of(5); });
    const res = r.run("/test.Query/Page", new Uint8Array(), ctx());
    assert.equal(res.code, 1);
    assert.equal(internal.length, 1);
    fail = false;
    assert.deepEqual(r.run("/test.Query/Page", new Uint8Array(), ctx()).value, Uint8Array.of(5));
  });
});
