import type { Invariant } from "../../sdk/module.ts";
import type { RegistryViewKeeper } from "./keeper.ts";

/** Every registry a namespace authorises is registered, and no namespace lists its owner as a member. */
export function registryInvariants(keeper: RegistryViewKeeper): Invariant[] {
  return [
    {
      name: "registry/namespace-rights",
      check(ctx) {
        const registered = new Set(keeper.registries(ctx.store).map((r) => r.operator));
        for (const n of keeper.allNamespaces(ctx.store)) {
          const stray = keeper.authorized(ctx.store, n.namespace).find((op) => !registered.has(op));
          if (stray) return { broken: true, msg: `namespace ${n.namespace} authorises ${stray}, which is not a registered registry` };
          if (keeper.members(ctx.store, n.namespace).includes(n.owner)) return { broken: true, msg: `namespace ${n.namespace} lists its owner as a member` };
        }
        return { broken: false, msg: "" };
      },
    },
  ];
}
