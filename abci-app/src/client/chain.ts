// The chain's constants, for every client of it (registry, CLI, REST, benchmarks, tests): one place, no copies.

/** The staking and fee denom. */
export const DENOM = "utrust";
/** The chain id a devnet gets unless told otherwise. */
export const DEFAULT_CHAIN_ID = "trustnet-local-1";
/** The minimum gas price of the devnet's genesis (auth params), which clients pay by default. */
export const DEFAULT_GAS_PRICE = `0.025${DENOM}`;

/** ⌈gas × 0.025⌉ utrust: the fee that meets the default gas price for `gas`, as the ante handler computes it. */
export function defaultFee(gas: bigint): { denom: string; amount: string }[] {
  return [{ denom: DENOM, amount: ((gas * 25n + 999n) / 1000n).toString() }];
}
