// The explorer's page paths (static/paths.js, plain browser JS loaded here as it is): hostile search input gives a
// sentence, never a path the browser would resolve to some other page; hrefs built from chain data stay on the page
// they name.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

type Target = { path: string; error?: undefined } | { error: string; path?: undefined };
const mod = (await import(new URL("./static/paths.js", import.meta.url).href)) as {
  searchTarget: (input: string) => Target;
  page: (strings: TemplateStringsArray, ...values: unknown[]) => string | null;
  MAX_SEARCH_CHARS: number;
  providerStatus: (search: string) => { status: string; error?: undefined } | { error: string; status?: undefined };
  providersHref: (status: string) => string;
  providersApi: (status: string) => string;
};
const { searchTarget, page, MAX_SEARCH_CHARS, providerStatus, providersHref, providersApi } = mod;

/** The path a browser would show after history.pushState(path): dot segments resolved, ? and # split off. */
const landsOn = (path: string): string => new URL(path, "http://explorer.test").pathname;

const ADDR = "trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx";
const VALOPER = "trustvaloper1qurswpc8qurswpc8qurswpc8qurswpc885d35q";
const HASH = "ab".repeat(32);

describe("searchTarget", () => {
  test("what can be searched goes to its page", () => {
    assert.deepEqual(searchTarget("  42 "), { path: "/block/42" });
    assert.deepEqual(searchTarget("007"), { path: "/block/7" });
    assert.deepEqual(searchTarget("9223372036854775807"), { path: "/block/9223372036854775807" });
    assert.deepEqual(searchTarget("lease #12"), { path: "/lease/12" });
    assert.deepEqual(searchTarget(`0x${HASH}`), { path: `/tx/${HASH.toUpperCase()}` });
    assert.deepEqual(searchTarget(ADDR), { path: `/account/${ADDR}` });
    assert.deepEqual(searchTarget(VALOPER), { path: `/validator/${VALOPER}` });
    assert.deepEqual(searchTarget("webns"), { path: "/registry/webns" });
    assert.deepEqual(searchTarget("webns/site/sub:v1.2"), { path: "/registry/webns/site/sub:v1.2" });
    assert.deepEqual(searchTarget(""), { path: "/" });
  });

  test("odd heights are refused with a sentence, not looked up", () => {
    for (const s of ["0", "000", "-1", "+5", "1.5", "1e309", "1E3", ".5", "Infinity", "-infinity"]) {
      const t = searchTarget(s);
      assert.equal(t.path, undefined, s);
      assert.match(t.error ?? "", /block height|Block heights start at 1/, s);
    }
    assert.match(searchTarget("9223372036854775808").error ?? "", /too large/);
    assert.match(searchTarget("9".repeat(400)).error ?? "", /too large/);
    assert.match(searchTarget("lease 0").error ?? "", /Lease ids start at 1/);
    assert.match(searchTarget(`lease ${"9".repeat(30)}`).error ?? "", /too large/);
  });

  test("?, #, %, dot segments and slashes never reach a path the browser would resolve elsewhere", () => {
    for (const s of ["webns?x=1", "webns#frag", "webns/site?x", "..", "../blocks", "webns/../../blocks", "webns/./site", "webns//site", "/blocks",
      "//evil.example/x", "a%2F..%2Fblocks", "webns/site:v1?q", "webns/site:v1#x", "<script>alert(1)</script>", "trust1../../blocks", `${ADDR}?x`,
      "trustvaloper1#", "lease 5/../blocks", "ns/UPPER", "ns/repo:tag:more/x", "\u0000", "a\nb", "é"]) {
      const t = searchTarget(s);
      if (t.path !== undefined) {
        assert.equal(landsOn(t.path), t.path, `${JSON.stringify(s)} → ${t.path} must land on itself`);
      } else {
        assert.ok(t.error.length > 0, s);
      }
    }
    assert.ok(searchTarget("webns?x=1").error, "webns?x=1 is no registry name: it must not open webns");
    assert.ok(searchTarget("../blocks").error, "../blocks must not open the blocks page");
  });

  test("huge input is refused before anything is built from it", () => {
    assert.match(searchTarget("a".repeat(MAX_SEARCH_CHARS + 1)).error ?? "", /longer than 512 characters/);
    assert.match(searchTarget("1".repeat(5_000_000)).error ?? "", /longer than 512 characters/);
    assert.ok(searchTarget(`webns/${"a".repeat(200)}:${"t".repeat(128)}`).path, "a long but valid tag reference is still searched");
  });
});

describe("page (hrefs from chain data)", () => {
  test("plain values give the page's path", () => {
    assert.equal(page`/account/${ADDR}`, `/account/${ADDR}`);
    assert.equal(page`/block/${"12"}`, "/block/12");
    assert.equal(page`/registry/${"ns"}/${"a/b"}:${"v1"}`, "/registry/ns/a/b:v1");
  });
  test("?, #, % and spaces are encoded, so the link opens the page it names", () => {
    const href = page`/account/${"x?y#z %41"}`;
    assert.equal(href, "/account/x%3Fy%23z%20%2541");
    assert.equal(landsOn(href as string), href);
    assert.equal(decodeURIComponent(href as string), "/account/x?y#z %41", "the page reads back the same value");
    assert.equal(page`/tx/${"\"><script>"}`, "/tx/%22%3E%3Cscript%3E");
  });
  test("a value that would make an empty, . or .. segment is not linked", () => {
    for (const v of ["", ".", "..", "../../blocks", "a/../b", "a//b", "./x"]) assert.equal(page`/account/${v}`, null, JSON.stringify(v));
    assert.equal(page`/registry/${"ns"}/${".."}:${"t"}`, "/registry/ns/..:t", "'..:t' is an ordinary segment");
    assert.equal(landsOn("/registry/ns/..:t"), "/registry/ns/..:t");
    assert.equal(page`${"//evil.example"}/x`, null, "never a protocol-relative URL");
    assert.equal(page`${"javascript:alert(1)"}`, null, "never anything but a path");
  });
});

describe("the providers page's status filter", () => {
  test("?status= picks all, active or paused; the node is asked with the same REST status", () => {
    assert.deepEqual(providerStatus(""), { status: "all" });
    for (const status of ["all", "active", "paused"]) {
      assert.deepEqual(providerStatus(`?status=${status}`), { status });
      assert.deepEqual(providerStatus(new URL(providersHref(status), "http://explorer.test").search), { status }, `${status}: its link reads back`);
    }
    assert.equal(providersHref("all"), "/providers");
    assert.equal(providersApi("all"), "/trustnet/leasing/v1/providers?pagination.limit=1000", "all: the query as before");
    assert.equal(providersApi("active"), "/trustnet/leasing/v1/providers?pagination.limit=1000&status=active");
  });
  test("another status, or two, is a sentence, not a silent 'all'", () => {
    for (const s of ["?status=ACTIVE", "?status=", "?status=toString", "?status=active&status=paused", "?status=%3Cb%3E"]) assert.match(providerStatus(s).error ?? "", /provider status|takes one status/, s);
  });
});
