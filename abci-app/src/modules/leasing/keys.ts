import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "leasing";
/** The escrow module account: lease deposits and provider bonds (a burner: the take on lease payments). */
export const EscrowAccount = "leasing";
/** The resource-reward pool: the providers' share of block provisions, until they withdraw it (a burner: forfeits). */
export const RewardsAccount = "leasing_rewards";
export const FeeCollector = "fee_collector";
export const DENOM = "utrust";
/** Images the provisioner can boot (provisioner/src/images). */
export const SUPPORTED_IMAGES = ["alpine-3.22", "ubuntu-24.04"] as const;
/** The reward index is kept in utrust × 10^18 per utrust of ready rate, so that a small share still moves it. */
export const INDEX_SCALE = 10n ** 18n;

/** Store layout; only the keeper uses it. */
export const Prefix = {
  params: utf8("leasing/params"),
  nextLeaseId: utf8("leasing/next-id"),
  provider: utf8("leasing/p/"), // + provider raw -> Provider
  lease: utf8("leasing/l/"), // + u64be(id) -> Lease
  byTenant: utf8("leasing/t/"), // + lp(tenant raw) + u64be(id) -> 0x01
  byProvider: utf8("leasing/v/"), // + lp(provider raw) + u64be(id) -> 0x01
  openByProvider: utf8("leasing/o/"), // + lp(provider raw) + u64be(id) -> 0x01, while the lease is open
  // open leases by the height they must be looked at: a pending lease's ready deadline, a ready lease's exhaustion
  due: utf8("leasing/d/"), // + u64be(height) + u64be(id) -> 0x01
  totals: utf8("leasing/sum/"), // + name -> decimal (deposits, payments, refunds, bonds)
  rewardIndex: utf8("leasing/reward-index"), // decimal, utrust × INDEX_SCALE per utrust of ready rate, since genesis
  readyRate: utf8("leasing/ready-rate"), // decimal, Σ rate of ready leases
} as const;

export const u64be = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};
export const readU64be = (b: Uint8Array, at = 0): bigint => new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0);

export const providerKey = (owner: Uint8Array): Uint8Array => concatBytes(Prefix.provider, owner);
export const leaseKey = (id: bigint): Uint8Array => concatBytes(Prefix.lease, u64be(id));
export const byTenantPrefix = (tenant: Uint8Array): Uint8Array => concatBytes(Prefix.byTenant, lengthPrefixed(tenant));
export const byProviderPrefix = (provider: Uint8Array): Uint8Array => concatBytes(Prefix.byProvider, lengthPrefixed(provider));
export const openByProviderPrefix = (provider: Uint8Array): Uint8Array => concatBytes(Prefix.openByProvider, lengthPrefixed(provider));
export const dueKey = (height: bigint, id: bigint): Uint8Array => concatBytes(Prefix.due, u64be(height), u64be(id));
export const totalKey = (name: Total): Uint8Array => concatBytes(Prefix.totals, utf8(name));
export type Total = "deposits" | "payments" | "refunds" | "bonds";
