import { DEC_ONE, mulDecTruncate, quoDecTruncate } from "../../sdk/dec.ts";
import type { Minter, MintParams } from "./types.ts";

/**
 * The SDK's Minter.NextInflationRate: the rate moves towards the goal bonded ratio by at most
 * inflation_rate_change per year (spread over blocks_per_year), clamped to [inflation_min, inflation_max].
 * All integer arithmetic on 18-place decimals, truncated toward zero.
 */
export function nextInflationRate(p: MintParams, m: Minter, bondedRatio: bigint): bigint {
  const perYear = mulDecTruncate(DEC_ONE - quoDecTruncate(bondedRatio, p.goalBonded), p.inflationRateChange);
  const next = m.inflation + perYear / p.blocksPerYear;
  if (next > p.inflationMax) return p.inflationMax;
  if (next < p.inflationMin) return p.inflationMin;
  return next;
}

/** Annual provisions = inflation × total supply of the mint denom (a Dec). */
export const nextAnnualProvisions = (inflation: bigint, supply: bigint): bigint => inflation * supply;

/** This block's provision: annual provisions / blocks_per_year, truncated to whole units. */
export const blockProvision = (p: MintParams, m: Minter): bigint => m.annualProvisions / (p.blocksPerYear * DEC_ONE);

/** bonded / supply as a Dec (0 with no supply). */
export const bondedRatio = (bonded: bigint, supply: bigint): bigint => (supply === 0n ? 0n : (bonded * DEC_ONE) / supply);
