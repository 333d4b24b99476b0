// The explorer's markup (static/markup.js, plain browser JS loaded here as it is), rendered from the REST shapes:
// namespaces show the deposit they hold (registry `deposit`, a list of coins), providers whether they are paused
// (leasing `paused`), and chain data stays text.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

type Markup = { toString(): string };
type Coin = { denom: string; amount: string };
const mod = (await import(new URL("./static/markup.js", import.meta.url).href)) as {
  nsTable: (list: readonly { namespace: string; owner: string; deposit?: readonly Coin[] }[]) => Markup;
  namespaceFacts: (n: { namespace: string; owner: string; deposit?: readonly Coin[] }) => Markup;
  pausedNote: (p: { paused?: boolean }) => Markup | string;
  accepting: (p: { paused?: boolean }) => string;
  coins: (list: readonly Coin[] | undefined) => string;
  providerStatusLinks: (current: string) => Markup;
  noProviders: (status: string) => string;
};
const { nsTable, namespaceFacts, pausedNote, accepting, coins, providerStatusLinks, noProviders } = mod;

const OWNER = "trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx";
/** The text of the first element carrying `data-testid="<id>"` (tags stripped). */
const testid = (markup: Markup, id: string): string[] =>
  [...String(markup).matchAll(new RegExp(`data-testid="${id}"[^>]*>(.*?)</(?:td|dd|span)>`, "gsu"))].map((m) => (m[1] ?? "").replace(/<[^>]*>/gu, ""));

describe("namespaces show their deposit", () => {
  test("the namespaces table has a Deposit column: the coins each namespace holds", () => {
    const table = nsTable([
      { namespace: "webns", owner: OWNER, deposit: [{ denom: "utrust", amount: "1000000" }] },
      { namespace: "big", owner: OWNER, deposit: [{ denom: "utrust", amount: "1234500000" }, { denom: "uother", amount: "7" }] },
      { namespace: "genesis-ns", owner: OWNER, deposit: [] },
    ]);
    assert.match(String(table), /<th class="hide-s">Deposit<\/th>/u);
    assert.deepEqual(testid(table, "namespace-deposit"), ["1 TRUST", "1,234.5 TRUST, 7 uother", "0"]);
    assert.match(String(table), /data-namespace="webns"/u);
    assert.match(String(nsTable([])), /No namespaces claimed yet/u);
  });
  test("a namespace's page says what it holds and that release refunds it", () => {
    const facts = namespaceFacts({ namespace: "webns", owner: OWNER, deposit: [{ denom: "utrust", amount: "2500000" }] });
    assert.deepEqual(testid(facts, "namespace-deposit"), ["2.5 TRUST (locked by the claim; refunded to the owner on release)"]);
    assert.match(String(facts), new RegExp(`<a href="/account/${OWNER}" data-link>${OWNER}</a>`, "u"));
    assert.equal(coins(undefined), "0", "a server without deposits (older REST) shows 0, not an error");
  });
  test("a denom or amount from the chain stays text", () => {
    const table = nsTable([{ namespace: "x", owner: OWNER, deposit: [{ denom: "<img src=x onerror=alert(1)>", amount: "1" }] }]);
    assert.ok(!String(table).includes("<img"), String(table));
    assert.match(String(table), /&lt;img src=x onerror=alert\(1\)&gt;/u);
  });
});

describe("providers show whether they are paused", () => {
  test("a paused provider is marked on /providers and its page says new leases are refused", () => {
    assert.deepEqual(testid(pausedNote({ paused: true }) as Markup, "provider-paused"), ["(paused: no new leases)"]);
    assert.equal(String(pausedNote({ paused: false })), "");
    assert.equal(String(pausedNote({})), "", "a provider without the field (older REST) is not marked");
    assert.match(accepting({ paused: true }), /^paused by its owner .*new ones are refused$/u);
    assert.equal(accepting({ paused: false }), "accepted");
  });
});

describe("/providers filters on whether providers take new leases", () => {
  test("a link per status, the current one in bold; the empty list says what was filtered", () => {
    const links = String(providerStatusLinks("active"));
    assert.match(links, /<strong data-status="active">Taking new leases<\/strong>/u);
    assert.match(links, /<a href="\/providers" data-link data-status="all">All<\/a>/u);
    assert.match(links, /<a href="\/providers\?status=paused" data-link data-status="paused">Paused<\/a>/u);
    assert.equal([...links.matchAll(/data-status=/gu)].length, 3);
    assert.equal(noProviders("active"), "No provider is taking new leases.");
    assert.equal(noProviders("paused"), "No provider is paused.");
    assert.equal(noProviders("all"), "No providers registered.");
  });
});
