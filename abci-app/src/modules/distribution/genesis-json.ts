// The JSON form of x/distribution's genesis (the SDK's cosmos.distribution.v1beta1.GenesisState with its proto
// field names; previous_proposer is left out: proposer rewards are gone since SDK v0.47). Parsing is strict: an
// unknown field, a bad address, a negative or unsorted DecCoins list or an out-of-range number is refused.
import { addressBytes, bech32Address, valoperAddress, valoperBytes } from "../../sdk/address.ts";
import { validDenom } from "../../sdk/coins.ts";
import { DEC_ONE, formatDec, parseHumanDec } from "../../sdk/dec.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readBool, readList, readObject, readString, readUint64 } from "../../sdk/genesis-json.ts";
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

function dec(v: unknown, what: string): bigint {
  if (typeof v !== "string") throw ErrInvalidRequest.wrap(`${what} must be a decimal string`);
  return parseHumanDec(v, what);
}

/** The SDK's DecCoins.Validate: valid denoms, strictly sorted, every amount positive. */
function decCoins(v: unknown, what: string): DecCoins {
  const out = readList(v, what).map((raw, i) => {
    const c = readObject(raw, `${what}[${i}]`, ["denom", "amount"]);
    if (typeof c.denom !== "string" || !validDenom(c.denom)) throw ErrInvalidRequest.wrap(`${what}[${i}].denom ${JSON.stringify(String(c.denom).slice(0, 130))} is not a valid denom`);
    const amount = dec(c.amount, `${what}[${i}].amount`);
    if (amount === 0n) throw ErrInvalidRequest.wrap(`${what}[${i}].amount must be positive`);
    return { denom: c.denom, amount };
  });
  for (let i = 1; i < out.length; i++) if ((out[i - 1]?.denom ?? "") >= (out[i]?.denom ?? "")) throw ErrInvalidRequest.wrap(`${what} must be sorted by denom without duplicates`);
  return out;
}

const decCoinsJson = (d: DecCoins) => d.map((c) => ({ denom: c.denom, amount: formatDec(c.amount) }));

const valAddr = (v: unknown, what: string): Uint8Array => valoperBytes(readString(v, what), what);
const accAddr = (v: unknown, what: string): Uint8Array => addressBytes(readString(v, what), what);

export function parseDistrParams(raw: unknown): DistrParams {
  if (raw === undefined) return DefaultParams;
  const p = readObject(raw, "distribution params", ["community_tax", "withdraw_addr_enabled"]);
  const communityTax = p.community_tax === undefined ? DefaultParams.communityTax : parseHumanDec(String(p.community_tax), "distribution params.community_tax");
  if (communityTax > DEC_ONE) throw ErrInvalidRequest.wrap("distribution params.community_tax must be at most 1");
  const withdrawAddrEnabled = p.withdraw_addr_enabled === undefined ? DefaultParams.withdrawAddrEnabled : readBool(p.withdraw_addr_enabled, "distribution params.withdraw_addr_enabled");
  return { communityTax, withdrawAddrEnabled };
}

