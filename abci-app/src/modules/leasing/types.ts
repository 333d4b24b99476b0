// Messages, state records and queries of the leasing module (proto/trustnet/leasing/v1/*.proto), type URLs under
// /trustnet.leasing.v1. Money fields are `repeated cosmos.base.v1beta1.Coin` (exactly one utrust coin), as the SDK's
// deposit messages; resources are flat uint64 fields: vCPU in millicores, memory in MiB, disk in GiB, bandwidth in
// Mbit/s. Prices are utrust per block per vCPU, GiB of memory, GiB of disk and Mbit/s.
import { PageRequest, PageResponse } from "../../sdk/key-page.ts";
import { bool, messageCodec, repeated, str, strings, u64 } from "../../sdk/proto-codec.ts";

/** Key pagination (sdk/key-page.ts): key and limit are honoured; offset, count_total and reverse must be 0. */
export { PageRequest, PageResponse };

/** cosmos.base.v1beta1.Coin on the wire; the amount is a decimal string. */
export interface WireCoin { denom: string; amount: string }
export const Coin = messageCodec<WireCoin>("/cosmos.base.v1beta1.Coin", [str("denom", 1), str("amount", 2)]);

/** Capacity or a lease's size. */
export interface Resources { cpuMillis: bigint; memoryMib: bigint; diskGib: bigint; bandwidthMbps: bigint }
/** utrust per block, per vCPU (1000 millicores), per GiB of memory, per GiB of disk, per Mbit/s. */
export interface Prices { priceCpu: bigint; priceMemory: bigint; priceDisk: bigint; priceBandwidth: bigint }

const P = "/trustnet.leasing.v1.";
const resourceFields = (from: number) => [u64("cpuMillis", from), u64("memoryMib", from + 1), u64("diskGib", from + 2), u64("bandwidthMbps", from + 3)];
const priceFields = (from: number) => [u64("priceCpu", from), u64("priceMemory", from + 1), u64("priceDisk", from + 2), u64("priceBandwidth", from + 3)];

export interface MsgRegisterProvider extends Resources, Prices {
  owner: string; endpoint: string; region: string; images: string[]; attributes: string[]; bond: WireCoin[];
}
/**
 * MsgUpdateProvider's `pause` (field 14, a uint64 holding one of these; not a proto enum, so its JSON is "1", not a
 * name): what the update does to the provider's `paused` flag. 0,
 * the proto3 default a client that does not know the field sends (nothing on the wire), keeps it; 1 pauses (the same
 * varint as the bool `paused = true` that field 14 was); 2 resumes. Any other value is refused (`leasing` 16).
 */
export const PauseChange = { unchanged: 0n, pause: 1n, resume: 2n } as const;
/**
 * Same fields as register, without the bond; prices apply to new leases only, capacity may not drop below what is in
 * use. `pause`: refuse new leases (maintenance) while the open ones run on, or take them again (PauseChange).
 */
export interface MsgUpdateProvider extends Resources, Prices { owner: string; endpoint: string; region: string; images: string[]; attributes: string[]; pause: bigint }
export interface MsgDeregisterProvider { owner: string }
export interface MsgCreateLease extends Resources {
  tenant: string; provider: string; image: string; sshPubkeys: string[]; maxPricePerBlock: WireCoin[]; deposit: WireCoin[];
}
export interface MsgLeaseReady { provider: string; leaseId: bigint; sshHost: string; sshPort: bigint; hostKeyFingerprint: string; hostPublicKey: string }
export interface MsgDepositLease { depositor: string; leaseId: bigint; amount: WireCoin[] }
export interface MsgWithdrawLease { provider: string; leaseId: bigint }
export interface MsgCloseLease { sender: string; leaseId: bigint }
export interface Empty { [k: string]: never }

