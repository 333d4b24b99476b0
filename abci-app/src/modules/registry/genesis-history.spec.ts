// Registry genesis across an export (the Cosmos way of a breaking upgrade): a chain started from an exported
// genesis holds the registry's whole state, not only its namespaces and registries: the current tags, every tag's
// history and counter, the repositories, and the owner and rights logs that `RightsAt` (and so `trustnet registry
// verify`) answer from. Export -> import -> export is byte-identical, and the store holds the same keys and values.
// A history section that no sequence of messages could have written is refused.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testKey } from "../../app/testing/tx-builder.ts";
import { utf8 } from "../../sdk/keys.ts";
import { Branch, toHex } from "../../store/index.ts";
import { BankViewKeeper } from "../bank/index.ts";
import { registryGenesis, registryGenesisJson } from "./genesis.ts";
import { registryInvariants } from "./invariants.ts";
import { RegistryKeeper } from "./keeper.ts";
import type { TagRecord } from "./types.ts";

const EMPTY = { get: () => undefined, *iterate() {} };
const MT = "application/vnd.oci.image.manifest.v1+json";
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const T0 = 1_700_000_000n;

/** Every registry key and value of a store, in key order (hex). */
const registryKeys = (store: Branch): string[] => [...store.iterate(utf8("registry/"))].map(([k, v]) => `${toHex(k)}=${toHex(v)}`);

