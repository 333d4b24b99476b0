// The JSON form of x/distribution's genesis (the SDK's cosmos.distribution.v1beta1.GenesisState with its proto
// field names; previous_proposer is left out: proposer rewards are gone since SDK v0.47). Parsing is strict: an
// unknown field, a bad address, a negative or unsorted DecCoins list or an out-of-range number is refused.
import { addressBytes, bech32Address, valoperAddress, valoperBytes } from "../../sdk/address.ts";
import { validDenom } from "../../sdk/coins.ts";
import { DEC_ONE, formatDec, parseHumanDec } from "../../sdk/dec.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { DecCoins } from "./dec-coins.ts";
import type { CurrentRewards, HistoricalRewards, SlashEvent, StartingInfo } from "./keeper.ts";
import { DefaultParams, type DistrParams } from "./types.ts";

/** Every record of the distribution store (validators and delegators as raw address bytes). */
export interface DistributionGenesis {
  readonly params: DistrParams;
  readonly communityPool: DecCoins;
  readonly withdrawAddresses: readonly { readonly delegator: Uint8Array; readonly withdraw: Uint8Array }[];
  readonly outstanding: readonly { readonly val: Uint8Array; readonly rewards: DecCoins }[];
  readonly commissions: readonly { readonly val: Uint8Array; readonly commission: DecCoins }[];
  readonly historical: readonly { readonly val: Uint8Array; readonly period: bigint; readonly rewards: HistoricalRewards }[];
  readonly current: readonly { readonly val: Uint8Array; readonly rewards: CurrentRewards }[];
  readonly startingInfos: readonly { readonly val: Uint8Array; readonly del: Uint8Array; readonly info: StartingInfo }[];
  readonly slashEvents: readonly { readonly val: Uint8Array; readonly event: SlashEvent }[];
}

export const emptyDistributionGenesis = (params: DistrParams = DefaultParams): DistributionGenesis => ({
  params, communityPool: [], withdrawAddresses: [], outstanding: [], commissions: [], historical: [], current: [], startingInfos: [], slashEvents: [],
});

const GENESIS_FIELDS = [
  "params", "fee_pool", "delegator_withdraw_infos", "outstanding_rewards", "validator_accumulated_commissions", "validator_historical_rewards",
  "validator_current_rewards", "delegator_starting_infos", "validator_slash_events",
] as const;

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string, fields: readonly string[]): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw ErrInvalidRequest.wrap(`${what} must be an object`);
  for (const k of Object.keys(v)) if (!fields.includes(k)) throw ErrInvalidRequest.wrap(`${what}: unknown field ${JSON.stringify(k)}`);
  return v as Obj;
}

function list(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw ErrInvalidRequest.wrap(`${what} must be a list`);
  return v;
}

const U64 = /^\d{1,20}$/;
function uint64(v: unknown, what: string): bigint {
  if (typeof v !== "string" || !U64.test(v) || BigInt(v) >= 2n ** 64n) throw ErrInvalidRequest.wrap(`${what} must be a uint64 as a decimal string`);
  return BigInt(v);
}

function dec(v: unknown, what: string): bigint {
  if (typeof v !== "string") throw ErrInvalidRequest.wrap(`${what} must be a decimal string`);
  return parseHumanDec(v, what);
}

/** The SDK's DecCoins.Validate: valid denoms, strictly sorted, every amount positive. */
function decCoins(v: unknown, what: string): DecCoins {
  const out = list(v, what).map((raw, i) => {
    const c = obj(raw, `${what}[${i}]`, ["denom", "amount"]);
    if (typeof c.denom !== "string" || !validDenom(c.denom)) throw ErrInvalidRequest.wrap(`${what}[${i}].denom ${JSON.stringify(String(c.denom).slice(0, 130))} is not a valid denom`);
    const amount = dec(c.amount, `${what}[${i}].amount`);
    if (amount === 0n) throw ErrInvalidRequest.wrap(`${what}[${i}].amount must be positive`);
    return { denom: c.denom, amount };
  });
  for (let i = 1; i < out.length; i++) if ((out[i - 1]?.denom ?? "") >= (out[i]?.denom ?? "")) throw ErrInvalidRequest.wrap(`${what} must be sorted by denom without duplicates`);
  return out;
}

