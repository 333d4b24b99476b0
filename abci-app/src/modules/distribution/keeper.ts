import {
  DelegatorStartingInfo, FeePool, Params, ValidatorAccumulatedCommission, ValidatorCurrentRewards, ValidatorHistoricalRewards,
  ValidatorOutstandingRewards, ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { bech32Address } from "../../sdk/address.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import { fromWire, toWire, type DecCoins } from "./dec-coins.ts";
import type { BankKeeper, StakingKeeper } from "./expected-keepers.ts";
import {
  commissionKey, currentKey, historicalKey, historicalPrefix, outstandingKey, Prefix, readBe64, slashKey, slashPrefix, startingKey, startingPrefix,
  withdrawAddrKey,
} from "./keys.ts";
import { DefaultParams, type DistrParams } from "./types.ts";

export interface HistoricalRewards {
  readonly cumulativeRewardRatio: DecCoins;
  readonly referenceCount: number;
}
export interface CurrentRewards {
  readonly rewards: DecCoins;
  readonly period: bigint;
}
export interface StartingInfo {
  readonly previousPeriod: bigint;
  /** The delegation's tokens when it (re)started, an 18-place Dec. */
  readonly stake: bigint;
  readonly height: bigint;
}
export interface SlashEvent {
  readonly height: bigint;
  readonly validatorPeriod: bigint;
  readonly fraction: bigint;
}

export const paramsProto = (p: DistrParams): Params => ({ communityTax: p.communityTax.toString(), baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: p.withdrawAddrEnabled });

/** Read-only distribution state. Every iteration is in store key order. */
export class DistrViewKeeper {
  getParams(store: KVReader): DistrParams {
    const raw = store.get(Prefix.params);
    if (!raw) return DefaultParams;
    const p = Params.decode(raw);
    return { communityTax: BigInt(p.communityTax), withdrawAddrEnabled: p.withdrawAddrEnabled };
  }

  communityPool(store: KVReader): DecCoins {
    const raw = store.get(Prefix.feePool);
    return raw ? fromWire(FeePool.decode(raw).communityPool) : [];
  }

  outstanding(store: KVReader, val: Uint8Array): DecCoins {
    const raw = store.get(outstandingKey(val));
    return raw ? fromWire(ValidatorOutstandingRewards.decode(raw).rewards) : [];
  }

  *iterateOutstanding(store: KVReader): IterableIterator<[Uint8Array, DecCoins]> {
    for (const [k, v] of store.iterate(Prefix.outstanding)) yield [k.subarray(Prefix.outstanding.length), fromWire(ValidatorOutstandingRewards.decode(v).rewards)];
  }

  commission(store: KVReader, val: Uint8Array): DecCoins {
    const raw = store.get(commissionKey(val));
    return raw ? fromWire(ValidatorAccumulatedCommission.decode(raw).commission) : [];
  }

  currentRewards(store: KVReader, val: Uint8Array): CurrentRewards | undefined {
    const raw = store.get(currentKey(val));
    if (!raw) return undefined;
    const c = ValidatorCurrentRewards.decode(raw);
    return { rewards: fromWire(c.rewards), period: c.period };
  }

  historicalRewards(store: KVReader, val: Uint8Array, period: bigint): HistoricalRewards | undefined {
    const raw = store.get(historicalKey(val, period));
    if (!raw) return undefined;
    const h = ValidatorHistoricalRewards.decode(raw);
    return { cumulativeRewardRatio: fromWire(h.cumulativeRewardRatio), referenceCount: h.referenceCount };
  }

  /** [validator, period, record] of every historical record, for the reference-count invariant. */
  *iterateHistorical(store: KVReader): IterableIterator<[Uint8Array, bigint, HistoricalRewards]> {
    const n = Prefix.historical.length;
    for (const [k, v] of store.iterate(Prefix.historical)) {
      const h = ValidatorHistoricalRewards.decode(v);
      yield [k.slice(n, n + 20), readBe64(k, n + 20), { cumulativeRewardRatio: fromWire(h.cumulativeRewardRatio), referenceCount: h.referenceCount }];
    }
  }

  startingInfo(store: KVReader, val: Uint8Array, del: Uint8Array): StartingInfo | undefined {
    const raw = store.get(startingKey(val, del));
    if (!raw) return undefined;
    const s = DelegatorStartingInfo.decode(raw);
    return { previousPeriod: s.previousPeriod, stake: BigInt(s.stake), height: s.height };
  }

  /** The validator's slash events with height in [from, to], in (height, period) order. */
  *slashEvents(store: KVReader, val: Uint8Array, from = 0n, to = 2n ** 64n - 1n): IterableIterator<SlashEvent> {
    for (const [, e] of this.slashEventsKeyed(store, val, from, to)) yield e;
  }

  /** slashEvents with each event's store key (a query's pagination key), from `start` when it is past `from`. */
  *slashEventsKeyed(store: KVReader, val: Uint8Array, from: bigint, to: bigint, start?: Uint8Array): IterableIterator<[Uint8Array, SlashEvent]> {
    const prefix = slashPrefix(val);
    const first = slashKey(val, from, 0n);
    for (const [k, v] of store.iterate(prefix, { start: start && Buffer.compare(start, first) > 0 ? start : first })) {
      const height = readBe64(k, prefix.length);
      if (height > to) break;
      const e = ValidatorSlashEvent.decode(v);
      yield [k, { height, validatorPeriod: e.validatorPeriod, fraction: BigInt(e.fraction) }];
    }
  }

  *iterateAllSlashEvents(store: KVReader): IterableIterator<[Uint8Array, SlashEvent]> {
    const n = Prefix.slash.length;
    for (const [k, v] of store.iterate(Prefix.slash)) {
      const e = ValidatorSlashEvent.decode(v);
      yield [k.slice(n, n + 20), { height: readBe64(k, n + 20), validatorPeriod: e.validatorPeriod, fraction: BigInt(e.fraction) }];
    }
  }

  // Full scans for genesis export (never in block execution), in store key order.

  *iterateCommission(store: KVReader): IterableIterator<[Uint8Array, DecCoins]> {
    for (const [k, v] of store.iterate(Prefix.commission)) yield [k.subarray(Prefix.commission.length), fromWire(ValidatorAccumulatedCommission.decode(v).commission)];
  }

  *iterateCurrentRewards(store: KVReader): IterableIterator<[Uint8Array, CurrentRewards]> {
    for (const [k, v] of store.iterate(Prefix.current)) {
      const c = ValidatorCurrentRewards.decode(v);
      yield [k.subarray(Prefix.current.length), { rewards: fromWire(c.rewards), period: c.period }];
    }
  }

  /** [validator, delegator, starting info] of every delegation's starting info. */
  *iterateStartingInfos(store: KVReader): IterableIterator<[Uint8Array, Uint8Array, StartingInfo]> {
    const n = Prefix.starting.length;
    for (const [k, v] of store.iterate(Prefix.starting)) {
      const s = DelegatorStartingInfo.decode(v);
      yield [k.slice(n, n + 20), k.slice(n + 21, n + 21 + (k[n + 20] ?? 0)), { previousPeriod: s.previousPeriod, stake: BigInt(s.stake), height: s.height }];
    }
  }

  /** [delegator, withdraw address] of every delegator that set one. */
  *iterateWithdrawAddresses(store: KVReader): IterableIterator<[Uint8Array, Uint8Array]> {
    const n = Prefix.withdrawAddr.length;
    for (const [k, v] of store.iterate(Prefix.withdrawAddr)) yield [k.slice(n + 1, n + 1 + (k[n] ?? 0)), v.slice()];
  }

  /** Where `del`'s rewards go: its withdraw address, or itself. */
  withdrawAddress(store: KVReader, del: Uint8Array): string {
    const raw = store.get(withdrawAddrKey(del));
    return bech32Address(raw ?? del);
  }
}

/** The distribution keeper: the only code that writes distribution state; the F1 rules live in f1.ts. */
export class DistrKeeper extends DistrViewKeeper {
  readonly bank: BankKeeper;
  readonly staking: StakingKeeper;

  constructor(bank: BankKeeper, staking: StakingKeeper) {
    super();
    this.bank = bank;
    this.staking = staking;
  }

  setParams(store: KVStore, p: DistrParams): void {
    store.set(Prefix.params, Params.encode(paramsProto(p)).finish());
  }

  setCommunityPool(store: KVStore, pool: DecCoins): void {
    store.set(Prefix.feePool, FeePool.encode({ communityPool: toWire(pool) }).finish());
  }

  setOutstanding(store: KVStore, val: Uint8Array, rewards: DecCoins): void {
    store.set(outstandingKey(val), ValidatorOutstandingRewards.encode({ rewards: toWire(rewards) }).finish());
  }

  setCommission(store: KVStore, val: Uint8Array, c: DecCoins): void {
    store.set(commissionKey(val), ValidatorAccumulatedCommission.encode({ commission: toWire(c) }).finish());
  }

  setCurrentRewards(store: KVStore, val: Uint8Array, c: CurrentRewards): void {
    store.set(currentKey(val), ValidatorCurrentRewards.encode({ rewards: toWire(c.rewards), period: c.period }).finish());
  }

  setHistoricalRewards(store: KVStore, val: Uint8Array, period: bigint, h: HistoricalRewards): void {
    store.set(historicalKey(val, period), ValidatorHistoricalRewards.encode({ cumulativeRewardRatio: toWire(h.cumulativeRewardRatio), referenceCount: h.referenceCount }).finish());
  }

  deleteHistoricalRewards(store: KVStore, val: Uint8Array, period: bigint): void {
    store.delete(historicalKey(val, period));
  }

  setStartingInfo(store: KVStore, val: Uint8Array, del: Uint8Array, s: StartingInfo): void {
    store.set(startingKey(val, del), DelegatorStartingInfo.encode({ previousPeriod: s.previousPeriod, stake: s.stake.toString(), height: s.height }).finish());
  }

  deleteStartingInfo(store: KVStore, val: Uint8Array, del: Uint8Array): void {
    store.delete(startingKey(val, del));
  }

  setSlashEvent(store: KVStore, val: Uint8Array, e: SlashEvent): void {
    store.set(slashKey(val, e.height, e.validatorPeriod), ValidatorSlashEvent.encode({ validatorPeriod: e.validatorPeriod, fraction: e.fraction.toString() }).finish());
  }

  setWithdrawAddress(store: KVStore, del: Uint8Array, to: Uint8Array): void {
    if (Buffer.from(del).equals(to)) store.delete(withdrawAddrKey(del));
    else store.set(withdrawAddrKey(del), to);
  }

  /** Forgets everything of a removed validator (its remaining rewards were moved out first). */
  deleteValidatorRecords(store: KVStore, val: Uint8Array): void {
    store.delete(outstandingKey(val));
    store.delete(commissionKey(val));
    store.delete(currentKey(val));
    for (const prefix of [historicalPrefix(val), slashPrefix(val), startingPrefix(val)]) {
      const keys = [...store.iterate(prefix)].map(([k]) => k);
      for (const k of keys) store.delete(k);
    }
  }
}
