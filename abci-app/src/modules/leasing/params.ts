import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { Lease, Params, Prices, Resources } from "./types.ts";

export const DefaultParams: Params = {
  minBond: "1000000",
  readyTimeoutBlocks: 100n,
  maxClosesPerBlock: 20n,
  rewardShareBps: 1000n,
  expectedBlockTimeMs: 1000n,
  takeBps: 1000n,
};

const DECIMAL = /^\d{1,40}$/;

/** Throws ErrInvalidRequest with the offending field. */
export function validateParams(p: Params): void {
  if (!DECIMAL.test(p.minBond)) throw ErrInvalidRequest.wrap(`leasing params: minBond ${JSON.stringify(p.minBond)} must be a non-negative integer (utrust)`);
  if (p.readyTimeoutBlocks < 1n || p.readyTimeoutBlocks > 1_000_000_000n) throw ErrInvalidRequest.wrap("leasing params: readyTimeoutBlocks must be in 1..1000000000");
  if (p.maxClosesPerBlock < 1n || p.maxClosesPerBlock > 1000n) throw ErrInvalidRequest.wrap("leasing params: maxClosesPerBlock must be in 1..1000");
  if (p.rewardShareBps > 10000n) throw ErrInvalidRequest.wrap("leasing params: rewardShareBps must be at most 10000");
  if (p.takeBps > 10000n) throw ErrInvalidRequest.wrap("leasing params: takeBps must be at most 10000");
  if (p.expectedBlockTimeMs < 1n || p.expectedBlockTimeMs > 86_400_000n) throw ErrInvalidRequest.wrap("leasing params: expectedBlockTimeMs must be in 1..86400000");
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** utrust per block for `r` at `prices` (docs/leasing.md, "Units"). */
export function leaseRate(r: Resources, prices: Prices): bigint {
  return ceilDiv(r.cpuMillis * prices.priceCpu, 1000n) + ceilDiv(r.memoryMib * prices.priceMemory, 1024n) + r.diskGib * prices.priceDisk + r.bandwidthMbps * prices.priceBandwidth;
}

/** The take on a payment: `takeBps` of it, rounded down (so a provider's reward credit never exceeds what was burned). */
export const takeOf = (payment: bigint, p: Params): bigint => (payment * p.takeBps) / 10000n;

export const resourcesOf = (l: Lease): Resources => ({ cpuMillis: l.cpuMillis, memoryMib: l.memoryMib, diskGib: l.diskGib, bandwidthMbps: l.bandwidthMbps });

/** The far end of the due index: a free lease, or one funded past any height a u64 can hold, is never swept. */
export const NEVER_DUE = 2n ** 64n - 1n;

/** A ready lease's due height: when its balance no longer covers a block, settledHeight + ⌊balance / rate⌋. */
export function readyDueHeight(settledHeight: bigint, balance: bigint, rate: bigint): bigint {
  const due = rate === 0n ? NEVER_DUE : settledHeight + balance / rate;
  return due > NEVER_DUE ? NEVER_DUE : due;
}