const decCoinsJson = (d: DecCoins) => d.map((c) => ({ denom: c.denom, amount: formatDec(c.amount) }));

function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw ErrInvalidRequest.wrap(`${what} must be a string`);
  return v;
}

const valAddr = (v: unknown, what: string): Uint8Array => valoperBytes(str(v, what), what);
const accAddr = (v: unknown, what: string): Uint8Array => addressBytes(str(v, what), what);

export function parseDistrParams(raw: unknown): DistrParams {
  if (raw === undefined) return DefaultParams;
  const p = obj(raw, "distribution params", ["community_tax", "withdraw_addr_enabled"]);
  const communityTax = p.community_tax === undefined ? DefaultParams.communityTax : parseHumanDec(String(p.community_tax), "distribution params.community_tax");
  if (communityTax > DEC_ONE) throw ErrInvalidRequest.wrap("distribution params.community_tax must be at most 1");
  if (p.withdraw_addr_enabled !== undefined && typeof p.withdraw_addr_enabled !== "boolean") throw ErrInvalidRequest.wrap("distribution params.withdraw_addr_enabled must be true or false");
  return { communityTax, withdrawAddrEnabled: (p.withdraw_addr_enabled as boolean | undefined) ?? DefaultParams.withdrawAddrEnabled };
}

/** Parses the section record by record; the records' consistency with each other is checked by the caller. */
export function parseDistributionGenesis(raw: unknown): DistributionGenesis {
  if (raw === undefined) return emptyDistributionGenesis();
  const g = obj(raw, "distribution genesis", GENESIS_FIELDS);
  const at = (field: string, i: number): string => `distribution genesis.${field}[${i}]`;
  const pool = g.fee_pool === undefined ? {} : obj(g.fee_pool, "distribution genesis.fee_pool", ["community_pool"]);
  return {
    params: parseDistrParams(g.params),
    communityPool: decCoins(pool.community_pool, "distribution genesis.fee_pool.community_pool"),
    withdrawAddresses: list(g.delegator_withdraw_infos, "distribution genesis.delegator_withdraw_infos").map((raw, i) => {
      const w = obj(raw, at("delegator_withdraw_infos", i), ["delegator_address", "withdraw_address"]);
      return { delegator: accAddr(w.delegator_address, `${at("delegator_withdraw_infos", i)}.delegator_address`), withdraw: accAddr(w.withdraw_address, `${at("delegator_withdraw_infos", i)}.withdraw_address`) };
    }),
    outstanding: list(g.outstanding_rewards, "distribution genesis.outstanding_rewards").map((raw, i) => {
      const o = obj(raw, at("outstanding_rewards", i), ["validator_address", "outstanding_rewards"]);
      return { val: valAddr(o.validator_address, `${at("outstanding_rewards", i)}.validator_address`), rewards: decCoins(o.outstanding_rewards, `${at("outstanding_rewards", i)}.outstanding_rewards`) };
    }),
    commissions: list(g.validator_accumulated_commissions, "distribution genesis.validator_accumulated_commissions").map((raw, i) => {
      const what = at("validator_accumulated_commissions", i);
      const c = obj(raw, what, ["validator_address", "accumulated"]);
      const acc = c.accumulated === undefined ? {} : obj(c.accumulated, `${what}.accumulated`, ["commission"]);
      return { val: valAddr(c.validator_address, `${what}.validator_address`), commission: decCoins(acc.commission, `${what}.accumulated.commission`) };
    }),
    historical: list(g.validator_historical_rewards, "distribution genesis.validator_historical_rewards").map((raw, i) => {
      const what = at("validator_historical_rewards", i);
      const h = obj(raw, what, ["validator_address", "period", "rewards"]);
      const r = obj(h.rewards, `${what}.rewards`, ["cumulative_reward_ratio", "reference_count"]);
      const count = r.reference_count;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 2 ** 32 - 1) throw ErrInvalidRequest.wrap(`${what}.rewards.reference_count must be a positive uint32`);
      return {
        val: valAddr(h.validator_address, `${what}.validator_address`), period: uint64(h.period, `${what}.period`),
        rewards: { cumulativeRewardRatio: decCoins(r.cumulative_reward_ratio, `${what}.rewards.cumulative_reward_ratio`), referenceCount: count },
      };
    }),
    current: list(g.validator_current_rewards, "distribution genesis.validator_current_rewards").map((raw, i) => {
      const what = at("validator_current_rewards", i);
      const c = obj(raw, what, ["validator_address", "rewards"]);
      const r = obj(c.rewards, `${what}.rewards`, ["rewards", "period"]);
      const period = uint64(r.period, `${what}.rewards.period`);
      if (period === 0n) throw ErrInvalidRequest.wrap(`${what}.rewards.period must be at least 1`);
      return { val: valAddr(c.validator_address, `${what}.validator_address`), rewards: { rewards: decCoins(r.rewards, `${what}.rewards.rewards`), period } };
    }),
    startingInfos: list(g.delegator_starting_infos, "distribution genesis.delegator_starting_infos").map((raw, i) => {
      const what = at("delegator_starting_infos", i);
      const s = obj(raw, what, ["delegator_address", "validator_address", "starting_info"]);
      const info = obj(s.starting_info, `${what}.starting_info`, ["previous_period", "stake", "height"]);
      return {
        val: valAddr(s.validator_address, `${what}.validator_address`), del: accAddr(s.delegator_address, `${what}.delegator_address`),
        info: { previousPeriod: uint64(info.previous_period, `${what}.starting_info.previous_period`), stake: dec(info.stake, `${what}.starting_info.stake`), height: uint64(info.height, `${what}.starting_info.height`) },
      };
    }),
    slashEvents: list(g.validator_slash_events, "distribution genesis.validator_slash_events").map((raw, i) => {
      const what = at("validator_slash_events", i);
      const s = obj(raw, what, ["validator_address", "height", "period", "validator_slash_event"]);
      const e = obj(s.validator_slash_event, `${what}.validator_slash_event`, ["validator_period", "fraction"]);
      const period = uint64(s.period, `${what}.period`);
      if (uint64(e.validator_period, `${what}.validator_slash_event.validator_period`) !== period) throw ErrInvalidRequest.wrap(`${what}: period and validator_slash_event.validator_period differ`);
      const fraction = dec(e.fraction, `${what}.validator_slash_event.fraction`);
      if (fraction > DEC_ONE) throw ErrInvalidRequest.wrap(`${what}.validator_slash_event.fraction must be at most 1`);
      return { val: valAddr(s.validator_address, `${what}.validator_address`), event: { height: uint64(s.height, `${what}.height`), validatorPeriod: period, fraction } };
    }),
  };
}