describe("registry genesis history", async () => {
  const [alice, bob, carol, op1, op2] = (await Promise.all([11, 12, 13, 14, 15].map(testKey))).map((x) => x.address) as [string, string, string, string, string];
  const k = new RegistryKeeper();
  const g = registryGenesis(k);
  const ctx = (store: Branch, height: bigint) => ({ store, height, chainId: "t" }) as never;
  const tag = (store: Branch, height: bigint, ns: string, repo: string, t: string, d: string, operator: string, pusher: string) =>
    k.record(store, { namespace: ns, repo, tag: t, digest: digest(d), mediaType: MT, size: BigInt(d.charCodeAt(0)), pusher, operator, height, time: T0 + height * 5n });
  /** As MsgDeleteTag records a deletion. */
  const untag = (store: Branch, height: bigint, ns: string, repo: string, t: string, operator: string) => {
    const cur = k.tag(store, ns, repo, t) as TagRecord;
    k.record(store, { ...cur, digest: "", mediaType: "", size: 0n, pusher: "", operator, height, time: T0 + height * 5n });
  };

  /** A registry that went through every message: claims, rights granted and revoked, tags recorded, deleted, a transfer, a release. */
  const chain = (): Branch => {
    const s = new Branch(EMPTY);
    g.initGenesis(ctx(s, 1n), g.validateGenesis({ namespaces: [], registries: [{ operator: op1, endpoint: "http://127.0.0.1:8000" }] }));
    k.claim(s, "acme", alice, 2n);
    k.authorize(s, "acme", alice, op1, 2n);
    k.addMember(s, "acme", alice, bob, 2n);
    tag(s, 3n, "acme", "app", "v1", "a", op1, alice);
    tag(s, 3n, "acme", "app", "v2", "b", op1, bob);
    tag(s, 4n, "acme", "app", "v1", "c", op1, bob);
    k.addMember(s, "acme", alice, carol, 4n);
    k.removeMember(s, "acme", alice, bob, 4n);
    untag(s, 5n, "acme", "app", "v2", op1);
    k.registerOperator(s, op2, "https://reg.example");
    k.transfer(s, "acme", alice, bob, 6n);
    k.authorize(s, "acme", bob, op2, 6n);
    k.claim(s, "beta", carol, 7n);
    k.authorize(s, "beta", carol, op1, 7n);
    tag(s, 7n, "beta", "x", "latest", "d", op1, carol);
    tag(s, 8n, "beta", "x", "latest", "e", op1, carol);
    k.release(s, "beta", carol, 9n);
    tag(s, 10n, "acme", "app", "v2", "f", op2, bob);
    tag(s, 10n, "acme", "web", "v1", "0", op2, bob);
    untag(s, 10n, "acme", "web", "v1", op2);
    return s;
  };
  const EXPORT_HEIGHT = 10n;
  const exportJson = (s: Branch, height: bigint): string => JSON.stringify(registryGenesisJson(g.exportGenesis(ctx(s, height))));
  const importJson = (json: string, height: bigint): Branch => {
    const s = new Branch(EMPTY);
    g.initGenesis(ctx(s, height), g.validateGenesis(JSON.parse(json)));
    return s;
  };

  test("export -> import holds the same registry keys, answers RightsAt the same, and re-exports byte-identically", () => {
    const old = chain();
    const exported = exportJson(old, EXPORT_HEIGHT);
    const fresh = importJson(exported, EXPORT_HEIGHT + 1n);
    assert.deepEqual(registryKeys(fresh), registryKeys(old), "the imported store holds every registry key and value of the exported one");
    const section = JSON.parse(exported) as { owner_log: unknown[]; rights_log: unknown[]; tag_history: { records: unknown[] }[] };
    assert.equal(section.owner_log.length, 4, "acme: claim, transfer; beta: claim, release");
    assert.ok(section.rights_log.length > 0);
    assert.equal(section.tag_history.length, 4, "acme/app:v1, acme/app:v2, acme/web:v1, beta/x:latest");
    assert.deepEqual(section.tag_history.map((s) => s.records.length), [2, 3, 2, 2]);
    for (const inv of registryInvariants(k, new BankViewKeeper())) assert.deepEqual(inv.check(ctx(fresh, EXPORT_HEIGHT + 1n)), { broken: false, msg: "" }, inv.name);

    const answers = (s: Branch) => {
      const out: string[] = [];
      for (let h = 1n; h <= EXPORT_HEIGHT; h++) {
        for (const ns of ["acme", "beta"]) for (const op of [op1, op2]) for (const p of [alice, bob, carol, ""]) out.push(`${h} ${ns} ${op} ${p} ${JSON.stringify(k.rightsAt(s, ns, op, p, h))}`);
      }
      return out;
    };
    const before = answers(old);
    assert.deepEqual(answers(fresh), before, "RightsAt answers the same at every earlier height");
    assert.ok(before.includes(`3 acme ${op1} ${bob} ${JSON.stringify({ owner: alice, operatorAuthorized: true, pusherIsOwner: false, pusherIsMember: true })}`), "bob pushed to acme as a member at height 3");
    assert.ok(before.includes(`8 beta ${op1} ${carol} ${JSON.stringify({ owner: carol, operatorAuthorized: true, pusherIsOwner: true, pusherIsMember: false })}`), "beta's rights before its release");
    assert.deepEqual(k.tag(fresh, "acme", "app", "v1")?.digest, digest("c"));
    assert.equal(k.tag(fresh, "acme", "app", "v2")?.digest, digest("f"));
    assert.equal(k.tag(fresh, "acme", "web", "v1"), undefined, "a deleted tag stays deleted");
    assert.equal(k.tag(fresh, "beta", "x", "latest")?.digest, digest("e"), "a released namespace's tags stay");

    assert.equal(exportJson(fresh, EXPORT_HEIGHT + 1n), exported, "export -> import -> export is byte-identical");
    // The new chain goes on writing where the old one stopped: the next version of a tag gets the next index.
    tag(fresh, 11n, "acme", "app", "v1", "9", op2, bob);
    assert.equal(k.lastVersion(fresh, "acme", "app", "v1").count, 3n);
  });

  test("a genesis without history sections loads as before: namespaces and rights logged at the genesis height", () => {
    assert.deepEqual(registryGenesisJson(g.defaultGenesis()), { params: { namespace_deposit: { denom: "utrust", amount: "1000000" } }, namespaces: [], registries: [] }, "the default section's JSON: the params, no history");
    const s = importJson(JSON.stringify({ namespaces: [{ namespace: "acme", owner: alice, authorized: [op1], members: [bob] }], registries: [{ operator: op1, endpoint: "http://127.0.0.1:8000" }] }), 5n);
    assert.deepEqual(k.rightsAt(s, "acme", op1, bob, 5n), { owner: alice, operatorAuthorized: true, pusherIsOwner: false, pusherIsMember: true });
    assert.deepEqual(k.rightsAt(s, "acme", op1, bob, 4n), { owner: "", operatorAuthorized: false, pusherIsOwner: false, pusherIsMember: false });
  });

  test("a history no sequence of messages could write is refused", () => {
    const valid = JSON.parse(exportJson(chain(), EXPORT_HEIGHT)) as Record<string, Record<string, unknown>[]>;
    type Section = typeof valid;
    const at = (list: string, i: number, patch: Record<string, unknown>) => (v: Section): Section => ({ ...v, [list]: v[list]!.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
    const record = (i: number, j: number, patch: Record<string, unknown>) => (v: Section): Section =>
      at("tag_history", i, { records: (v.tag_history![i]!.records as Record<string, unknown>[]).map((r, n) => (n === j ? { ...r, ...patch } : r)) })(v);
    const bad: [string, (v: Section) => unknown, RegExp][] = [
      ["an unknown owner_log field", at("owner_log", 0, { time: "1" }), /owner_log\[0\]: unknown field "time"/],
      ["an owner_log out of order", (v) => ({ ...v, owner_log: [...v.owner_log!].reverse() }), /owner_log\[1\] is out of order/],
      ["an owner_log entry twice", (v) => ({ ...v, owner_log: [v.owner_log![0], ...v.owner_log!] }), /owner_log\[1\] is out of order or repeats/],
      ["a numeric height", at("owner_log", 0, { height: 2 }), /owner_log\[0\]\.height must be a uint64/],
      ["height 0", at("owner_log", 0, { height: "0" }), /at least 1/],
      ["an owner log not ending with the owner", at("owner_log", 1, { owner: carol }), /owner log of acme ends with .* but its owner is/],
      ["an owner log starting with a release", at("owner_log", 0, { owner: "" }), /starts with a release/],
      ["a claimed namespace without owner log", (v) => ({ ...v, owner_log: v.owner_log!.filter((e) => e.namespace !== "acme") }), /rights log lists|namespace acme has no owner_log/],
      ["rights and tags without any owner log", (v) => ({ ...v, owner_log: [] }), /need the owner_log/],
      ["a right of another kind", at("rights_log", 0, { right: "admin" }), /right must be "operator" or "member"/],
      ["a rights log not ending with a listed right", (v) => ({ ...v, rights_log: v.rights_log!.map((e) => (e.address === op2 ? { ...e, held: false } : e)) }), /lists the operator .* but the rights log does not end with it held/],
      ["a right held in a released namespace", (v) => ({ ...v, rights_log: v.rights_log!.map((e) => (e.namespace === "beta" ? { ...e, held: true } : e)) }), /grants the operator .* of beta at height 9, when beta is not claimed/],
      ["a removed member still held", (v) => ({ ...v, rights_log: v.rights_log!.map((e) => (e.address === bob ? { ...e, held: true } : e)) }), /ends with the member .* of acme held, but the namespace does not list it/],
      ["an unknown record field", record(0, 0, { namespace: "acme" }), /records\[0\]: unknown field "namespace"/],
      ["a history starting with a deletion", record(0, 0, { digest: "", media_type: "", size: "0", pusher: "" }), /deletes a tag that is not there/],
      ["a deletion with a pusher", record(1, 1, { pusher: alice }), /is a deletion .* but has a media type, size or pusher/],
      ["versions out of order", record(0, 1, { height: "2" }), /version 1 is older than version 0/],
      ["a bad digest", record(0, 0, { digest: "sha256:xyz" }), /digest/],
      ["a record by an unregistered operator", record(0, 0, { operator: carol }), /recorded by .* which is not in registries/],
      ["an empty history", at("tag_history", 0, { records: [] }), /has an empty history/],
      ["tag histories out of order", (v) => ({ ...v, tag_history: [...v.tag_history!].reverse() }), /tag_history\[1\] is out of order/],
      ["an unknown section field", (v) => ({ ...v, tags: [] }), /unknown field "tags"/],
    ];
    for (const [what, mutate, message] of bad) assert.throws(() => g.validateGenesis(mutate(valid)), message, what);
    // A history at or after the new chain's first height is refused when InitChain runs it.
    assert.throws(() => importJson(JSON.stringify(valid), EXPORT_HEIGHT), /names height 10, not before the chain's initial height 10/);
    assert.ok(importJson(JSON.stringify(valid), EXPORT_HEIGHT + 1n), "the export itself is accepted");
  });
});
