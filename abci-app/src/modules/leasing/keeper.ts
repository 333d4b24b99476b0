import { addressBytes, moduleAddress } from "../../sdk/address.ts";
import type { Coin } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";
import { concatBytes, fromUtf8, utf8 } from "../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import {
  ErrBondTooSmall, ErrCapacityInUse, ErrDepositTooSmall, ErrImageNotOffered, ErrInsufficientCapacity, ErrLeaseClosed, ErrLeaseNotFound,
  ErrLeaseNotPending, ErrNotLeaseParty, ErrNotLeaseProvider, ErrPriceTooHigh, ErrProviderExists, ErrProviderHasLeases, ErrProviderNotFound, ErrProviderPaused,
} from "./errors.ts";
import { emitClosed, emitSettled } from "./events.ts";
import type { BankKeeper, MintKeeper } from "./expected-keepers.ts";
import {
  byProviderPrefix, byTenantPrefix, DENOM, dueKey, EscrowAccount, FeeCollector, INDEX_SCALE, leaseKey, openByProviderPrefix, Prefix, providerKey, readU64be, RewardsAccount,
  type Total, totalKey, u64be,
} from "./keys.ts";
import { DefaultParams, leaseRate, readyDueHeight, takeOf } from "./params.ts";
import { pausedAfter } from "./validate.ts";
import { CloseReason, Lease, type LeasingGenesis, LeaseState, Params, type Prices, Provider, type Resources } from "./types.ts";

const ONE = Uint8Array.of(1);
const big = (s: string): bigint => (s === "" ? 0n : BigInt(s));
const coins = (amount: bigint): Coin[] => [{ denom: DENOM, amount }];
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** A provider's self-description, as registered or updated. */
export interface ProviderSpec extends Resources, Prices {
  readonly owner: string; readonly endpoint: string; readonly region: string; readonly images: readonly string[]; readonly attributes: readonly string[];
}
/** An update may also pause or resume the provider (`pause`, a PauseChange; 0 keeps its state). */
export interface ProviderUpdate extends ProviderSpec { readonly pause: bigint }
export interface LeaseSpec extends Resources {
  readonly tenant: string; readonly provider: string; readonly image: string; readonly sshPubkeys: readonly string[];
  readonly maxPricePerBlock: bigint; readonly deposit: bigint;
}
export interface ReadySpec { readonly sshHost: string; readonly sshPort: bigint; readonly hostKeyFingerprint: string; readonly hostPublicKey: string }

export const isOpen = (l: Lease): boolean => l.state !== LeaseState.closed;

/** Read-only leasing state. */
export class LeasingViewKeeper {
  params(store: KVReader): Params {
    const v = store.get(Prefix.params);
    return v ? Params.decode(v) : DefaultParams;
  }

  provider(store: KVReader, owner: string): Provider | undefined {
    const v = store.get(providerKey(addressBytes(owner)));
    return v ? Provider.decode(v) : undefined;
  }

  requireProvider(store: KVReader, owner: string): Provider {
    const p = this.provider(store, owner);
    if (!p) throw ErrProviderNotFound.wrap(`${owner} is not a registered provider`);
    return p;
  }

  /** Providers in address order, from `start` (a store key) on. */
  *providers(store: KVReader, start?: Uint8Array): IterableIterator<readonly [Uint8Array, Provider]> {
    for (const [k, v] of store.iterate(Prefix.provider, start ? { start } : undefined)) yield [k, Provider.decode(v)];
  }

  lease(store: KVReader, id: bigint): Lease | undefined {
    const v = store.get(leaseKey(id));
    return v ? Lease.decode(v) : undefined;
  }

  requireLease(store: KVReader, id: bigint): Lease {
    const l = this.lease(store, id);
    if (!l) throw ErrLeaseNotFound.wrap(`lease ${id}`);
    return l;
  }