export function distributionGenesisJson(g: DistributionGenesis): Record<string, unknown> {
  return {
    params: { community_tax: formatDec(g.params.communityTax), withdraw_addr_enabled: g.params.withdrawAddrEnabled },
    fee_pool: { community_pool: decCoinsJson(g.communityPool) },
    delegator_withdraw_infos: g.withdrawAddresses.map((w) => ({ delegator_address: bech32Address(w.delegator), withdraw_address: bech32Address(w.withdraw) })),
    outstanding_rewards: g.outstanding.map((o) => ({ validator_address: valoperAddress(o.val), outstanding_rewards: decCoinsJson(o.rewards) })),
    validator_accumulated_commissions: g.commissions.map((c) => ({ validator_address: valoperAddress(c.val), accumulated: { commission: decCoinsJson(c.commission) } })),
    validator_historical_rewards: g.historical.map((h) => ({
      validator_address: valoperAddress(h.val), period: h.period.toString(),
      rewards: { cumulative_reward_ratio: decCoinsJson(h.rewards.cumulativeRewardRatio), reference_count: h.rewards.referenceCount },
    })),
    validator_current_rewards: g.current.map((c) => ({ validator_address: valoperAddress(c.val), rewards: { rewards: decCoinsJson(c.rewards.rewards), period: c.rewards.period.toString() } })),
    delegator_starting_infos: g.startingInfos.map((s) => ({
      delegator_address: bech32Address(s.del), validator_address: valoperAddress(s.val),
      starting_info: { previous_period: s.info.previousPeriod.toString(), stake: formatDec(s.info.stake), height: s.info.height.toString() },
    })),
    validator_slash_events: g.slashEvents.map((s) => ({
      validator_address: valoperAddress(s.val), height: s.event.height.toString(), period: s.event.validatorPeriod.toString(),
      validator_slash_event: { validator_period: s.event.validatorPeriod.toString(), fraction: formatDec(s.event.fraction) },
    })),
  };
}