export const MsgRegisterProvider = messageCodec<MsgRegisterProvider>(`${P}MsgRegisterProvider`, [
  str("owner", 1), str("endpoint", 2), str("region", 3), ...resourceFields(4), ...priceFields(8), strings("images", 12), strings("attributes", 13), repeated("bond", 14, Coin as never),
]);
export const MsgUpdateProvider = messageCodec<MsgUpdateProvider>(`${P}MsgUpdateProvider`, [
  str("owner", 1), str("endpoint", 2), str("region", 3), ...resourceFields(4), ...priceFields(8), strings("images", 12), strings("attributes", 13), u64("pause", 14),
]);
export const MsgDeregisterProvider = messageCodec<MsgDeregisterProvider>(`${P}MsgDeregisterProvider`, [str("owner", 1)]);
export const MsgCreateLease = messageCodec<MsgCreateLease>(`${P}MsgCreateLease`, [
  str("tenant", 1), str("provider", 2), ...resourceFields(3), str("image", 7), strings("sshPubkeys", 8), repeated("maxPricePerBlock", 9, Coin as never), repeated("deposit", 10, Coin as never),
]);
export const MsgLeaseReady = messageCodec<MsgLeaseReady>(`${P}MsgLeaseReady`, [
  str("provider", 1), u64("leaseId", 2), str("sshHost", 3), u64("sshPort", 4), str("hostKeyFingerprint", 5), str("hostPublicKey", 6),
]);
export const MsgDepositLease = messageCodec<MsgDepositLease>(`${P}MsgDepositLease`, [str("depositor", 1), u64("leaseId", 2), repeated("amount", 3, Coin as never)]);
export const MsgWithdrawLease = messageCodec<MsgWithdrawLease>(`${P}MsgWithdrawLease`, [str("provider", 1), u64("leaseId", 2)]);
export const MsgCloseLease = messageCodec<MsgCloseLease>(`${P}MsgCloseLease`, [str("sender", 1), u64("leaseId", 2)]);
export const EmptyResponse = (name: string) => messageCodec<Empty>(`${P}${name}`, []);
export interface MsgCreateLeaseResponse { leaseId: bigint }
export const MsgCreateLeaseResponse = messageCodec<MsgCreateLeaseResponse>(`${P}MsgCreateLeaseResponse`, [u64("leaseId", 1)]);
/**
 * What a withdrawal paid the provider, in utrust: the lease payment after the take, its resource rewards, and the take
 * (`takeBps` of the payment) that was burned; `paid + take` is what left the lease's escrow.
 */
export interface MsgWithdrawLeaseResponse { paid: string; rewards: string; take: string }
export const MsgWithdrawLeaseResponse = messageCodec<MsgWithdrawLeaseResponse>(`${P}MsgWithdrawLeaseResponse`, [str("paid", 1), str("rewards", 2), str("take", 3)]);

/** A provider as stored. Amounts are decimal utrust strings; `used*` is the capacity held by open leases. */
export interface Provider extends Resources, Prices {
  owner: string; endpoint: string; region: string; images: string[]; attributes: string[]; bond: string;
  usedCpuMillis: bigint; usedMemoryMib: bigint; usedDiskGib: bigint; usedBandwidthMbps: bigint;
  openLeases: bigint; registeredHeight: bigint;
  /** Σ rate of its ready leases (its reward weight, utrust per block), the reward index it last settled at, rewards accrued. */
  readyRate: bigint; rewardIndex: string; pendingRewards: string;
  /** Lease payments (after the take) and resource rewards paid to it so far. */
  paidTotal: string; rewardsPaid: string;
  /** The take burned from its lease payments so far: its resource rewards can never exceed it (`rewardsPaid ≤ takeTotal`). */
  takeTotal: string;
  /**
   * Set and cleared by its owner (MsgUpdateProvider's `pause`): new leases are refused (`leasing` 21) while its open ones run, become ready,
   * take deposits, pay and close as ever. A proto3 bool: false is not encoded, so an unpaused provider's bytes are
   * what they were before the field existed.
   */
  paused: boolean;
}
export const Provider = messageCodec<Provider>(`${P}Provider`, [
  str("owner", 1), str("endpoint", 2), str("region", 3), ...resourceFields(4), ...priceFields(8), strings("images", 12), strings("attributes", 13), str("bond", 14),
  u64("usedCpuMillis", 15), u64("usedMemoryMib", 16), u64("usedDiskGib", 17), u64("usedBandwidthMbps", 18), u64("openLeases", 19), u64("registeredHeight", 20),
  u64("readyRate", 21), str("rewardIndex", 22), str("pendingRewards", 23), str("paidTotal", 24), str("rewardsPaid", 25), str("takeTotal", 26),
  bool("paused", 27),
]);

