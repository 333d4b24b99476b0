import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";

function keyOf(u: ValidatorUpdate): string {
  const k = u.pubKey.ed25519 ?? u.pubKey.secp256k1;
  if (!k || k.length === 0) throw new Error("validator update without a public key");
  return `${u.pubKey.ed25519 ? "ed25519" : "secp256k1"}:${Buffer.from(k).toString("hex")}`;
}

/**
 * Merges the validator updates of several modules, in blocker order. Each module's own order is kept (modules
 * emit theirs deterministically). Two updates of one validator, from one module or two, are a bug: CometBFT
 * would reject the block's response, so this throws (FinalizeBlock halts rather than commit a wrong set).
 */
export function mergeValidatorUpdates(perModule: readonly (readonly [string, readonly ValidatorUpdate[]])[]): ValidatorUpdate[] {
  const seen = new Map<string, string>();
  const out: ValidatorUpdate[] = [];
  for (const [module, updates] of perModule) {
    for (const u of updates) {
      if (u.power < 0n) throw new Error(`module ${module} returned a negative power ${u.power}`);
      const k = keyOf(u);
      const prev = seen.get(k);
      if (prev !== undefined) throw new Error(`validator ${k} updated twice in one block (by ${prev} and ${module})`);
      seen.set(k, module);
      out.push(u);
    }
  }
  return out;
}

/** The genesis validators the app computed must be exactly CometBFT's (same keys, same powers), in any order. */
export function sameValidatorSet(a: readonly ValidatorUpdate[], b: readonly ValidatorUpdate[]): boolean {
  if (a.length !== b.length) return false;
  const m = new Map(a.map((u) => [keyOf(u), u.power]));
  return b.every((u) => m.get(keyOf(u)) === u.power);
}
