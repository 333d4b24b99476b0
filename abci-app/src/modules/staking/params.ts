import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readObject } from "../../sdk/genesis-json.ts";
import { validDenom } from "../../sdk/coins.ts";
import { DEC_ONE, formatDec, parseHumanDec } from "./dec.ts";
import { formatDurationMs, parseDurationMs } from "../../sdk/time.ts";
import { DefaultParams, MAX_VALIDATORS_LIMIT, type StakingParams } from "./types.ts";

function intIn(v: unknown, field: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw ErrInvalidRequest.wrap(`${field} must be an integer in [${min}, ${max}]`);
  return v;
}

export function parseParams(raw: unknown): StakingParams {
  if (raw === undefined) return DefaultParams;
  const p = readObject(raw, "params", ["unbonding_time", "max_validators", "max_entries", "historical_entries", "bond_denom", "min_commission_rate"]);
  const bondDenom = p.bond_denom === undefined ? DefaultParams.bondDenom : String(p.bond_denom);
  if (!validDenom(bondDenom)) throw ErrInvalidRequest.wrap(`params.bond_denom ${JSON.stringify(bondDenom)} is not a valid denom`);
  const minCommissionRate = p.min_commission_rate === undefined ? 0n : parseHumanDec(String(p.min_commission_rate), "params.min_commission_rate");
  if (minCommissionRate > DEC_ONE) throw ErrInvalidRequest.wrap("params.min_commission_rate must be at most 1");
  return {
    unbondingTimeMs: p.unbonding_time === undefined ? DefaultParams.unbondingTimeMs : parseDurationMs(String(p.unbonding_time), "params.unbonding_time"),
    maxValidators: intIn(p.max_validators, "params.max_validators", 1, MAX_VALIDATORS_LIMIT, DefaultParams.maxValidators),
    maxEntries: intIn(p.max_entries, "params.max_entries", 1, 100, DefaultParams.maxEntries),
    historicalEntries: intIn(p.historical_entries, "params.historical_entries", 0, 100_000, DefaultParams.historicalEntries),
    bondDenom,
    minCommissionRate,
  };
}

export function paramsJson(p: StakingParams): Record<string, unknown> {
  return {
    unbonding_time: formatDurationMs(p.unbondingTimeMs),
    max_validators: p.maxValidators, max_entries: p.maxEntries, historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom, min_commission_rate: formatDec(p.minCommissionRate),
  };
}
