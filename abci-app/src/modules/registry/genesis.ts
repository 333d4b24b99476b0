import { addressBytes, bech32Address } from "../../app/address.ts";
import { ErrInvalidRequest } from "../../app/errors.ts";
import type { GenesisHandler } from "../../app/module.ts";
import type { RegistryKeeper } from "./keeper.ts";
import { validateNamespace } from "./names.ts";
import type { NamespaceInfo, RegistryInfo } from "./types.ts";

export interface RegistryGenesis {
  readonly namespaces: readonly NamespaceInfo[];
  readonly registries: readonly RegistryInfo[];
}

function list(v: unknown, what: string): Record<string, unknown>[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "object" && x !== null)) throw ErrInvalidRequest.wrap(`registry genesis: ${what} must be a list of objects`);
  return v as Record<string, unknown>[];
}

/** Genesis: namespaces claimed and registry operators registered at chain start (e.g. the devnet's registry). */
export function registryGenesis(k: RegistryKeeper): GenesisHandler<RegistryGenesis> {
  return {
    defaultGenesis: () => ({ namespaces: [], registries: [] }),
    validateGenesis(raw) {
      if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) throw ErrInvalidRequest.wrap("registry genesis must be an object");
      const g = (raw ?? {}) as Record<string, unknown>;
      const seen = new Set<string>();
      const namespaces = list(g.namespaces, "namespaces").map((n) => {
        const namespace = String(n.namespace);
        validateNamespace(namespace);
        if (seen.has(namespace)) throw ErrInvalidRequest.wrap(`registry genesis: namespace ${namespace} listed twice`);
        seen.add(namespace);
        return { namespace, owner: bech32Address(addressBytes(String(n.owner), "namespace owner")) };
      });
      const registries = list(g.registries, "registries").map((r) => ({ operator: bech32Address(addressBytes(String(r.operator), "operator")), endpoint: String(r.endpoint) }));
      return { namespaces, registries };
    },
    initGenesis(ctx, gs) {
      for (const r of gs.registries) k.registerOperator(ctx.store, r.operator, r.endpoint);
      for (const n of gs.namespaces) k.claim(ctx.store, n.namespace, n.owner);
    },
    exportGenesis(ctx) {
      return { namespaces: k.allNamespaces(ctx.store), registries: k.registries(ctx.store) };
    },
  };
}
