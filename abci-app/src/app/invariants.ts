// The modules' registered invariants, run over a state: after every block in tests and simulation
// (`checkInvariants`), and once at InitChain over the imported genesis, so a genesis whose sections disagree
// (e.g. staking's exported delegations without distribution's records for them) is refused before block 1.
import type { QueryCtx } from "../sdk/context.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";

export interface BrokenInvariant {
  /** The module that registered it. */
  readonly module: string;
  readonly name: string;
  readonly msg: string;
}

/** The first invariant `ctx`'s state breaks, in module order. One that throws is broken: a record it needs is missing. */
export function firstBrokenInvariant(modules: readonly ModuleDescriptor[], ctx: QueryCtx): BrokenInvariant | undefined {
  for (const m of modules) {
    for (const inv of m.invariants ?? []) {
      let r: { readonly broken: boolean; readonly msg: string };
      try {
        r = inv.check(ctx);
      } catch (err) {
        r = { broken: true, msg: err instanceof Error ? err.message : String(err) };
      }
      if (r.broken) return { module: m.name, name: inv.name, msg: r.msg };
    }
  }
  return undefined;
}
