// The store-side pagination of the SDK-typed list queries (staking, distribution, slashing): a query reads at most
// MAX_SCAN store entries whatever its offset, count_total or filter ask (here a small injected cap), and says so.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { forwardedPage } from "./client/pagination.ts";
import { MAX_SCAN } from "./key-page.ts";
import { paginate } from "./pagination.ts";

const CAP = 10;
const key = (i: number): Uint8Array => Buffer.from(`k${String(i).padStart(4, "0")}`);

/** A store of `n` entries (item i under key k000i) that counts the entries a query reads. */
function store(n: number): { scan: (start?: Uint8Array) => Iterable<readonly [Uint8Array, number]>; read: () => number } {
  let read = 0;
  return {
    read: () => read,
    *scan(start) {
      for (let i = 0; i < n; i++) {
        if (start !== undefined && Buffer.compare(key(i), start) < 0) continue;
        read++;
        yield [key(i), i] as const;
      }
    },
  };
}

const req = (o: Partial<PageRequest>): PageRequest => ({ key: new Uint8Array(), offset: 0n, limit: 5n, countTotal: false, reverse: false, ...o });

describe("paginate: at most MAX_SCAN entries read per query", () => {
  test("the cap is the registry's (key-page.ts)", () => assert.equal(MAX_SCAN, 10_000));

  test("count_total on a list longer than the cap is refused (sdk 18) after reading at most the cap", () => {
    const s = store(50);
    assert.throws(() => paginate(req({ countTotal: true }), s.scan, (i) => i, undefined, CAP), (e: Error & { code?: number }) => {
      assert.equal(e.code, 18);
      assert.match(e.message, /pagination count_total: the list has more than the 10 entries a query may scan; ask without count_total/);
      return true;
    });
    assert.ok(s.read() <= CAP + 1, `${s.read()} entries read`);
  });

  test("an offset past the cap is refused, pointing at key paging", () => {
    const s = store(50);
    assert.throws(() => paginate(req({ offset: 20n }), s.scan, (i) => i, undefined, CAP), /pagination offset 20 is past the 10 entries a query may scan; page with pagination.key/);
    assert.ok(s.read() <= CAP + 1, `${s.read()} entries read`);
    assert.deepEqual(paginate(req({ offset: 3n, limit: 2n }), store(50).scan, (i) => i, undefined, CAP).items, [3, 4], "an offset within the cap still works");
  });

  test("a selective filter ends the page early at the cap, and next_key goes on from there", () => {
    const s = store(100);
    const seen: number[] = [];
    let start: Uint8Array | undefined;
    let calls = 0;
    do {
      const before = s.read();
      const { items, page } = paginate(req({ key: start ?? new Uint8Array() }), s.scan, (i) => i, (i) => i % 20 === 0, CAP);
      assert.ok(s.read() - before <= CAP + 1, `one query read ${s.read() - before} entries`);
      seen.push(...items);
      start = page?.nextKey.length ? page.nextKey : undefined;
      calls++;
    } while (start !== undefined && calls < 50);
    assert.deepEqual(seen, [0, 20, 40, 60, 80]);
  });

  test("within the cap: count_total counts, and so does an unset limit (the SDK's rule: limit 0 implies count_total)", () => {
    assert.deepEqual(paginate(req({ countTotal: true, limit: 2n }), store(8).scan, (i) => i, undefined, CAP).page, { nextKey: key(2), total: 8n });
    assert.deepEqual(paginate(req({ limit: 0n }), store(8).scan, (i) => i, undefined, CAP).page, { nextKey: new Uint8Array(), total: 8n });
    assert.deepEqual(paginate(undefined, store(8).scan, (i) => i, undefined, CAP).page.total, 8n);
  });

  test("the count an unset limit implies (the SDK's rule) is skipped, not refused, on a longer list", () => {
    const s = store(50);
    const { items, page } = paginate(req({ limit: 0n }), s.scan, (i) => i, undefined, CAP);
    assert.deepEqual(items, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(page, { nextKey: key(10), total: 0n });
    assert.ok(s.read() <= CAP + 1);
  });

  test("the REST gateway forwards an unset limit as 0 and count_total only when asked", () => {
    assert.deepEqual(forwardedPage({}), { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false });
    assert.deepEqual(forwardedPage({ "pagination.limit": "5", "pagination.count_total": "true" }), { key: new Uint8Array(), offset: 0n, limit: 5n, countTotal: true, reverse: false });
    assert.equal(forwardedPage({ "pagination.limit": "0" }).limit, 0n);
  });
});
