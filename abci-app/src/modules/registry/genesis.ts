import { addressBytes, bech32Address } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { type JsonObject, readList, readObject, readString } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import { MAX_AUTHORIZED_REGISTRIES, MAX_MEMBERS, type RegistryKeeper } from "./keeper.ts";
import { validateEndpoint, validateNamespace } from "./names.ts";
import type { NamespaceInfo, RegistryInfo } from "./types.ts";

/** A namespace at genesis, with the registries its owner authorises and its members (both optional). */
export interface GenesisNamespace extends NamespaceInfo {
  readonly authorized?: readonly string[];
  readonly members?: readonly string[];
}

export interface RegistryGenesis {
  readonly namespaces: readonly GenesisNamespace[];
  readonly registries: readonly RegistryInfo[];
}

const objects = (v: unknown, what: string, fields: readonly string[]): JsonObject[] => readList(v, what).map((x, i) => readObject(x, `${what}[${i}]`, fields));

/** Genesis: namespaces claimed and registry operators registered at chain start (e.g. the devnet's registry). */
export function registryGenesis(k: RegistryKeeper): GenesisHandler<RegistryGenesis> {
  return {
    defaultGenesis: () => ({ namespaces: [], registries: [] }),
    // Every rule of the messages holds here too (a genesis cannot hold what no tx could write), and the JSON is
    // read strictly: unknown fields and non-string values are refused, not dropped or coerced.
    validateGenesis(raw) {
      const g = readObject(raw ?? {}, "registry genesis", ["namespaces", "registries"]);
      const seen = new Set<string>();
      const namespaces = objects(g.namespaces, "registry genesis.namespaces", ["namespace", "owner", "authorized", "members"]).map((n, i) => {
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
        return { namespace, owner, authorized, members };
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
      return { namespaces, registries };
    },
    initGenesis(ctx, gs) {
      for (const r of gs.registries) k.registerOperator(ctx.store, r.operator, r.endpoint);
      for (const n of gs.namespaces) {
        k.claim(ctx.store, n.namespace, n.owner, ctx.height);
        for (const op of n.authorized ?? []) k.authorize(ctx.store, n.namespace, n.owner, op, ctx.height);
        for (const m of n.members ?? []) k.addMember(ctx.store, n.namespace, n.owner, m, ctx.height);
      }
    },
    toJson: registryGenesisJson,
    exportGenesis(ctx) {
      const namespaces = k.allNamespaces(ctx.store).map((n) => ({ ...n, authorized: k.authorized(ctx.store, n.namespace), members: k.members(ctx.store, n.namespace) }));
      return { namespaces, registries: k.registries(ctx.store) };
    },
  };
}

/** The JSON form of a registry genesis section. */
export function registryGenesisJson(g: RegistryGenesis): unknown {
  return {
    namespaces: g.namespaces.map((n) => ({ namespace: n.namespace, owner: n.owner, authorized: [...(n.authorized ?? [])], members: [...(n.members ?? [])] })),
    registries: g.registries.map((r) => ({ operator: r.operator, endpoint: r.endpoint })),
  };
}
