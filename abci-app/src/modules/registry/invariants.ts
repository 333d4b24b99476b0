import { DENOM } from "../../sdk/coins.ts";
import type { Invariant } from "../../sdk/module.ts";
import { bytesEqual } from "../../store/index.ts";
import { MAX_AUTHORIZED_REGISTRIES, MAX_MEMBERS, type RegistryViewKeeper } from "./keeper.ts";
import type { RegistryBankKeeper } from "./expected-keepers.ts";
import { TagRecord } from "./types.ts";

const ok = { broken: false, msg: "" };
const broken = (msg: string) => ({ broken: true, msg });
/** A height past every block: the rights and owner logs' latest entries. */
const LATEST = 2n ** 64n - 1n;

/**
 * The registry's state agrees with itself: the rights of claimed namespaces only, within their caps and as the
 * rights log says; the owner index is the namespace map; every current tag is the last version of its history; the
 * registry module account holds exactly the deposits of the claimed namespaces.
 */
export function registryInvariants(keeper: RegistryViewKeeper, bank: Pick<RegistryBankKeeper, "getBalance">): Invariant[] {
  return [
    {
      name: "registry/deposits",
      check(ctx) {
        let held = 0n;
        for (const d of keeper.depositEntries(ctx.store)) {
          if (d.amount <= 0n) return broken(`namespace ${d.namespace} records a deposit of ${d.amount} (a namespace holding none has no deposit key)`);
          if (keeper.ownerOf(ctx.store, d.namespace) === undefined) return broken(`unclaimed namespace ${d.namespace} still holds a deposit of ${d.amount}${DENOM}`);
          held += d.amount;
        }
        const balance = bank.getBalance(ctx.store, keeper.escrowAddress(), DENOM);
        if (balance !== held) return broken(`the registry module account holds ${balance}${DENOM}, the namespaces' deposits sum to ${held}${DENOM}`);
        return ok;
      },
    },
    {
      name: "registry/namespace-rights",
      check(ctx) {
        const registered = new Set(keeper.registries(ctx.store).map((r) => r.operator));
        for (const n of keeper.allNamespaces(ctx.store)) {
          const authorized = keeper.authorized(ctx.store, n.namespace);
          const members = keeper.members(ctx.store, n.namespace);
          const stray = authorized.find((op) => !registered.has(op));
          if (stray) return broken(`namespace ${n.namespace} authorises ${stray}, which is not a registered registry`);
          if (members.includes(n.owner)) return broken(`namespace ${n.namespace} lists its owner as a member`);
          if (authorized.length > MAX_AUTHORIZED_REGISTRIES) return broken(`namespace ${n.namespace} authorises ${authorized.length} registries (at most ${MAX_AUTHORIZED_REGISTRIES})`);
          if (members.length > MAX_MEMBERS) return broken(`namespace ${n.namespace} has ${members.length} members (at most ${MAX_MEMBERS})`);
          if (keeper.ownerAt(ctx.store, n.namespace, LATEST) !== n.owner) return broken(`the owner log of ${n.namespace} does not end with its owner ${n.owner}`);
        }
        for (const r of keeper.rightEntries(ctx.store)) {
          const what = r.kind === "o" ? "an authorised registry" : "a member";
          if (keeper.ownerOf(ctx.store, r.namespace) === undefined) return broken(`unclaimed namespace ${r.namespace} still lists ${what}, ${r.address}`);
          if (!keeper.rightHeldAt(ctx.store, r.namespace, r.kind, r.address, LATEST)) return broken(`the rights log of ${r.namespace} does not say ${r.address} is ${what}`);
        }
        return ok;
      },
    },
    {
      name: "registry/owner-index",
      check(ctx) {
        let indexed = 0;
        for (const e of keeper.ownerIndex(ctx.store)) {
          indexed++;
          const owner = keeper.ownerOf(ctx.store, e.namespace);
          if (owner !== e.owner) return broken(`the owner index lists ${e.namespace} under ${e.owner}, but its owner is ${owner ?? "nobody"}`);
        }
        const claimed = keeper.allNamespaces(ctx.store).length;
        if (indexed !== claimed) return broken(`the owner index lists ${indexed} namespaces, ${claimed} are claimed`);
        return ok;
      },
    },
    {
      name: "registry/tags",
      check(ctx) {
        for (const t of keeper.allTags(ctx.store)) {
          const name = `${t.namespace}/${t.repo}:${t.tag}`;
          const r = t.record;
          if (r.namespace !== t.namespace || r.repo !== t.repo || r.tag !== t.tag) return broken(`the record stored as ${name} names ${r.namespace}/${r.repo}:${r.tag}`);
          if (r.digest === "") return broken(`${name} is current with an empty digest (a deletion)`);
          if (!keeper.hasRepo(ctx.store, t.namespace, t.repo)) return broken(`${name} is current but ${t.namespace}/${t.repo} is not listed as a repository`);
          const { count, last } = keeper.lastVersion(ctx.store, t.namespace, t.repo, t.tag);
          if (last === undefined) return broken(`${name} has no history entry at ${count === 0n ? "all" : `index ${count - 1n} (its count is ${count})`}`);
          if (!bytesEqual(TagRecord.encode(last).finish(), TagRecord.encode(r).finish())) return broken(`${name} is not the last version of its history`);
        }
        return ok;
      },
    },
  ];
}