/** Lease states. A lease is open while PENDING (reserved, not ready) or READY; CLOSED is final. */
export const LeaseState = { pending: 1n, ready: 2n, closed: 3n } as const;
export const LeaseStateName: Readonly<Record<string, string>> = { "1": "pending", "2": "ready", "3": "closed" };
/** Why a lease closed. */
export const CloseReason = { tenant: "tenant", provider: "provider", exhausted: "exhausted", readyTimeout: "ready_timeout" } as const;

export interface Lease extends Resources {
  id: bigint; tenant: string; provider: string; image: string; sshPubkeys: string[];
  /** utrust per block, fixed at creation from the provider's prices then. */
  rate: string;
  /** Unspent escrow (deposits − payments − refunds), as of `settledHeight`. */
  balance: string;
  /** Totals over the lease's life; `paid` is what left the escrow for the provider (its payments and the take). */
  deposited: string; paid: string; refunded: string;
  state: bigint; createdHeight: bigint; readyHeight: bigint; settledHeight: bigint; closedHeight: bigint; closeReason: string;
  sshHost: string; sshPort: bigint; hostKeyFingerprint: string; hostPublicKey: string;
  /** Height at which the escrow is exhausted at `rate` (ready leases) or the ready deadline (pending): the sweep index key. */
  dueHeight: bigint;
}
export const Lease = messageCodec<Lease>(`${P}Lease`, [
  u64("id", 1), str("tenant", 2), str("provider", 3), ...resourceFields(4), str("image", 8), strings("sshPubkeys", 9), str("rate", 10), str("balance", 11),
  str("deposited", 12), str("paid", 13), str("refunded", 14), u64("state", 15), u64("createdHeight", 16), u64("readyHeight", 17), u64("settledHeight", 18),
  u64("closedHeight", 19), str("closeReason", 20), str("sshHost", 21), u64("sshPort", 22), str("hostKeyFingerprint", 23), str("hostPublicKey", 24), u64("dueHeight", 25),
]);

/** Module parameters (genesis `leasing.params`). Amounts are decimal utrust strings. */
export interface Params {
  minBond: string;
  /** A lease not ready within this many blocks of its creation is closed with a full refund. */
  readyTimeoutBlocks: bigint;
  /** At most this many leases are closed per EndBlock by each sweep (exhausted, ready timeout). */
  maxClosesPerBlock: bigint;
  /** Share of each block's provision for the resource-reward pool, in basis points (1/10000). */
  rewardShareBps: bigint;
  /** Share of every lease payment burned (the take), in basis points; a provider's rewards never exceed its take. */
  takeBps: bigint;
  /** Used only to turn blocks left into time left in the Escrow query. */
  expectedBlockTimeMs: bigint;
}
export const Params = messageCodec<Params>(`${P}Params`, [
  str("minBond", 1), u64("readyTimeoutBlocks", 2), u64("maxClosesPerBlock", 3), u64("rewardShareBps", 4), u64("expectedBlockTimeMs", 9), u64("takeBps", 10),
]);

/**
 * Genesis `app_state.leasing` (JSON; 64-bit integers as decimal strings): `params`, and for an exported chain its
 * `providers`, `leases` (open and closed), `nextLeaseId`, the running `totals` and the reward index. The escrow
 * and reward module accounts' balances are bank's genesis; the invariants check they match after the first block.
 */
export interface LeasingGenesis {
  readonly params: Params;
  readonly providers: readonly Provider[];
  readonly leases: readonly Lease[];
  readonly nextLeaseId: bigint;
  readonly totals: { readonly deposits: bigint; readonly payments: bigint; readonly refunds: bigint };
  readonly rewardIndex: bigint;
}

