import { HistoricalInfo, Params, Delegation, Redelegation, UnbondingDelegation, Validator, BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { addressBytes } from "../../sdk/address.ts";
import { concatBytes } from "../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import { consAddressOf, valoperBytes } from "./addresses.ts";
import { parseWireDec } from "./dec.ts";
import type { BankKeeper, StakingHooks } from "./expected-keepers.ts";
import {
  BondedPool, be64, changedKey, consAddrKey, delegationKey, delegatorPrefix, historicalKey, lastPowerKey, powerIndexKey, Prefix, readBe64,
  redelegationBySrcKey, redelegationKey, redelegationPrefix, redelegationsIntoPrefix, unbondingKey, unbondingPrefix, valDelegationKey, validatorKey, valUnbondingKey,
} from "./keys.ts";
import { DefaultParams, MAX_POWER, POWER_REDUCTION, type StakingParams } from "./types.ts";

export const ED25519_PUBKEY_TYPE = "/cosmos.crypto.ed25519.PubKey";
const EMPTY = new Uint8Array();

export { msToTs, tsToMs } from "../../sdk/time.ts";
export const tokensOf = (v: Validator): bigint => BigInt(v.tokens);
export const sharesOf = (v: Validator): bigint => parseWireDec(v.delegatorShares, "delegator_shares");
/** Consensus power: bonded tokens / 10^6, 0 while jailed. */
export const powerOf = (v: Validator): bigint => (v.jailed ? 0n : tokensOf(v) / POWER_REDUCTION);
export const consKeyOf = (v: Validator): Uint8Array => PubKey.decode(v.consensusPubkey?.value ?? EMPTY).key;
export const isBonded = (v: Validator): boolean => v.status === BondStatus.BOND_STATUS_BONDED;

function encodeParams(p: StakingParams): Uint8Array {
  return Params.encode(Params.fromPartial({
    unbondingTime: { seconds: p.unbondingTimeMs / 1000n, nanos: Number(p.unbondingTimeMs % 1000n) * 1_000_000 },
    maxValidators: p.maxValidators, maxEntries: p.maxEntries, historicalEntries: p.historicalEntries,
    bondDenom: p.bondDenom, minCommissionRate: p.minCommissionRate.toString(),
  })).finish();
}

/** Read-only staking state (house rule 4). Every iteration is in store key order. */
export class StakingViewKeeper {
  getParams(store: KVReader): StakingParams {
    const raw = store.get(Prefix.params);
    if (!raw) return DefaultParams;
    const p = Params.decode(raw);
    return {
      unbondingTimeMs: (p.unbondingTime?.seconds ?? 0n) * 1000n + BigInt(Math.floor((p.unbondingTime?.nanos ?? 0) / 1e6)),
      maxValidators: p.maxValidators, maxEntries: p.maxEntries, historicalEntries: p.historicalEntries,
      bondDenom: p.bondDenom, minCommissionRate: BigInt(p.minCommissionRate || "0"),
    };
  }

  /** The wire Params (cosmos.staking.v1beta1.Params) for queries. */
  paramsProto(store: KVReader): Params {
    return Params.decode(encodeParams(this.getParams(store)));
  }

  getValidator(store: KVReader, val: Uint8Array): Validator | undefined {
    const raw = store.get(validatorKey(val));
    return raw ? Validator.decode(raw) : undefined;
  }

  validatorByConsAddr(store: KVReader, cons: Uint8Array): Uint8Array | undefined {
    return store.get(consAddrKey(cons));
  }

  *iterateValidators(store: KVReader, start?: Uint8Array): IterableIterator<[Uint8Array, Validator]> {
    for (const [k, v] of store.iterate(Prefix.validator, start ? { start } : {})) yield [k, Validator.decode(v)];
  }

  getDelegation(store: KVReader, del: Uint8Array, val: Uint8Array): Delegation | undefined {
    const raw = store.get(delegationKey(del, val));
    return raw ? Delegation.decode(raw) : undefined;
  }

  *delegationsOf(store: KVReader, del: Uint8Array, start?: Uint8Array): IterableIterator<[Uint8Array, Delegation]> {
    for (const [k, v] of store.iterate(delegatorPrefix(del), start ? { start } : {})) yield [k, Delegation.decode(v)];
  }

  /** Keys of the validator's delegation index; the delegation is read with `delegationFromIndex`. */
  *delegationsTo(store: KVReader, val: Uint8Array, start?: Uint8Array): IterableIterator<[Uint8Array, Delegation]> {
    const prefix = valDelegationKey(val, EMPTY).subarray(0, Prefix.valDelegation.length + val.length);
    for (const [k] of store.iterate(prefix, start ? { start } : {})) {
      const del = k.subarray(prefix.length + 1);
      const d = this.getDelegation(store, del, val);
      if (d) yield [k, d];
    }
  }

  *iterateAllDelegations(store: KVReader): IterableIterator<Delegation> {
    for (const [, v] of store.iterate(Prefix.delegation)) yield Delegation.decode(v);
  }

  getUnbonding(store: KVReader, del: Uint8Array, val: Uint8Array): UnbondingDelegation | undefined {
    const raw = store.get(unbondingKey(del, val));
    return raw ? UnbondingDelegation.decode(raw) : undefined;
  }

  *unbondingsOf(store: KVReader, del: Uint8Array, start?: Uint8Array): IterableIterator<[Uint8Array, UnbondingDelegation]> {
    for (const [k, v] of store.iterate(unbondingPrefix(del), start ? { start } : {})) yield [k, UnbondingDelegation.decode(v)];
  }

  *unbondingsFrom(store: KVReader, val: Uint8Array, start?: Uint8Array): IterableIterator<[Uint8Array, UnbondingDelegation]> {
    const prefix = valUnbondingKey(val, EMPTY).subarray(0, Prefix.valUnbonding.length + val.length);
    for (const [k] of store.iterate(prefix, start ? { start } : {})) {
      const u = this.getUnbonding(store, k.subarray(prefix.length + 1), val);
      if (u) yield [k, u];
    }
  }

  *iterateAllUnbondings(store: KVReader): IterableIterator<UnbondingDelegation> {
    for (const [, v] of store.iterate(Prefix.unbonding)) yield UnbondingDelegation.decode(v);
  }

  getRedelegation(store: KVReader, del: Uint8Array, src: Uint8Array, dst: Uint8Array): Redelegation | undefined {
    const raw = store.get(redelegationKey(del, src, dst));
    return raw ? Redelegation.decode(raw) : undefined;
  }

  *redelegationsOf(store: KVReader, del: Uint8Array, start?: Uint8Array): IterableIterator<[Uint8Array, Redelegation]> {
    for (const [k, v] of store.iterate(redelegationPrefix(del), start ? { start } : {})) yield [k, Redelegation.decode(v)];
  }

  /** Whether `del` has a redelegation in progress whose destination is `val` (the transitive-redelegation rule). */
  hasRedelegationInto(store: KVReader, del: Uint8Array, val: Uint8Array): boolean {
    for (const _ of store.iterate(redelegationsIntoPrefix(del, val))) return true;
    return false;
  }

  /** The redelegations whose source is `val` (what slashing `val` reaches), in (delegator, destination) order. */
  *redelegationsFrom(store: KVReader, val: Uint8Array): IterableIterator<Redelegation> {
    const prefix = concatBytes(Prefix.redelegationBySrc, val);
    for (const [k] of store.iterate(prefix)) {
      const dlen = k[prefix.length] ?? 0;
      const del = k.subarray(prefix.length + 1, prefix.length + 1 + dlen);
      const r = this.getRedelegation(store, del, val, k.subarray(prefix.length + 1 + dlen));
      if (r) yield r;
    }
  }

  *iterateAllRedelegations(store: KVReader): IterableIterator<Redelegation> {
    for (const [, v] of store.iterate(Prefix.redelegation)) yield Redelegation.decode(v);
  }

  lastPower(store: KVReader, val: Uint8Array): bigint {
    const raw = store.get(lastPowerKey(val));
    return raw ? readBe64(raw) : 0n;
  }

  /** The validator set CometBFT has now (after the last EndBlock), in validator-address order. */
  *lastPowers(store: KVReader): IterableIterator<[Uint8Array, bigint]> {
    for (const [k, v] of store.iterate(Prefix.lastPower)) yield [k.subarray(Prefix.lastPower.length), readBe64(v)];
  }

  historicalInfo(store: KVReader, height: bigint): HistoricalInfo | undefined {
    const raw = store.get(historicalKey(height));
    return raw ? HistoricalInfo.decode(raw) : undefined;
  }
}

/** The staking keeper's store writes; the business rules live in delegation.ts, unbonding.ts and valset.ts. */
export class StakingKeeper extends StakingViewKeeper {
  readonly bank: BankKeeper;
  /** Registered once by the app while wiring (x/staking's SetHooks); empty until then. */
  hooks: readonly StakingHooks[] = [];

  constructor(bank: BankKeeper) {
    super();
    this.bank = bank;
  }

  /** Registers the other modules' staking hooks, called in this order (the app's wiring). */
  setHooks(hooks: readonly StakingHooks[]): void {
    if (this.hooks.length > 0) throw new Error("staking hooks are already set");
    this.hooks = hooks;
  }

  /** The bonded pool's bond-denom balance (mint's bonded ratio). */
  totalBondedTokens(store: KVReader): bigint {
    return this.bank.getBalance(store, this.bank.moduleAccounts.get(BondedPool).address, this.getParams(store).bondDenom);
  }

  /** Calls one hook of every registered module, in wiring order (x/staking's MultiStakingHooks). */
  hook<K extends keyof StakingHooks>(name: K, ...args: Parameters<NonNullable<StakingHooks[K]>>): void {
    for (const h of this.hooks) (h[name] as ((...a: typeof args) => void) | undefined)?.call(h, ...args);
  }

  setParams(store: KVStore, p: StakingParams): void {
    store.set(Prefix.params, encodeParams(p));
  }

  /** Writes a validator and keeps the power index and the changed-set true (the only validator write path). */
  setValidator(store: KVStore, val: Uint8Array, next: Validator, prev: Validator | undefined): void {
    if (prev) {
      const p = powerOf(prev);
      if (p > 0n) store.delete(powerIndexKey(p, val));
    }
    const power = powerOf(next);
    if (power > MAX_POWER) throw new Error(`validator power ${power} exceeds ${MAX_POWER}`);
    if (power > 0n) store.set(powerIndexKey(power, val), EMPTY);
    if (!prev || powerOf(prev) !== power) store.set(changedKey(val), EMPTY);
    store.set(validatorKey(val), Validator.encode(next).finish());
    if (!prev) store.set(consAddrKey(consAddressOf(consKeyOf(next))), val);
  }

  /** Removes a validator that has no shares left and is unbonded. */
  removeValidator(store: KVStore, val: Uint8Array, v: Validator): void {
    const p = powerOf(v);
    if (p > 0n) store.delete(powerIndexKey(p, val));
    store.delete(validatorKey(val));
    store.delete(consAddrKey(consAddressOf(consKeyOf(v))));
  }

  *takeChanged(store: KVStore): IterableIterator<Uint8Array> {
    const keys = [...store.iterate(Prefix.changed)].map(([k]) => k);
    for (const k of keys) {
      store.delete(k);
      yield k.subarray(Prefix.changed.length);
    }
  }

  hasChanges(store: KVReader): boolean {
    for (const _ of store.iterate(Prefix.changed)) return true;
    return false;
  }

  setLastPower(store: KVStore, val: Uint8Array, power: bigint): void {
    if (power === 0n) store.delete(lastPowerKey(val));
    else store.set(lastPowerKey(val), be64(power));
  }

  setDelegation(store: KVStore, d: Delegation): void {
    const del = addressBytes(d.delegatorAddress, "delegator address");
    const val = valoperBytes(d.validatorAddress);
    if (parseWireDec(d.shares, "shares") === 0n) {
      store.delete(delegationKey(del, val));
      store.delete(valDelegationKey(val, del));
      return;
    }
    store.set(delegationKey(del, val), Delegation.encode(d).finish());
    store.set(valDelegationKey(val, del), EMPTY);
  }

  setUnbonding(store: KVStore, u: UnbondingDelegation): void {
    const del = addressBytes(u.delegatorAddress, "delegator address");
    const val = valoperBytes(u.validatorAddress);
    if (u.entries.length === 0) {
      store.delete(unbondingKey(del, val));
      store.delete(valUnbondingKey(val, del));
      return;
    }
    store.set(unbondingKey(del, val), UnbondingDelegation.encode(u).finish());
    store.set(valUnbondingKey(val, del), EMPTY);
  }

  setRedelegation(store: KVStore, r: Redelegation): void {
    const del = addressBytes(r.delegatorAddress, "delegator address");
    const src = valoperBytes(r.validatorSrcAddress);
    const dst = valoperBytes(r.validatorDstAddress);
    const byDst = new Uint8Array([...redelegationsIntoPrefix(del, dst), ...src]);
    if (r.entries.length === 0) {
      store.delete(redelegationKey(del, src, dst));
      store.delete(byDst);
      store.delete(redelegationBySrcKey(src, del, dst));
      return;
    }
    store.set(redelegationKey(del, src, dst), Redelegation.encode(r).finish());
    store.set(byDst, EMPTY);
    store.set(redelegationBySrcKey(src, del, dst), EMPTY);
  }

  setHistoricalInfo(store: KVStore, height: bigint, h: HistoricalInfo): void {
    store.set(historicalKey(height), HistoricalInfo.encode(h).finish());
  }

  deleteHistoricalInfo(store: KVStore, height: bigint): void {
    store.delete(historicalKey(height));
  }

  setQueueKey(store: KVStore, key: Uint8Array): void {
    store.set(key, EMPTY);
  }

  /** Up to `limit` queue keys under `prefix` whose 8-byte time is <= nowMs, removed from the queue. */
  popMatured(store: KVStore, prefix: Uint8Array, nowMs: bigint, limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const [k] of store.iterate(prefix)) {
      if (out.length >= limit || readBe64(k, prefix.length) > nowMs) break;
      out.push(k);
    }
    for (const k of out) store.delete(k);
    return out;
  }

  deleteKey(store: KVStore, key: Uint8Array): void {
    store.delete(key);
  }
}

