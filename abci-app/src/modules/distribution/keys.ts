import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "distribution";
export const FeeCollectorName = "fee_collector";

/** Store layout of the distribution module (the SDK's x/distribution keys). Only the keeper touches these. */
export const Prefix = {
  params: utf8("distr/params"), // -> cosmos.distribution.v1beta1.Params
  feePool: utf8("distr/pool"), // -> FeePool (community pool, DecCoins)
  outstanding: utf8("distr/o/"), // + val(20) -> ValidatorOutstandingRewards
  commission: utf8("distr/c/"), // + val(20) -> ValidatorAccumulatedCommission
  current: utf8("distr/cr/"), // + val(20) -> ValidatorCurrentRewards
  historical: utf8("distr/h/"), // + val(20) + be64(period) -> ValidatorHistoricalRewards
  starting: utf8("distr/s/"), // + val(20) + lp(del) -> DelegatorStartingInfo
  slash: utf8("distr/x/"), // + val(20) + be64(height) + be64(period) -> ValidatorSlashEvent
  withdrawAddr: utf8("distr/w/"), // + lp(del) -> withdraw address bytes
} as const;

export function be64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export const readBe64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0);

export const outstandingKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.outstanding, val);
export const commissionKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.commission, val);
export const currentKey = (val: Uint8Array): Uint8Array => concatBytes(Prefix.current, val);
export const historicalPrefix = (val: Uint8Array): Uint8Array => concatBytes(Prefix.historical, val);
export const historicalKey = (val: Uint8Array, period: bigint): Uint8Array => concatBytes(historicalPrefix(val), be64(period));
export const startingPrefix = (val: Uint8Array): Uint8Array => concatBytes(Prefix.starting, val);
export const startingKey = (val: Uint8Array, del: Uint8Array): Uint8Array => concatBytes(startingPrefix(val), lengthPrefixed(del));
export const slashPrefix = (val: Uint8Array): Uint8Array => concatBytes(Prefix.slash, val);
export const slashKey = (val: Uint8Array, height: bigint, period: bigint): Uint8Array => concatBytes(slashPrefix(val), be64(height), be64(period));
export const withdrawAddrKey = (del: Uint8Array): Uint8Array => concatBytes(Prefix.withdrawAddr, lengthPrefixed(del));
