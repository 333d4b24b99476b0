import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "staking";
export const BondedPool = "bonded_tokens_pool";
export const NotBondedPool = "not_bonded_tokens_pool";

/** Store layout of the staking module. Only the keeper touches these (house rule 4). Addresses are raw bytes. */
export const Prefix = {
  params: utf8("staking/params"),
  validator: utf8("staking/v/"), // + val(20) -> Validator
  consAddr: utf8("staking/c/"), // + consensus address(20) -> val(20)
  delegation: utf8("staking/d/"), // + lp(del) + val(20) -> Delegation
  valDelegation: utf8("staking/dv/"), // + val(20) + lp(del) -> ""
  unbonding: utf8("staking/u/"), // + lp(del) + val(20) -> UnbondingDelegation
  valUnbonding: utf8("staking/uv/"), // + val(20) + lp(del) -> ""
  redelegation: utf8("staking/r/"), // + lp(del) + src(20) + dst(20) -> Redelegation
  redelegationByDst: utf8("staking/rd/"), // + lp(del) + dst(20) + src(20) -> ""
  redelegationBySrc: utf8("staking/rs/"), // + src(20) + lp(del) + dst(20) -> "" (what a slash of src reaches)
  powerIndex: utf8("staking/p/"), // + be64(power) + val(20) -> "" (bonded candidates: not jailed, power > 0)
  lastPower: utf8("staking/lp/"), // + val(20) -> be64(power) (the set CometBFT has)
  changed: utf8("staking/ch/"), // + val(20) -> "" (validators whose power or jailing changed this block)
  unbondingQueue: utf8("staking/uq/"), // + be64(ms) + lp(del) + val(20) -> ""
  redelegationQueue: utf8("staking/rq/"), // + be64(ms) + lp(del) + src(20) + dst(20) -> ""
  validatorQueue: utf8("staking/vq/"), // + be64(ms) + val(20) -> ""
  historical: utf8("staking/h/"), // + be64(height) -> HistoricalInfo
} as const;

export function be64(n: bigint): Uint8Array {
  if (n < 0n || n >= 2n ** 64n) throw new Error(`be64 out of range: ${n}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export function readBe64(b: Uint8Array, at = 0): bigint {
  return new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0);
}

export const validatorKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.validator, val);
export const consAddrKey = (cons: Uint8Array): Uint8Array => concatBytes(Prefix.consAddr, cons);
export const delegatorPrefix = (del: Uint8Array): Uint8Array => concatBytes(Prefix.delegation, lengthPrefixed(del));
export const delegationKey = (del: Uint8Array, val: Uint8Array): Uint8Array => concatBytes(delegatorPrefix(del), val);
export const valDelegationKey = (val: Uint8Array, del: Uint8Array): Uint8Array => concatBytes(Prefix.valDelegation, val, lengthPrefixed(del));
export const unbondingPrefix = (del: Uint8Array): Uint8Array => concatBytes(Prefix.unbonding, lengthPrefixed(del));
export const unbondingKey = (del: Uint8Array, val: Uint8Array): Uint8Array => concatBytes(unbondingPrefix(del), val);
export const valUnbondingKey = (val: Uint8Array, del: Uint8Array): Uint8Array => concatBytes(Prefix.valUnbonding, val, lengthPrefixed(del));
export const redelegationPrefix = (del: Uint8Array): Uint8Array => concatBytes(Prefix.redelegation, lengthPrefixed(del));
export const redelegationKey = (del: Uint8Array, src: Uint8Array, dst: Uint8Array): Uint8Array => concatBytes(redelegationPrefix(del), src, dst);
export const redelegationsIntoPrefix = (del: Uint8Array, dst: Uint8Array): Uint8Array => concatBytes(Prefix.redelegationByDst, lengthPrefixed(del), dst);
export const redelegationBySrcKey = (src: Uint8Array, del: Uint8Array, dst: Uint8Array): Uint8Array => concatBytes(Prefix.redelegationBySrc, src, lengthPrefixed(del), dst);
export const powerIndexKey = (power: bigint, val: Uint8Array): Uint8Array => concatBytes(Prefix.powerIndex, be64(power), val);
export const lastPowerKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.lastPower, val);
export const changedKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.changed, val);
export const historicalKey = (height: bigint): Uint8Array => concatBytes(Prefix.historical, be64(height));

/** Queue keys sort by completion time (ms since the epoch, from block time), so a block pops only matured ones. */
export const unbondingQueueKey = (ms: bigint, del: Uint8Array, val: Uint8Array): Uint8Array => concatBytes(Prefix.unbondingQueue, be64(ms), lengthPrefixed(del), val);
export const redelegationQueueKey = (ms: bigint, del: Uint8Array, src: Uint8Array, dst: Uint8Array): Uint8Array =>
  concatBytes(Prefix.redelegationQueue, be64(ms), lengthPrefixed(del), src, dst);
export const validatorQueueKey = (ms: bigint, val: Uint8Array): Uint8Array => concatBytes(Prefix.validatorQueue, be64(ms), val);