  /** Leases of a tenant or provider (`by` is byTenantPrefix/byProviderPrefix of its address), by id, from `start`. */
  *leasesUnder(store: KVReader, prefix: Uint8Array, start?: Uint8Array): IterableIterator<readonly [Uint8Array, Lease]> {
    for (const [k] of store.iterate(prefix, start ? { start } : undefined)) yield [k, this.requireLease(store, readU64be(k, k.length - 8))];
  }

  *allLeases(store: KVReader): IterableIterator<Lease> {
    for (const [, v] of store.iterate(Prefix.lease)) yield Lease.decode(v);
  }

  /** A provider's open leases (pending or ready), by id: O(open leases), however many it has closed. */
  *openLeasesOf(store: KVReader, provider: string, start?: Uint8Array): IterableIterator<readonly [Uint8Array, Lease]> {
    yield* this.leasesUnder(store, openByProviderPrefix(addressBytes(provider)), start);
  }

  /** Every open lease's due-index entry, in (due height, id) order. */
  *dueEntries(store: KVReader): IterableIterator<{ readonly height: bigint; readonly id: bigint }> {
    for (const [k] of store.iterate(Prefix.due)) yield { height: readU64be(k, Prefix.due.length), id: readU64be(k, Prefix.due.length + 8) };
  }

  total(store: KVReader, name: Total): bigint {
    const v = store.get(totalKey(name));
    return v ? BigInt(fromUtf8(v)) : 0n;
  }

  rewardIndex(store: KVReader): bigint {
    const v = store.get(Prefix.rewardIndex);
    return v ? BigInt(fromUtf8(v)) : 0n;
  }

  /** Σ rate of ready leases: the weight the reward index divides each block's reward share by. */
  totalReadyRate(store: KVReader): bigint {
    const v = store.get(Prefix.readyRate);
    return v ? BigInt(fromUtf8(v)) : 0n;
  }

  /** What settling at `height` would pay the provider: rate × blocks since the last settlement, at most the balance. */
  accrued(l: Lease, height: bigint): bigint {
    if (l.state !== LeaseState.ready || height <= l.settledHeight) return 0n;
    return min(big(l.rate) * (height - l.settledHeight), big(l.balance));
  }

  /** Resource rewards accrued to a provider as of the current reward index (its share of the pool, F1-style). */
  owedRewards(store: KVReader, p: Provider): bigint {
    return big(p.pendingRewards) + (p.readyRate * (this.rewardIndex(store) - big(p.rewardIndex))) / INDEX_SCALE;
  }

  /**
   * What of it can be paid now: at most the take it has burned and not yet had back, so that rewards never exceed
   * what the provider's leases burned (self-dealing cannot earn more than it costs). The rest is held, not lost.
   */
  payableRewards(store: KVReader, p: Provider): bigint {
    return min(this.owedRewards(store, p), big(p.takeTotal) - big(p.rewardsPaid));
  }

  escrowAddress(): string {
    return moduleAddress(EscrowAccount);
  }

  rewardsAddress(): string {
    return moduleAddress(RewardsAccount);
  }
}

/** The leasing keeper: the only code that writes the leasing module's state. */
export class LeasingKeeper extends LeasingViewKeeper {
  readonly #bank: BankKeeper;
  #mint: MintKeeper;

  constructor(bank: BankKeeper, mint: MintKeeper) {
    super();
    this.#bank = bank;
    this.#mint = mint;
  }

  /** The app wires the mint keeper once it exists (modules.ts). */
  setMintKeeper(mint: MintKeeper): void {
    this.#mint = mint;
  }

  setParams(store: KVStore, p: Params): void {
    store.set(Prefix.params, Params.encode(p).finish());
  }