/** Parses the section record by record; the records' consistency with each other is checked by the caller. */
export function parseDistributionGenesis(raw: unknown): DistributionGenesis {
  if (raw === undefined) return emptyDistributionGenesis();
  const g = readObject(raw, "distribution genesis", GENESIS_FIELDS);
  const at = (field: string, i: number): string => `distribution genesis.${field}[${i}]`;
  const pool = g.fee_pool === undefined ? {} : readObject(g.fee_pool, "distribution genesis.fee_pool", ["community_pool"]);
  return {
    params: parseDistrParams(g.params),
    communityPool: decCoins(pool.community_pool, "distribution genesis.fee_pool.community_pool"),
    withdrawAddresses: readList(g.delegator_withdraw_infos, "distribution genesis.delegator_withdraw_infos").map((raw, i) => {
      const w = readObject(raw, at("delegator_withdraw_infos", i), ["delegator_address", "withdraw_address"]);
      return { delegator: accAddr(w.delegator_address, `${at("delegator_withdraw_infos", i)}.delegator_address`), withdraw: accAddr(w.withdraw_address, `${at("delegator_withdraw_infos", i)}.withdraw_address`) };
    }),
    outstanding: readList(g.outstanding_rewards, "distribution genesis.outstanding_rewards").map((raw, i) => {
      const o = readObject(raw, at("outstanding_rewards", i), ["validator_address", "outstanding_rewards"]);
      return { val: valAddr(o.validator_address, `${at("outstanding_rewards", i)}.validator_address`), rewards: decCoins(o.outstanding_rewards, `${at("outstanding_rewards", i)}.outstanding_rewards`) };
    }),
    commissions: readList(g.validator_accumulated_commissions, "distribution genesis.validator_accumulated_commissions").map((raw, i) => {
      const what = at("validator_accumulated_commissions", i);
      const c = readObject(raw, what, ["validator_address", "accumulated"]);
      const acc = c.accumulated === undefined ? {} : readObject(c.accumulated, `${what}.accumulated`, ["commission"]);
      return { val: valAddr(c.validator_address, `${what}.validator_address`), commission: decCoins(acc.commission, `${what}.accumulated.commission`) };
    }),
    historical: readList(g.validator_historical_rewards, "distribution genesis.validator_historical_rewards").map((raw, i) => {
      const what = at("validator_historical_rewards", i);
      const h = readObject(raw, what, ["validator_address", "period", "rewards"]);
      const r = readObject(h.rewards, `${what}.rewards`, ["cumulative_reward_ratio", "reference_count"]);
      const count = r.reference_count;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 2 ** 32 - 1) throw ErrInvalidRequest.wrap(`${what}.rewards.reference_count must be a positive uint32`);
      return {
        val: valAddr(h.validator_address, `${what}.validator_address`), period: readUint64(h.period, `${what}.period`),
        rewards: { cumulativeRewardRatio: decCoins(r.cumulative_reward_ratio, `${what}.rewards.cumulative_reward_ratio`), referenceCount: count },
      };
    }),
    current: readList(g.validator_current_rewards, "distribution genesis.validator_current_rewards").map((raw, i) => {
      const what = at("validator_current_rewards", i);
      const c = readObject(raw, what, ["validator_address", "rewards"]);
      const r = readObject(c.rewards, `${what}.rewards`, ["rewards", "period"]);
      const period = readUint64(r.period, `${what}.rewards.period`);
      if (period === 0n) throw ErrInvalidRequest.wrap(`${what}.rewards.period must be at least 1`);
      return { val: valAddr(c.validator_address, `${what}.validator_address`), rewards: { rewards: decCoins(r.rewards, `${what}.rewards.rewards`), period } };
    }),
    startingInfos: readList(g.delegator_starting_infos, "distribution genesis.delegator_starting_infos").map((raw, i) => {
      const what = at("delegator_starting_infos", i);
      const s = readObject(raw, what, ["delegator_address", "validator_address", "starting_info"]);
      const info = readObject(s.starting_info, `${what}.starting_info`, ["previous_period", "stake", "height"]);
      return {
        val: valAddr(s.validator_address, `${what}.validator_address`), del: accAddr(s.delegator_address, `${what}.delegator_address`),
        info: { previousPeriod: readUint64(info.previous_period, `${what}.starting_info.previous_period`), stake: dec(info.stake, `${what}.starting_info.stake`), height: readUint64(info.height, `${what}.starting_info.height`) },
      };
    }),
    slashEvents: readList(g.validator_slash_events, "distribution genesis.validator_slash_events").map((raw, i) => {
      const what = at("validator_slash_events", i);
      const s = readObject(raw, what, ["validator_address", "height", "period", "validator_slash_event"]);
      const e = readObject(s.validator_slash_event, `${what}.validator_slash_event`, ["validator_period", "fraction"]);
      const period = readUint64(s.period, `${what}.period`);
      if (readUint64(e.validator_period, `${what}.validator_slash_event.validator_period`) !== period) throw ErrInvalidRequest.wrap(`${what}: period and validator_slash_event.validator_period differ`);
      const fraction = dec(e.fraction, `${what}.validator_slash_event.fraction`);
      if (fraction > DEC_ONE) throw ErrInvalidRequest.wrap(`${what}.validator_slash_event.fraction must be at most 1`);
      return { val: valAddr(s.validator_address, `${what}.validator_address`), event: { height: readUint64(s.height, `${what}.height`), validatorPeriod: period, fraction } };
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
