import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { BlockCtx } from "../sdk/context.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";
import { mergeValidatorUpdates, sameValidatorSet } from "./validator-updates.ts";

/** Modules by name in blocker order; a name in the order that is no module, or a module with a blocker missing from the order, is a wiring bug. */
function ordered(modules: readonly ModuleDescriptor[], order: readonly string[], has: (m: ModuleDescriptor) => boolean): ModuleDescriptor[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  for (const m of modules) if (has(m) && !order.includes(m.name)) throw new Error(`module ${m.name} has a blocker missing from the blocker order`);
  return order.map((n) => {
    const m = byName.get(n);
    if (!m) throw new Error(`blocker order names unknown module ${n}`);
    return m;
  });
}

/** Checks the wiring once, at startup: every blocker is in the order and every name in it is a module. */
export function assertBlockerOrder(modules: readonly ModuleDescriptor[], order: { readonly begin: readonly string[]; readonly end: readonly string[] }): void {
  ordered(modules, order.begin, (x) => x.beginBlock !== undefined);
  ordered(modules, order.end, (x) => x.endBlock !== undefined);
}

export function runBeginBlockers(modules: readonly ModuleDescriptor[], order: readonly string[], ctx: BlockCtx): void {
  for (const m of ordered(modules, order, (x) => x.beginBlock !== undefined)) m.beginBlock?.(ctx);
}

/** Runs the end-blockers in order and merges their validator updates (one per validator, else a thrown bug). */
export function runEndBlockers(modules: readonly ModuleDescriptor[], order: readonly string[], ctx: BlockCtx): ValidatorUpdate[] {
  return mergeValidatorUpdates(ordered(modules, order, (x) => x.endBlock !== undefined).map((m) => [m.name, m.endBlock?.(ctx) ?? []] as const));
}

/**
 * InitChain's answer: the validators the modules' genesis produced. When they produced some, CometBFT's genesis
 * validators must be exactly those (or empty: then CometBFT takes the app's). A mismatch halts InitChain.
 */
export function genesisValidators(fromModules: readonly (readonly [string, readonly ValidatorUpdate[]])[], cometbft: readonly ValidatorUpdate[]): ValidatorUpdate[] {
  const ours = mergeValidatorUpdates(fromModules);
  if (ours.length === 0) return [];
  if (cometbft.length > 0 && !sameValidatorSet(ours, cometbft)) {
    const show = (l: readonly ValidatorUpdate[]): string => l.map((u) => `${Buffer.from(u.pubKey.ed25519 ?? u.pubKey.secp256k1 ?? []).toString("base64")}=${u.power}`).sort().join(", ");
    throw new Error(`genesis validators differ: CometBFT has [${show(cometbft)}], the staking genesis gives [${show(ours)}]`);
  }
  return ours;
}
