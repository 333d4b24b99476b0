// The cache of "has this address an account on chain?" that open pushes ask on every request: a yes is kept long (an
// account is never deleted), a no briefly (a key funded just now is let in soon), failures never; each kind of
// answer is bounded, and fresh keys' answers never push real accounts' out.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AccountCache } from "./account-cache.ts";

/** A fake chain: `accounts` have an account; `down` makes it throw; `asked` counts the lookups. */
function fakeChain(): { accounts: Set<string>; down: boolean; asked: string[]; lookup: (a: string) => Promise<boolean> } {
  const c = {
    accounts: new Set<string>(),
    down: false,
    asked: [] as string[],
    lookup: (a: string): Promise<boolean> => {
      c.asked.push(a);
      return c.down ? Promise.reject(new Error("connect ECONNREFUSED")) : Promise.resolve(c.accounts.has(a));
    },
  };
  return c;
}

describe("AccountCache", () => {
  test("a yes is kept for the positive TTL, a no for the negative TTL only: a funded key is seen within it", async () => {
    const chain = fakeChain();
    let clock = 1_000_000;
    const cache = new AccountCache(chain.lookup, () => clock, { positiveTtlMs: 600_000, negativeTtlMs: 5_000, maxEntries: 100 });
    chain.accounts.add("funded");
    assert.equal(await cache.has("funded"), true);
    assert.equal(await cache.has("fresh"), false);
    chain.accounts.add("fresh"); // it receives funds
    clock += 4_999;
    assert.equal(await cache.has("fresh"), false, "the no is still fresh");
    assert.equal(await cache.has("funded"), true);
    assert.deepEqual(chain.asked, ["funded", "fresh"], "both answers came from the cache");
    clock += 1;
    assert.equal(await cache.has("fresh"), true, "once the negative TTL is over, the chain is asked again");
    assert.deepEqual(cache.size, { positive: 2, negative: 0 }, "the new yes replaces the no");
    clock += 594_999; // 599,999 ms after "funded" was asked
    assert.equal(await cache.has("funded"), true);
    assert.equal(chain.asked.length, 3, "a yes holds for the positive TTL");
    clock += 1;
    assert.equal(await cache.has("funded"), true);
    assert.deepEqual(chain.asked, ["funded", "fresh", "fresh", "funded"]);
  });

  test("a failure is thrown and never cached; concurrent questions share one lookup", async () => {
    const chain = fakeChain();
    const cache = new AccountCache(chain.lookup, () => 0, { positiveTtlMs: 600_000, negativeTtlMs: 5_000, maxEntries: 100 });
    chain.accounts.add("a");
    chain.down = true;
    await assert.rejects(cache.has("a"), /ECONNREFUSED/);
    assert.deepEqual(cache.size, { positive: 0, negative: 0 });
    chain.down = false;
    assert.deepEqual(await Promise.all([cache.has("a"), cache.has("a"), cache.has("a"), cache.has("b"), cache.has("b")]), [true, true, true, false, false]);
    assert.deepEqual(chain.asked, ["a", "a", "b"], "one lookup per address for the concurrent questions");
  });

  test("each kind of answer is bounded, oldest dropped first, and fresh keys never push an account's yes out", async () => {
    const chain = fakeChain();
    const cache = new AccountCache(chain.lookup, () => 0, { positiveTtlMs: 600_000, negativeTtlMs: 5_000, maxEntries: 3 });
    for (const a of ["p1", "p2", "p3", "p4"]) chain.accounts.add(a);
    for (const a of ["p1", "p2", "p3"]) assert.equal(await cache.has(a), true);
    for (let i = 0; i < 1000; i++) assert.equal(await cache.has(`fresh${i}`), false);
    assert.deepEqual(cache.size, { positive: 3, negative: 3 });
    chain.asked.length = 0;
    for (const a of ["p1", "p2", "p3", "fresh999", "fresh998", "fresh997"]) await cache.has(a);
    assert.deepEqual(chain.asked, [], "the three accounts and the three latest fresh keys are still answered from the cache");
    assert.equal(await cache.has("fresh0"), false);
    assert.deepEqual(chain.asked, ["fresh0"], "the oldest no was dropped");
    assert.equal(await cache.has("p4"), true);
    assert.deepEqual(cache.size, { positive: 3, negative: 3 });
    chain.asked.length = 0;
    await cache.has("p1");
    assert.deepEqual(chain.asked, ["p1"], "the oldest yes was dropped for p4");
  });

  test("an answer stamped after the clock (it went back) is asked again, not kept until the clock catches up", async () => {
    const chain = fakeChain();
    let clock = 1_000_000;
    const cache = new AccountCache(chain.lookup, () => clock, { positiveTtlMs: 600_000, negativeTtlMs: 5_000, maxEntries: 10 });
    assert.equal(await cache.has("k"), false);
    chain.accounts.add("k");
    clock -= 3_600_000;
    assert.equal(await cache.has("k"), true);
    assert.throws(() => new AccountCache(chain.lookup, () => clock, { positiveTtlMs: 1, negativeTtlMs: 1, maxEntries: 0 }), RangeError);
  });
});
