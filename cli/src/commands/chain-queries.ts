// The query side shared by `trustnet query staking|slashing`: one cosmjs QueryClient with both extensions.
import { setupSlashingExtension, setupStakingExtension, type StakingExtension } from "@cosmjs/stargate";
import type { GlobalOptions } from "../global-options.ts";
import { withQueryClient } from "./module-query.ts";

/** cosmjs exports the slashing extension's setup but not its type from the package root. */
type SlashingExtension = ReturnType<typeof setupSlashingExtension>;
const E18 = 10n ** 18n;

/** Runs `f` with cosmjs's staking and slashing query extensions, after checking the node and chain id. */
export function withChainQueries<T>(a: GlobalOptions, f: (q: StakingExtension & SlashingExtension) => Promise<T>): Promise<T> {
  return withQueryClient(a, (q) => f({ ...setupStakingExtension(q), ...setupSlashingExtension(q) }));
}

/** An 18-place decimal's wire integer ("50000000000000000") as "0.05". */
export const rate = (wire: string): string => {
  const v = BigInt(wire || "0");
  return `${v / E18}.${(v % E18).toString().padStart(18, "0").replace(/0+$/u, "") || "0"}`;
};