  /** Genesis: writes validated state (genesis.ts checks its consistency) with every index rebuilt. */
  importState(store: KVStore, g: LeasingGenesis): void {
    this.setParams(store, g.params);
    for (const p of g.providers) this.#setProvider(store, p);
    let readyRate = 0n;
    for (const l of g.leases) {
      this.#setLease(store, l);
      const tenant = addressBytes(l.tenant);
      const provider = addressBytes(l.provider);
      store.set(concatBytes(byTenantPrefix(tenant), u64be(l.id)), ONE);
      store.set(concatBytes(byProviderPrefix(provider), u64be(l.id)), ONE);
      if (!isOpen(l)) continue;
      store.set(concatBytes(openByProviderPrefix(provider), u64be(l.id)), ONE);
      store.set(dueKey(l.dueHeight, l.id), ONE);
      if (l.state === LeaseState.ready) readyRate += big(l.rate);
    }
    store.set(Prefix.nextLeaseId, u64be(g.nextLeaseId));
    const bonds = g.providers.reduce((s, p) => s + big(p.bond), 0n);
    for (const [name, v] of [["deposits", g.totals.deposits], ["payments", g.totals.payments], ["refunds", g.totals.refunds], ["bonds", bonds]] as const) store.set(totalKey(name), utf8(v.toString()));
    store.set(Prefix.rewardIndex, utf8(g.rewardIndex.toString()));
    store.set(Prefix.readyRate, utf8(readyRate.toString()));
  }

  exportState(store: KVReader): LeasingGenesis {
    const next = store.get(Prefix.nextLeaseId);
    return {
      params: this.params(store), providers: [...this.providers(store)].map(([, p]) => p), leases: [...this.allLeases(store)], nextLeaseId: next ? readU64be(next) : 1n,
      totals: { deposits: this.total(store, "deposits"), payments: this.total(store, "payments"), refunds: this.total(store, "refunds") }, rewardIndex: this.rewardIndex(store),
    };
  }