// Queries: /trustnet.leasing.v1.Query/<Method>
export interface QueryProvidersRequest extends Resources { region: string; image: string; pagination: PageRequest[] }
export const QueryProvidersRequest = messageCodec<QueryProvidersRequest>(`${P}QueryProvidersRequest`, [str("region", 1), str("image", 2), ...resourceFields(3), repeated("pagination", 7, PageRequest as never)]);
export const QueryProvidersResponse = messageCodec<{ providers: Provider[]; pagination: PageResponse[] }>(`${P}QueryProvidersResponse`, [repeated("providers", 1, Provider as never), repeated("pagination", 2, PageResponse as never)]);
export const QueryProviderRequest = messageCodec<{ owner: string }>(`${P}QueryProviderRequest`, [str("owner", 1)]);
export const QueryProviderResponse = messageCodec<{ provider: Provider[] }>(`${P}QueryProviderResponse`, [repeated("provider", 1, Provider as never)]);
/** Leases of a tenant or a provider, by id; `state` 0 = any, else a LeaseState (1 pending, 2 ready, 3 closed; 4 = open: pending or ready). */
export interface QueryLeasesRequest { owner: string; state: bigint; pagination: PageRequest[] }
export const QueryLeasesByTenantRequest = messageCodec<QueryLeasesRequest>(`${P}QueryLeasesByTenantRequest`, [str("owner", 1), u64("state", 2), repeated("pagination", 3, PageRequest as never)]);
export const QueryLeasesByProviderRequest = messageCodec<QueryLeasesRequest>(`${P}QueryLeasesByProviderRequest`, [str("owner", 1), u64("state", 2), repeated("pagination", 3, PageRequest as never)]);
export const QueryLeasesResponse = messageCodec<{ leases: Lease[]; pagination: PageResponse[] }>(`${P}QueryLeasesResponse`, [repeated("leases", 1, Lease as never), repeated("pagination", 2, PageResponse as never)]);
export const QueryLeaseRequest = messageCodec<{ leaseId: bigint }>(`${P}QueryLeaseRequest`, [u64("leaseId", 1)]);
export const QueryLeaseResponse = messageCodec<{ lease: Lease[] }>(`${P}QueryLeaseResponse`, [repeated("lease", 1, Lease as never)]);
export const QueryEscrowRequest = messageCodec<{ leaseId: bigint }>(`${P}QueryEscrowRequest`, [u64("leaseId", 1)]);
/** The escrow as of the query height: what is left after settling up to it, the unsettled accrual, and how long it lasts. */
export interface QueryEscrowResponse { leaseId: bigint; rate: string; balance: string; accrued: string; blocksLeft: bigint; secondsLeft: bigint; height: bigint; state: bigint }
export const QueryEscrowResponse = messageCodec<QueryEscrowResponse>(`${P}QueryEscrowResponse`, [
  u64("leaseId", 1), str("rate", 2), str("balance", 3), str("accrued", 4), u64("blocksLeft", 5), u64("secondsLeft", 6), u64("height", 7), u64("state", 8),
]);
/**
 * A provider's earnings: lease payments accrued on its open leases and not yet settled (before the take), the resource
 * rewards a withdrawal would pay now, the rewards accrued but held back until it has burned more take, what it has
 * been paid (after the take) and the take burned so far.
 */
export const QueryEarningsRequest = messageCodec<{ owner: string }>(`${P}QueryEarningsRequest`, [str("owner", 1)]);
export interface QueryEarningsResponse { accrued: string; rewards: string; paid: string; openLeases: bigint; rewardsHeld: string; take: string }
export const QueryEarningsResponse = messageCodec<QueryEarningsResponse>(`${P}QueryEarningsResponse`, [
  str("accrued", 1), str("rewards", 2), str("paid", 3), u64("openLeases", 4), str("rewardsHeld", 5), str("take", 6),
]);
export const QueryParamsRequest = messageCodec<Empty>(`${P}QueryParamsRequest`, []);
export const QueryParamsResponse = messageCodec<{ params: Params[] }>(`${P}QueryParamsResponse`, [repeated("params", 1, Params as never)]);

/** Every Msg type, for cosmjs' Registry (`registry.register(typeUrl, codec)`). */
export const leasingMsgTypes = [
  MsgRegisterProvider, MsgUpdateProvider, MsgDeregisterProvider, MsgCreateLease, MsgLeaseReady, MsgDepositLease, MsgWithdrawLease, MsgCloseLease,
] as const;
/**
 * The `<Msg>Response` of each message, as msgs.ts answers it: MsgCreateLeaseResponse and MsgWithdrawLeaseResponse,
 * the others empty. For decoders of tx results (REST's simulate).
 */
export const leasingMsgResponseTypes = leasingMsgTypes.map((t) =>
  [MsgCreateLeaseResponse, MsgWithdrawLeaseResponse].find((r) => r.typeUrl === `${t.typeUrl}Response`) ?? EmptyResponse(`${t.typeUrl.slice(P.length)}Response`));
