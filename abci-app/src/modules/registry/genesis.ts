import { addressBytes, bech32Address } from "../../sdk/address.ts";
import { DENOM } from "../../sdk/coins.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { type JsonObject, readList, readObject, readString } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import {
  checkHistory, type GenesisTagHistory, lastHistoryHeight, ownerLogJson, readOwnerLog, readRightsLog, readTagHistory, rightsLogJson, tagHistoryJson,
} from "./genesis-history.ts";
import { MAX_AUTHORIZED_REGISTRIES, MAX_MEMBERS, type OwnerLogEntry, type RegistryKeeper, type RightsLogEntry } from "./keeper.ts";
import { validateEndpoint, validateNamespace } from "./names.ts";
import { coinJson, DefaultParams, paramsJson, parseParams, readDeposit, type RegistryParams } from "./params.ts";
import type { RegistryInfo } from "./types.ts";

/**
 * A namespace at genesis, with the deposit it holds (utrust; 0 when the genesis names none: the bank section must
 * give the registry module account the sum of them), the registries its owner authorises and its members.
 */
export interface GenesisNamespace {
  readonly namespace: string;
  readonly owner: string;
  readonly deposit?: bigint;
  readonly authorized?: readonly string[];
  readonly members?: readonly string[];
}

/**
 * The history sections (owner_log, rights_log, tag_history) are optional: a genesis written by hand (the devnet's)
 * has none, and its namespaces' owners and rights are logged at the genesis height. An exported genesis carries
 * them, and the import writes them as they were.
 */
export interface RegistryGenesis {
  /** Absent in a section written before the params existed: the defaults. */
  readonly params?: RegistryParams;
  readonly namespaces: readonly GenesisNamespace[];
  readonly registries: readonly RegistryInfo[];
  readonly ownerLog?: readonly OwnerLogEntry[];
  readonly rightsLog?: readonly RightsLogEntry[];
  readonly tagHistory?: readonly GenesisTagHistory[];
}

const objects = (v: unknown, what: string, fields: readonly string[]): JsonObject[] => readList(v, what).map((x, i) => readObject(x, `${what}[${i}]`, fields));

/**
 * Genesis: namespaces claimed and registry operators registered at chain start (e.g. the devnet's registry), and,
 * in an exported genesis, the registry's history: owner and rights logs, every tag's versions.
 */