  #setProvider(store: KVStore, p: Provider): void {
    store.set(providerKey(addressBytes(p.owner)), Provider.encode(p).finish());
  }

  #setLease(store: KVStore, l: Lease): void {
    store.set(leaseKey(l.id), Lease.encode(l).finish());
  }

  #add(store: KVStore, name: Total, delta: bigint): void {
    store.set(totalKey(name), utf8((this.total(store, name) + delta).toString()));
  }

  registerProvider(ctx: Ctx, spec: ProviderSpec, bond: bigint): Provider {
    if (this.provider(ctx.store, spec.owner)) throw ErrProviderExists.wrap(spec.owner);
    const minBond = big(this.params(ctx.store).minBond);
    if (bond < minBond) throw ErrBondTooSmall.wrap(`bond ${bond}${DENOM} < minimum ${minBond}${DENOM}`);
    if (bond > 0n) this.#bank.sendCoinsFromAccountToModule(ctx, spec.owner, EscrowAccount, coins(bond));
    this.#add(ctx.store, "bonds", bond);
    const p: Provider = {
      ...describe(spec), bond: bond.toString(), usedCpuMillis: 0n, usedMemoryMib: 0n, usedDiskGib: 0n, usedBandwidthMbps: 0n, openLeases: 0n,
      registeredHeight: ctx.height, readyRate: 0n, rewardIndex: this.rewardIndex(ctx.store).toString(), pendingRewards: "0", paidTotal: "0", rewardsPaid: "0",
      takeTotal: "0", paused: false,
    };
    this.#setProvider(ctx.store, p);
    return p;
  }

  /**
   * Only the provider itself: `owner` is the message's signer, and it names the record changed (another address has
   * no record to change: ErrProviderNotFound). Pausing refuses new leases; the open ones are not touched.
   */
  updateProvider(ctx: Ctx, spec: ProviderUpdate): Provider {
    const cur = this.requireProvider(ctx.store, spec.owner);
    const short = ([["cpuMillis", spec.cpuMillis, cur.usedCpuMillis], ["memoryMib", spec.memoryMib, cur.usedMemoryMib], ["diskGib", spec.diskGib, cur.usedDiskGib],
      ["bandwidthMbps", spec.bandwidthMbps, cur.usedBandwidthMbps]] as const).filter(([, cap, used]) => cap < used).map(([f, cap, used]) => `${f} ${cap} < ${used} in use`);
    if (short.length > 0) throw ErrCapacityInUse.wrap(`${short.join(", ")} below what ${cur.openLeases} open lease(s) use`);
    const p: Provider = { ...cur, ...describe(spec), paused: pausedAfter(spec.pause, cur.paused) };
    this.#setProvider(ctx.store, p);
    return p;
  }

  /**
   * Refused while leases are open; returns the bond and pays the payable rewards. What accrued beyond its take is
   * forfeited and burned from the pool: nobody may collect it, and the pool keeps exactly what is still owed.
   */
  deregisterProvider(ctx: Ctx, owner: string): { bond: bigint; rewards: bigint; forfeited: bigint } {
    const p = this.requireProvider(ctx.store, owner);
    if (p.openLeases > 0n) throw ErrProviderHasLeases.wrap(`${owner} has ${p.openLeases} open lease(s); close them first`);
    const rewards = this.payableRewards(ctx.store, p);
    const forfeited = this.owedRewards(ctx.store, p) - rewards;
    if (rewards > 0n) this.#bank.sendCoinsFromModuleToAccount(ctx, RewardsAccount, owner, coins(rewards));
    if (forfeited > 0n) this.#bank.burnCoins(ctx, RewardsAccount, coins(forfeited));
    const bond = big(p.bond);
    if (bond > 0n) this.#bank.sendCoinsFromModuleToAccount(ctx, EscrowAccount, owner, coins(bond));
    this.#add(ctx.store, "bonds", -bond);
    ctx.store.delete(providerKey(addressBytes(owner)));
    return { bond, rewards, forfeited };
  }

  /** Reserves capacity at the provider's posted prices and moves the deposit to escrow. */
  createLease(ctx: Ctx, s: LeaseSpec): Lease {
    const p = this.requireProvider(ctx.store, s.provider);
    if (p.paused) throw ErrProviderPaused.wrap(`${s.provider} is paused (maintenance): it takes no new leases until it resumes; choose another provider ('trustnet provider list')`);
    if (!p.images.includes(s.image)) throw ErrImageNotOffered.wrap(`${s.provider} offers ${p.images.join(", ")}, not ${s.image}`);
    const lacking = ([
      ["vCPU millicores", s.cpuMillis, p.cpuMillis - p.usedCpuMillis], ["memory MiB", s.memoryMib, p.memoryMib - p.usedMemoryMib],
      ["disk GiB", s.diskGib, p.diskGib - p.usedDiskGib], ["bandwidth Mbit/s", s.bandwidthMbps, p.bandwidthMbps - p.usedBandwidthMbps],
    ] as const).filter(([, want, free]) => want > free).map(([what, want, free]) => `${what}: asked ${want}, free ${free}`);
    if (lacking.length > 0) throw ErrInsufficientCapacity.wrap(lacking.join("; "));
    const rate = leaseRate(s, p);
    if (rate > s.maxPricePerBlock) throw ErrPriceTooHigh.wrap(`the provider's price for these resources is ${rate}${DENOM} per block, max_price_per_block is ${s.maxPricePerBlock}${DENOM}`);
    if (s.deposit < rate || s.deposit === 0n) throw ErrDepositTooSmall.wrap(`deposit ${s.deposit}${DENOM} < one block at ${rate}${DENOM}`);
    this.#bank.sendCoinsFromAccountToModule(ctx, s.tenant, EscrowAccount, coins(s.deposit));
    this.#add(ctx.store, "deposits", s.deposit);
    const idRaw = ctx.store.get(Prefix.nextLeaseId);
    const id = idRaw ? readU64be(idRaw) : 1n;
    ctx.store.set(Prefix.nextLeaseId, u64be(id + 1n));
    const params = this.params(ctx.store);
    const l: Lease = {
      id, tenant: s.tenant, provider: s.provider, cpuMillis: s.cpuMillis, memoryMib: s.memoryMib, diskGib: s.diskGib, bandwidthMbps: s.bandwidthMbps,
      image: s.image, sshPubkeys: [...s.sshPubkeys], rate: rate.toString(), balance: s.deposit.toString(), deposited: s.deposit.toString(), paid: "0", refunded: "0",
      state: LeaseState.pending, createdHeight: ctx.height, readyHeight: 0n, settledHeight: 0n, closedHeight: 0n, closeReason: "",
      sshHost: "", sshPort: 0n, hostKeyFingerprint: "", hostPublicKey: "", dueHeight: ctx.height + params.readyTimeoutBlocks,
    };
    this.#setLease(ctx.store, l);
    ctx.store.set(dueKey(l.dueHeight, id), ONE);
    ctx.store.set(concatBytes(byTenantPrefix(addressBytes(s.tenant)), u64be(id)), ONE);
    ctx.store.set(concatBytes(byProviderPrefix(addressBytes(s.provider)), u64be(id)), ONE);
    ctx.store.set(concatBytes(openByProviderPrefix(addressBytes(s.provider)), u64be(id)), ONE);
    this.#setProvider(ctx.store, {
      ...p, usedCpuMillis: p.usedCpuMillis + s.cpuMillis, usedMemoryMib: p.usedMemoryMib + s.memoryMib, usedDiskGib: p.usedDiskGib + s.diskGib,
      usedBandwidthMbps: p.usedBandwidthMbps + s.bandwidthMbps, openLeases: p.openLeases + 1n,
    });
    return l;
  }

  /** The provider reports the VM up: payment accrues from this height, and the lease's rate starts weighing in rewards. */
  leaseReady(ctx: Ctx, provider: string, id: bigint, r: ReadySpec): Lease {
    const l = this.requireLease(ctx.store, id);
    if (l.provider !== provider) throw ErrNotLeaseProvider.wrap(`lease ${id} is hosted by ${l.provider}, not ${provider}`);
    if (l.state === LeaseState.closed) throw ErrLeaseClosed.wrap(`lease ${id} closed at height ${l.closedHeight} (${l.closeReason})`);
    if (l.state !== LeaseState.pending) throw ErrLeaseNotPending.wrap(`lease ${id} has been ready since height ${l.readyHeight}`);
    this.#changeReadyRate(ctx.store, provider, big(l.rate));
    ctx.store.delete(dueKey(l.dueHeight, id));
    const ready: Lease = { ...l, ...r, state: LeaseState.ready, readyHeight: ctx.height, settledHeight: ctx.height };
    return this.#reindex(ctx.store, ready);
  }

  /** Tops up an open lease (anyone may), after settling what accrued so far. */
  deposit(ctx: Ctx, depositor: string, id: bigint, amount: bigint): Lease {
    const { lease: l } = this.#settle(ctx, this.#requireOpen(ctx.store, id));
    this.#bank.sendCoinsFromAccountToModule(ctx, depositor, EscrowAccount, coins(amount));
    this.#add(ctx.store, "deposits", amount);
    if (l.state === LeaseState.ready) ctx.store.delete(dueKey(l.dueHeight, id));
    const topped = { ...l, balance: (big(l.balance) + amount).toString(), deposited: (big(l.deposited) + amount).toString() };
    return l.state === LeaseState.ready ? this.#reindex(ctx.store, topped) : (this.#setLease(ctx.store, topped), topped);
  }

  /** The provider collects what accrued on the lease (less the take), and its payable resource rewards. */
  withdraw(ctx: Ctx, provider: string, id: bigint): { paid: bigint; rewards: bigint; take: bigint } {
    const l = this.requireLease(ctx.store, id);
    if (l.provider !== provider) throw ErrNotLeaseProvider.wrap(`lease ${id} is hosted by ${l.provider}, not ${provider}`);
    let paid = 0n;
    let take = 0n;
    if (isOpen(l)) {
      const { lease: settled, ...s } = this.#settle(ctx, l);
      paid = s.paid;
      take = s.take;
      if (settled.state === LeaseState.ready) {
        ctx.store.delete(dueKey(l.dueHeight, id));
        this.#reindex(ctx.store, settled);
      }
    }
    return { paid, rewards: this.#payRewards(ctx, provider), take };
  }

  /** Tenant or provider ends the lease: settle, refund the rest to the tenant, free the capacity. */
  closeBy(ctx: Ctx, sender: string, id: bigint): Lease {
    const l = this.requireLease(ctx.store, id);
    if (sender !== l.tenant && sender !== l.provider) throw ErrNotLeaseParty.wrap(`lease ${id} belongs to ${l.tenant} on ${l.provider}`);
    if (!isOpen(l)) throw ErrLeaseClosed.wrap(`lease ${id} closed at height ${l.closedHeight} (${l.closeReason})`);
    return this.#close(ctx, l, sender === l.tenant ? CloseReason.tenant : CloseReason.provider);
  }

  /**
   * BeginBlock: the providers' share of the block provision, into the reward pool, weighted by the rate of ready
   * leases (a free lease weighs nothing); one read/write of the index.
   */
  allocateRewards(ctx: Ctx): bigint {
    const weight = this.totalReadyRate(ctx.store);
    if (weight === 0n) return 0n;
    const share = (this.#mint.blockProvision(ctx.store) * this.params(ctx.store).rewardShareBps) / 10000n;
    const amount = min(share, this.#bank.getBalance(ctx.store, moduleAddress(FeeCollector), DENOM));
    if (amount <= 0n) return 0n;
    this.#bank.sendCoinsFromModuleToModule(ctx, FeeCollector, RewardsAccount, coins(amount));
    ctx.store.set(Prefix.rewardIndex, utf8((this.rewardIndex(ctx.store) + (amount * INDEX_SCALE) / weight).toString()));
    return amount;
  }

  /**
   * EndBlock: closes open leases whose due height has come, at most `maxClosesPerBlock`, in (due height, id) order —
   * pending ones past their ready deadline (full refund), ready ones whose escrow is exhausted. Reads at most K+1
   * index entries, whatever the number of leases.
   */
  sweep(ctx: Ctx): number {
    const k = Number(this.params(ctx.store).maxClosesPerBlock);
    const due: bigint[] = [];
    for (const [key] of ctx.store.iterate(Prefix.due)) {
      if (readU64be(key, Prefix.due.length) > ctx.height || due.length >= k) break;
      due.push(readU64be(key, Prefix.due.length + 8));
    }
    for (const id of due) {
      const l = this.requireLease(ctx.store, id);
      this.#close(ctx, l, l.state === LeaseState.pending ? CloseReason.readyTimeout : CloseReason.exhausted);
    }
    return due.length;
  }

  #requireOpen(store: KVReader, id: bigint): Lease {
    const l = this.requireLease(store, id);
    if (!isOpen(l)) throw ErrLeaseClosed.wrap(`lease ${id} closed at height ${l.closedHeight} (${l.closeReason})`);
    return l;
  }

  /**
   * Takes rate × (height − settledHeight), at most the balance, from the escrow: the take (`takeBps` of it) is burned
   * and counts toward the provider's reward limit, the rest is paid to the provider. Stores the lease.
   */
  #settle(ctx: Ctx, l: Lease): { lease: Lease; paid: bigint; take: bigint } {
    const due = this.accrued(l, ctx.height);
    if (l.state !== LeaseState.ready) return { lease: l, paid: 0n, take: 0n };
    const settled: Lease = { ...l, balance: (big(l.balance) - due).toString(), paid: (big(l.paid) + due).toString(), settledHeight: ctx.height };
    const take = takeOf(due, this.params(ctx.store));
    if (due > 0n) {
      if (take > 0n) this.#bank.burnCoins(ctx, EscrowAccount, coins(take));
      if (due > take) this.#bank.sendCoinsFromModuleToAccount(ctx, EscrowAccount, l.provider, coins(due - take));
      this.#add(ctx.store, "payments", due);
      const p = this.requireProvider(ctx.store, l.provider);
      this.#setProvider(ctx.store, { ...p, paidTotal: (big(p.paidTotal) + due - take).toString(), takeTotal: (big(p.takeTotal) + take).toString() });
      emitSettled(ctx.events, settled, due - take, take, ctx.height);
    }
    this.#setLease(ctx.store, settled);
    return { lease: settled, paid: due - take, take };
  }

  /** A ready lease's due height is when its balance no longer covers a block: settledHeight + ⌊balance / rate⌋. */
  #reindex(store: KVStore, l: Lease): Lease {
    const next: Lease = { ...l, dueHeight: readyDueHeight(l.settledHeight, big(l.balance), big(l.rate)) };
    store.set(dueKey(next.dueHeight, next.id), ONE);
    this.#setLease(store, next);
    return next;
  }

  #close(ctx: Ctx, open: Lease, reason: string): Lease {
    const { lease: l } = this.#settle(ctx, open);
    const refund = big(l.balance);
    if (refund > 0n) this.#bank.sendCoinsFromModuleToAccount(ctx, EscrowAccount, l.tenant, coins(refund));
    this.#add(ctx.store, "refunds", refund);
    ctx.store.delete(dueKey(l.dueHeight, l.id));
    ctx.store.delete(concatBytes(openByProviderPrefix(addressBytes(l.provider)), u64be(l.id)));
    if (l.state === LeaseState.ready) this.#changeReadyRate(ctx.store, l.provider, -big(l.rate));
    const p = this.requireProvider(ctx.store, l.provider);
    this.#setProvider(ctx.store, {
      ...p, usedCpuMillis: p.usedCpuMillis - l.cpuMillis, usedMemoryMib: p.usedMemoryMib - l.memoryMib, usedDiskGib: p.usedDiskGib - l.diskGib,
      usedBandwidthMbps: p.usedBandwidthMbps - l.bandwidthMbps, openLeases: p.openLeases - 1n,
    });
    const closed: Lease = { ...l, balance: "0", refunded: (big(l.refunded) + refund).toString(), state: LeaseState.closed, closedHeight: ctx.height, closeReason: reason };
    this.#setLease(ctx.store, closed);
    emitClosed(ctx.events, closed, refund);
    return closed;
  }

  /** Settles the provider's rewards at the current index, then changes its ready rate (F1: rewards between changes). */
  #changeReadyRate(store: KVStore, owner: string, delta: bigint): void {
    const p = this.requireProvider(store, owner);
    this.#setProvider(store, { ...p, pendingRewards: this.owedRewards(store, p).toString(), rewardIndex: this.rewardIndex(store).toString(), readyRate: p.readyRate + delta });
    store.set(Prefix.readyRate, utf8((this.totalReadyRate(store) + delta).toString()));
  }

  /** Pays what is payable; what accrued beyond the take stays owed (pending) until more take is burned. */
  #payRewards(ctx: Ctx, owner: string): bigint {
    const p = this.requireProvider(ctx.store, owner);
    const owed = this.owedRewards(ctx.store, p);
    const pay = this.payableRewards(ctx.store, p);
    if (pay > 0n) this.#bank.sendCoinsFromModuleToAccount(ctx, RewardsAccount, owner, coins(pay));
    this.#setProvider(ctx.store, { ...p, pendingRewards: (owed - pay).toString(), rewardIndex: this.rewardIndex(ctx.store).toString(), rewardsPaid: (big(p.rewardsPaid) + pay).toString() });
    return pay;
  }
}

function describe(s: ProviderSpec): Pick<Provider, keyof ProviderSpec> {
  return {
    owner: s.owner, endpoint: s.endpoint, region: s.region, images: [...s.images], attributes: [...s.attributes],
    cpuMillis: s.cpuMillis, memoryMib: s.memoryMib, diskGib: s.diskGib, bandwidthMbps: s.bandwidthMbps,
    priceCpu: s.priceCpu, priceMemory: s.priceMemory, priceDisk: s.priceDisk, priceBandwidth: s.priceBandwidth,
  };
}
