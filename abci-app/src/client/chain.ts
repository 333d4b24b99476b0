// The chain's constants, for every client of it (registry, CLI, REST, benchmarks, tests): one place, no copies. The
// denom and the default gas price are the state machine's own (sdk/), re-exported here.
import { DENOM } from "../sdk/coins.ts";

export { DENOM } from "../sdk/coins.ts";
export { DEFAULT_GAS_PRICE } from "../sdk/gas.ts";

/** The chain id a devnet gets unless told otherwise. */
export const DEFAULT_CHAIN_ID = "trustnet-local-1";

/** ⌈gas × 0.025⌉ utrust: the fee that meets the default gas price for `gas`, as the ante handler computes it. */
export function defaultFee(gas: bigint): { denom: string; amount: string }[] {
  return [{ denom: DENOM, amount: ((gas * 25n + 999n) / 1000n).toString() }];
}
