import type { Delegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { bech32Address, valoperAddress } from "../../sdk/address.ts";
import { DEC_ONE, mulDecTruncate as mulDec } from "../../sdk/dec.ts";
import type { KVReader } from "../../store/index.ts";
import { addDec, intersect, mulDecTruncate, quoIntTruncate, subDec, truncate, type DecCoins } from "./dec-coins.ts";
import { ErrEmptyDelegationDistInfo } from "./errors.ts";
import { emitWithdrawRewards } from "./events.ts";
import type { DistrCtx } from "./expected-keepers.ts";
import type { DistrKeeper, DistrViewKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";

// The F1 fee distribution (the SDK's x/distribution keeper/delegation.go, validator.go): each validator keeps a
// period counter and, per ended period, the cumulative reward per token. A delegation remembers the period it
// started in and its stake; its rewards are stake × (ratio(end) − ratio(start)), adjusted at each slash. Blocks
// only add to the validator's current rewards (O(1)); delegations are touched only when they change or withdraw.

export const tokensOf = (v: Validator): bigint => BigInt(v.tokens);
const sharesOf = (v: Validator): bigint => BigInt(v.delegatorShares);
/** A delegation's tokens as an 18-place Dec, truncated (Validator.TokensFromSharesTruncated). */
export const stakeOf = (v: Validator, d: Delegation): bigint => (sharesOf(v) === 0n ? 0n : (BigInt(d.shares) * tokensOf(v) * DEC_ONE) / sharesOf(v));

const bug = (what: string, val: Uint8Array): Error => new Error(`distribution: ${what} for ${valoperAddress(val)}`);

/** AfterValidatorCreated: period 0 (reference held by the current period), period 1 current, zero balances. */
export function initializeValidator(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array): void {
  k.setHistoricalRewards(ctx.store, val, 0n, { cumulativeRewardRatio: [], referenceCount: 1 });
  k.setCurrentRewards(ctx.store, val, { rewards: [], period: 1n });
  k.setCommission(ctx.store, val, []);
  k.setOutstanding(ctx.store, val, []);
}

function changeReferenceCount(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, period: bigint, by: 1 | -1): void {
  const h = k.historicalRewards(ctx.store, val, period);
  if (!h) throw bug(`no historical rewards at period ${period}`, val);
  const count = h.referenceCount + by;
  if (count < 0 || count > 2 + 1_000_000) throw bug(`reference count ${count} at period ${period}`, val);
  if (count === 0) k.deleteHistoricalRewards(ctx.store, val, period);
  else k.setHistoricalRewards(ctx.store, val, period, { ...h, referenceCount: count });
}

/**
 * Ends the validator's current period: its current rewards per token are added to the cumulative ratio of the
 * new historical record. A validator with no tokens cannot have a ratio; its current rewards go to the community
 * pool. Returns the period that ended.
 */
export function incrementValidatorPeriod(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, v: Validator): bigint {
  const cur = k.currentRewards(ctx.store, val);
  if (!cur) throw bug("no current rewards", val);
  let ratio: DecCoins = [];
  if (tokensOf(v) === 0n) {
    k.setCommunityPool(ctx.store, addDec(k.communityPool(ctx.store), cur.rewards));
    k.setOutstanding(ctx.store, val, subDec(k.outstanding(ctx.store, val), cur.rewards));
  } else {
    ratio = quoIntTruncate(cur.rewards, tokensOf(v));
  }
  const prev = k.historicalRewards(ctx.store, val, cur.period - 1n);
  if (!prev) throw bug(`no historical rewards at period ${cur.period - 1n}`, val);
  changeReferenceCount(k, ctx, val, cur.period - 1n, -1);
  k.setHistoricalRewards(ctx.store, val, cur.period, { cumulativeRewardRatio: addDec(prev.cumulativeRewardRatio, ratio), referenceCount: 1 });
  k.setCurrentRewards(ctx.store, val, { rewards: [], period: cur.period + 1n });
  return cur.period;
}

/** AfterDelegationModified: the delegation (re)starts at the last ended period with its current stake. */
export function initializeDelegation(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, del: Uint8Array): void {
  const cur = k.currentRewards(ctx.store, val);
  const v = k.staking.getValidator(ctx.store, val);
  const d = k.staking.getDelegation(ctx.store, del, val);
  if (!cur || !v || !d) throw bug("initializing a delegation without validator or delegation", val);
  changeReferenceCount(k, ctx, val, cur.period - 1n, 1);
  k.setStartingInfo(ctx.store, val, del, { previousPeriod: cur.period - 1n, stake: stakeOf(v, d), height: ctx.height });
}

/** The cumulative reward ratio at a period; `ending` may be a period not yet written (queries end it virtually). */
type RatioAt = (period: bigint) => DecCoins;

function storedRatio(k: DistrViewKeeper, store: KVReader, val: Uint8Array): RatioAt {
  return (period) => {
    const h = k.historicalRewards(store, val, period);
    if (!h) throw bug(`no historical rewards at period ${period}`, val);
    return h.cumulativeRewardRatio;
  };
}

/** A read-only view that ends the current period virtually (for queries: no write). */
export function virtualRatio(k: DistrViewKeeper, store: KVReader, val: Uint8Array, v: Validator): { ratioAt: RatioAt; endingPeriod: bigint } {
  const cur = k.currentRewards(store, val);
  if (!cur) throw bug("no current rewards", val);
  const stored = storedRatio(k, store, val);
  const ending = tokensOf(v) === 0n ? stored(cur.period - 1n) : addDec(stored(cur.period - 1n), quoIntTruncate(cur.rewards, tokensOf(v)));
  return { ratioAt: (p) => (p === cur.period ? ending : stored(p)), endingPeriod: cur.period };
}

function rewardsBetween(ratioAt: RatioAt, start: bigint, end: bigint, stake: bigint, val: Uint8Array): DecCoins {
  if (start > end) throw bug(`starting period ${start} after ending period ${end}`, val);
  if (stake < 0n) throw bug("negative stake", val);
  return mulDecTruncate(subDec(ratioAt(end), ratioAt(start)), stake);
}

/**
 * The SDK's CalculateDelegationRewards: stake × ratio difference, split at every slash event since the
 * delegation started (the stake shrinks by the slash fraction there). `height` is the current height.
 */
export function calculateRewards(
  k: DistrViewKeeper, store: KVReader, height: bigint, val: Uint8Array, v: Validator, del: Uint8Array, d: Delegation, ratioAt: RatioAt, endingPeriod: bigint,
): DecCoins {
  const start = k.startingInfo(store, val, del);
  if (!start) throw ErrEmptyDelegationDistInfo.wrap(`${bech32Address(del)} -> ${valoperAddress(val)}`);
  if (start.height === height) return [];
  let rewards: DecCoins = [];
  let stake = start.stake;
  let startingPeriod = start.previousPeriod;
  if (height > start.height) {
    for (const e of k.slashEvents(store, val, start.height, height)) {
      if (e.validatorPeriod > startingPeriod) {
        rewards = addDec(rewards, rewardsBetween(ratioAt, startingPeriod, e.validatorPeriod, stake, val));
        stake = mulDec(stake, DEC_ONE - e.fraction);
        startingPeriod = e.validatorPeriod;
      }
    }
  }
  const current = stakeOf(v, d);
  if (stake > current) {
    if (stake > current + 3n) throw bug(`delegation stake ${stake} exceeds its tokens ${current}`, val);
    stake = current;
  }
  return addDec(rewards, rewardsBetween(ratioAt, startingPeriod, endingPeriod, stake, val));
}

/**
 * Ends the validator's period and pays the delegation's rewards (truncated to whole coins) to its withdraw
 * address; the fractional remainder goes to the community pool; the starting info is removed (the caller
 * re-initializes a delegation that goes on). Returns the coins paid.
 */
export function withdrawDelegationRewards(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, v: Validator, del: Uint8Array, d: Delegation): { denom: string; amount: bigint }[] {
  const start = k.startingInfo(ctx.store, val, del);
  if (!start) throw ErrEmptyDelegationDistInfo.wrap(`${bech32Address(del)} -> ${valoperAddress(val)}`);
  const endingPeriod = incrementValidatorPeriod(k, ctx, val, v);
  const raw = calculateRewards(k, ctx.store, ctx.height, val, v, del, d, storedRatio(k, ctx.store, val), endingPeriod);
  const outstanding = k.outstanding(ctx.store, val);
  const rewards = intersect(raw, outstanding);
  const { coins, change } = truncate(rewards);
  const to = k.withdrawAddress(ctx.store, del);
  if (coins.length > 0) k.bank.sendCoinsFromModuleToAccount(ctx, ModuleName, to, coins);
  k.setOutstanding(ctx.store, val, subDec(outstanding, rewards));
  k.setCommunityPool(ctx.store, addDec(k.communityPool(ctx.store), change));
  changeReferenceCount(k, ctx, val, start.previousPeriod, -1);
  k.deleteStartingInfo(ctx.store, val, del);
  emitWithdrawRewards(ctx.events, { amount: coins, validator: valoperAddress(val), delegator: bech32Address(del) });
  return coins;
}

/** BeforeValidatorSlashed: ends the period and records the slash (its period keeps a reference). */
export function recordSlash(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, v: Validator, fraction: bigint): void {
  if (fraction < 0n || fraction > DEC_ONE) throw bug(`slash fraction ${fraction} outside [0, 1]`, val);
  const period = incrementValidatorPeriod(k, ctx, val, v);
  changeReferenceCount(k, ctx, val, period, 1);
  k.setSlashEvent(ctx.store, val, { height: ctx.height, validatorPeriod: period, fraction });
}

/**
 * AfterValidatorRemoved: the accumulated commission is paid to the operator's withdraw address (whole coins; the
 * fraction to the community pool), whatever else is outstanding (rounding dust) goes to the community pool, and
 * the validator's records are deleted.
 */
export function removeValidatorRecords(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array): void {
  let outstanding = k.outstanding(ctx.store, val);
  const commission = k.commission(ctx.store, val);
  let pool = k.communityPool(ctx.store);
  if (commission.length > 0) {
    outstanding = subDec(outstanding, commission);
    const { coins, change } = truncate(commission);
    pool = addDec(pool, change);
    if (coins.length > 0) k.bank.sendCoinsFromModuleToAccount(ctx, ModuleName, k.withdrawAddress(ctx.store, val), coins);
  }
  k.setCommunityPool(ctx.store, addDec(pool, outstanding));
  k.deleteValidatorRecords(ctx.store, val);
}