export function registryGenesis(k: RegistryKeeper): GenesisHandler<RegistryGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams, namespaces: [], registries: [] }),
    // Every rule of the messages holds here too (a genesis cannot hold what no tx could write), and the JSON is
    // read strictly: unknown fields and non-string values are refused, not dropped or coerced.
    validateGenesis(raw) {
      const g = readObject(raw ?? {}, "registry genesis", ["params", "namespaces", "registries", "owner_log", "rights_log", "tag_history"]);
      const params = parseParams(g.params);
      const seen = new Set<string>();
      const namespaces = objects(g.namespaces, "registry genesis.namespaces", ["namespace", "owner", "deposit", "authorized", "members"]).map((n, i) => {
        const namespace = readString(n.namespace, `registry genesis.namespaces[${i}].namespace`);
        validateNamespace(namespace);
        if (seen.has(namespace)) throw ErrInvalidRequest.wrap(`registry genesis: namespace ${namespace} listed twice`);
        seen.add(namespace);
        const owner = bech32Address(addressBytes(readString(n.owner, `registry genesis: ${namespace}.owner`), "namespace owner"));
        const addrs = (v: unknown, what: string, max: number): string[] => {
          const list = readList(v, `registry genesis: ${namespace}.${what}`);
          if (list.length > max) throw ErrInvalidRequest.wrap(`registry genesis: ${namespace}.${what} must be a list of at most ${max} addresses`);
          const out = list.map((a, j) => bech32Address(addressBytes(readString(a, `registry genesis: ${namespace}.${what}[${j}]`), `${namespace}.${what}`)));
          if (new Set(out).size !== out.length) throw ErrInvalidRequest.wrap(`registry genesis: ${namespace}.${what} lists an address twice`);
          return out;
        };
        const authorized = addrs(n.authorized, "authorized", MAX_AUTHORIZED_REGISTRIES);
        const members = addrs(n.members, "members", MAX_MEMBERS);
        if (members.includes(owner)) throw ErrInvalidRequest.wrap(`registry genesis: ${namespace}.members lists its owner`);
        const deposit = n.deposit === undefined ? 0n : readDeposit(n.deposit, `registry genesis.namespaces[${i}].deposit`).amount;
        return { namespace, owner, deposit, authorized, members };
      });
      const registries = objects(g.registries, "registry genesis.registries", ["operator", "endpoint"]).map((r, i) => {
        const operator = bech32Address(addressBytes(readString(r.operator, `registry genesis.registries[${i}].operator`), "operator"));
        const endpoint = readString(r.endpoint, `registry genesis.registries[${i}].endpoint`);
        validateEndpoint(endpoint);
        return { operator, endpoint };
      });
      const operators = new Set(registries.map((r) => r.operator));
      if (operators.size !== registries.length) throw ErrInvalidRequest.wrap("registry genesis: a registry operator is listed twice");
      for (const n of namespaces) {
        for (const op of n.authorized ?? []) if (!operators.has(op)) throw ErrInvalidRequest.wrap(`registry genesis: ${n.namespace} authorises ${op}, which is not in registries`);
      }
      const ownerLog = readOwnerLog(g.owner_log);
      const rightsLog = readRightsLog(g.rights_log);
      const tagHistory = readTagHistory(g.tag_history);
      checkHistory({ namespaces, operators }, ownerLog, rightsLog, tagHistory);
      return { params, namespaces, registries, ownerLog, rightsLog, tagHistory };
    },
    initGenesis(ctx, gs) {
      const ownerLog = gs.ownerLog ?? [];
      const rightsLog = gs.rightsLog ?? [];
      const tagHistory = gs.tagHistory ?? [];
      const last = lastHistoryHeight(ownerLog, rightsLog, tagHistory);
      if (last >= ctx.height) throw ErrInvalidRequest.wrap(`registry genesis: the history names height ${last}, not before the chain's initial height ${ctx.height}`);
      k.setParams(ctx.store, gs.params ?? DefaultParams);
      for (const r of gs.registries) k.registerOperator(ctx.store, r.operator, r.endpoint);
      if (ownerLog.length === 0) {
        // No history given: the namespaces are claimed, and their rights granted, at the genesis height.
        for (const n of gs.namespaces) {
          k.claim(ctx.store, n.namespace, n.owner, ctx.height, n.deposit ?? 0n);
          for (const op of n.authorized ?? []) k.authorize(ctx.store, n.namespace, n.owner, op, ctx.height);
          for (const m of n.members ?? []) k.addMember(ctx.store, n.namespace, n.owner, m, ctx.height);
        }
        return;
      }
      for (const n of gs.namespaces) {
        k.restoreNamespace(ctx.store, n.namespace, n.owner, n.deposit ?? 0n);
        for (const op of n.authorized ?? []) k.restoreRight(ctx.store, n.namespace, "o", op);
        for (const m of n.members ?? []) k.restoreRight(ctx.store, n.namespace, "m", m);
      }
      for (const e of ownerLog) k.restoreOwnerLog(ctx.store, e);
      for (const e of rightsLog) k.restoreRightsLog(ctx.store, e);
      // Replayed through the keeper's writer: the history keys and counters, the current tags and the repositories.
      for (const s of tagHistory) for (const r of s.records) k.record(ctx.store, r);
    },
    toJson: registryGenesisJson,
    exportGenesis(ctx) {
      const namespaces = k.allNamespaces(ctx.store).map((n) => ({
        namespace: n.namespace, owner: n.owner, deposit: k.depositOf(ctx.store, n.namespace), authorized: k.authorized(ctx.store, n.namespace), members: k.members(ctx.store, n.namespace),
      }));
      const tagHistory = [...k.taggedNames(ctx.store)].map((t) => ({ ...t, records: [...k.historyEntries(ctx.store, t.namespace, t.repo, t.tag)].map(([, r]) => r) }));
      return { params: k.params(ctx.store), namespaces, registries: k.registries(ctx.store), ownerLog: [...k.ownerLogEntries(ctx.store)], rightsLog: [...k.rightsLogEntries(ctx.store)], tagHistory };
    },
  };
}

/** The JSON form of a registry genesis section; the history sections only when they hold something. */
export function registryGenesisJson(g: RegistryGenesis): unknown {
  return {
    params: paramsJson(g.params ?? DefaultParams),
    namespaces: g.namespaces.map((n) => ({
      namespace: n.namespace, owner: n.owner, deposit: coinJson({ denom: DENOM, amount: n.deposit ?? 0n }), authorized: [...(n.authorized ?? [])], members: [...(n.members ?? [])],
    })),
    registries: g.registries.map((r) => ({ operator: r.operator, endpoint: r.endpoint })),
    ...(g.ownerLog?.length ? { owner_log: ownerLogJson(g.ownerLog) } : {}),
    ...(g.rightsLog?.length ? { rights_log: rightsLogJson(g.rightsLog) } : {}),
    ...(g.tagHistory?.length ? { tag_history: tagHistoryJson(g.tagHistory) } : {}),
  };
}
