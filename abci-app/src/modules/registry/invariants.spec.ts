// The registry's invariants: a state the messages build (claims, rights, transfers, releases, records, deletions)
// passes them all; each way the keys could disagree with each other is reported, naming what is wrong.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testKey } from "../../app/testing/tx-builder.ts";
import { utf8 } from "../../sdk/keys.ts";
import { addressBytes } from "../../sdk/address.ts";
import { Branch } from "../../store/index.ts";
import { BankViewKeeper } from "../bank/index.ts";
import { balanceKey } from "../bank/keys.ts";
import { registryInvariants } from "./invariants.ts";
import { MAX_MEMBERS, RegistryKeeper } from "./keeper.ts";
import { authorizedKey, byOwnerKey, depositKey, historyCountKey, memberKey, namespaceKey, repoKey, tagKey, u64be } from "./keys.ts";
import { TagRecord } from "./types.ts";

const EMPTY = { get: () => undefined, *iterate() {} };
const D = (c: string): string => `sha256:${c.repeat(64)}`;

describe("registry invariants", async () => {
  const keys = await Promise.all(Array.from({ length: MAX_MEMBERS + 4 }, (_, i) => testKey(100 + i)));
  const [alice, bob, op, eve] = keys as [(typeof keys)[0], (typeof keys)[0], (typeof keys)[0], (typeof keys)[0]];
  const k = new RegistryKeeper();
  const firstBroken = (store: Branch): string | undefined => {
    for (const inv of registryInvariants(k, new BankViewKeeper())) {
      const r = inv.check({ store, height: 100n, chainId: "t" } as never);
      if (r.broken) return `${inv.name}: ${r.msg}`;
    }
    return undefined;
  };
  /** A state built only by keeper calls, as the messages make it. */
  const built = (): Branch => {
    const s = new Branch(EMPTY);
    k.registerOperator(s, op.address, "http://127.0.0.1:8000");
    k.claim(s, "acme", alice.address, 1n, 700n);
    s.set(balanceKey(addressBytes(k.escrowAddress()), "utrust"), utf8("700")); // as bank's escrow of the claim left it
    k.authorize(s, "acme", alice.address, op.address, 2n);
    k.addMember(s, "acme", alice.address, eve.address, 2n);
    const rec = { namespace: "acme", repo: "web/app", tag: "v1", digest: D("a"), mediaType: "a/b", size: 1n, pusher: alice.address, operator: op.address, height: 3n, time: 3n };
    k.record(s, rec);
    k.record(s, { ...rec, digest: D("b"), height: 4n });
    k.record(s, { ...rec, tag: "gone", height: 4n });
    k.record(s, { ...rec, tag: "gone", digest: "", mediaType: "", size: 0n, pusher: "", height: 5n });
    k.claim(s, "moving", alice.address, 5n);
    k.addMember(s, "moving", alice.address, bob.address, 5n);
    k.transfer(s, "moving", alice.address, bob.address, 6n);
    k.claim(s, "left", bob.address, 6n);
    k.authorize(s, "left", bob.address, op.address, 6n);
    k.release(s, "left", bob.address, 7n);
    return s;
  };

  test("a state the messages build breaks none", () => {
    assert.equal(firstBroken(built()), undefined);
  });

  test("each disagreement between the keys is reported", () => {
    const cases: [string, (s: Branch) => void, RegExp][] = [
      ["a namespace missing from the owner index", (s) => s.delete(byOwnerKey(addressBytes(alice.address), "acme")), /owner-index: the owner index lists \d+ namespaces, \d+ are claimed/],
      ["an index entry under a former owner", (s) => s.set(byOwnerKey(addressBytes(alice.address), "moving"), Uint8Array.of(1)), /owner-index: the owner index lists moving under .* but its owner is/],
      ["a released namespace that still authorises a registry", (s) => s.set(authorizedKey("left", addressBytes(op.address)), Uint8Array.of(1)), /unclaimed namespace left still lists an authorised registry/],
      ["a member the rights log never recorded", (s) => s.set(memberKey("acme", addressBytes(bob.address)), Uint8Array.of(1)), /the rights log of acme does not say .* is a member/],
      ["an owner the owner log never recorded", (s) => s.set(namespaceKey("acme"), utf8(bob.address)), /the owner log of acme does not end with its owner/],
      ["more members than the cap", (s) => {
        for (const m of keys.slice(4)) s.set(memberKey("acme", addressBytes(m.address)), Uint8Array.of(1));
      }, /acme has \d+ members \(at most 64\)/],
      ["a current tag that is not the last version", (s) => s.set(tagKey("acme", "web/app", "v1"), TagRecord.encode({ namespace: "acme", repo: "web/app", tag: "v1", digest: D("c"), mediaType: "a/b", size: 1n, pusher: alice.address, operator: op.address, height: 9n, time: 9n }).finish()), /acme\/web\/app:v1 is not the last version of its history/],
      ["a history counter past its entries", (s) => s.set(historyCountKey("acme", "web/app", "v1"), u64be(7n)), /has no history entry at index 6/],
      ["a current tag without its repository", (s) => s.delete(repoKey("acme", "web/app")), /is not listed as a repository/],
      ["a deposit the module account does not hold", (s) => s.set(depositKey("moving"), utf8("5")), /deposits: the registry module account holds 700utrust, the namespaces' deposits sum to 705utrust/],
      ["a released namespace that still holds a deposit", (s) => s.set(depositKey("left"), utf8("1")), /deposits: unclaimed namespace left still holds a deposit of 1utrust/],
      ["a deposit key of 0", (s) => s.set(depositKey("moving"), utf8("0")), /deposits: namespace moving records a deposit of 0/],
      ["coins in the module account no namespace holds", (s) => s.set(balanceKey(addressBytes(k.escrowAddress()), "utrust"), utf8("701")), /holds 701utrust, the namespaces' deposits sum to 700utrust/],
      ["a record stored under another tag's key", (s) => s.set(tagKey("acme", "web/app", "v2"), s.get(tagKey("acme", "web/app", "v1")) as Uint8Array), /the record stored as acme\/web\/app:v2 names acme\/web\/app:v1/],
    ];
    for (const [what, corrupt, message] of cases) {
      const s = built();
      corrupt(s);
      assert.match(firstBroken(s) ?? "not reported", message, what);
    }
  });
});
