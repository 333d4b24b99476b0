import { addressBytes, bech32Address, moduleAddress } from "../../sdk/address.ts";
import { type Coin, DENOM } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";
import { ErrInsufficientFunds } from "../../sdk/errors.ts";
import { fromUtf8, utf8 } from "../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import type { RegistryBankKeeper } from "./expected-keepers.ts";
import { ErrAlreadyDone, ErrNamespaceNotFound, ErrNamespaceTaken, ErrNotAuthorized, ErrNotMember, ErrNotOperator, ErrNotOwner, ErrTooMany } from "./errors.ts";
import {
  authorizedKey, authorizedPrefix, byOwnerKey, depositKey, ModuleName, byOwnerPrefix, historyCountKey, historyKey, historyPrefix, memberKey, memberPrefix, namespaceKey,
  operatorKey, ownerLogKey, ownerLogPrefix, Prefix, readU64be, repoKey, repoPrefix, rightsLogKey, rightsLogPrefix, type RightKind, tagKey, tagPrefix, u64be,
} from "./keys.ts";
import { decodeParams, DefaultParams, encodeParams, type RegistryParams } from "./params.ts";
import { type NamespaceInfo, type RegistryInfo, TagRecord, type WireCoin } from "./types.ts";

const ONE = Uint8Array.of(1);
/** A length-prefixed key part at `at`, and where the rest starts. */
const lpPart = (b: Uint8Array, at: number): [Uint8Array, number] => {
  const n = b[at] ?? 0;
  return [b.subarray(at + 1, at + 1 + n), at + 1 + n];
};
const ZERO = Uint8Array.of(0);
/** Registries one namespace may authorise, and members it may list (bounds every per-namespace loop). */
export const MAX_AUTHORIZED_REGISTRIES = 16;
export const MAX_MEMBERS = 64;

/** Who held which right over a namespace at the end of a block (for `registry verify`). */
/** One entry of the owner log: the owner of `namespace` as of the end of block `height` ("" released). */
export interface OwnerLogEntry { readonly namespace: string; readonly height: bigint; readonly owner: string }
/** One entry of the rights log: whether `address` held the right `kind` over `namespace` as of the end of `height`. */
export interface RightsLogEntry { readonly namespace: string; readonly kind: RightKind; readonly address: string; readonly height: bigint; readonly held: boolean }
/** A tag that has a history (its counter key), named by its namespace, repository and tag. */
export interface TagName { readonly namespace: string; readonly repo: string; readonly tag: string }

export interface RightsAt {
  readonly owner: string;
  readonly operatorAuthorized: boolean;
  readonly pusherIsOwner: boolean;
  readonly pusherIsMember: boolean;
}

/** A held deposit as the namespace records show it: coins, empty when none (x/gov's Deposit.amount). */
export const depositCoins = (amount: bigint): WireCoin[] => (amount === 0n ? [] : [{ denom: DENOM, amount: amount.toString() }]);

/** Read-only registry state. */
export class RegistryViewKeeper {
  /** The params InitChain stored (the defaults in a store written before they existed: never a chain's, only a test's). */
  params(store: KVReader): RegistryParams {
    const v = store.get(Prefix.params);
    return v ? decodeParams(v) : DefaultParams;
  }

  /** The registry module account, which holds every namespace's deposit. */
  escrowAddress(): string {
    return moduleAddress(ModuleName);
  }

  ownerOf(store: KVReader, ns: string): string | undefined {
    const v = store.get(namespaceKey(ns));
    return v ? fromUtf8(v) : undefined;
  }

  /** The utrust the claim of `ns` locked (0: none, or not claimed); what its release refunds. */
  depositOf(store: KVReader, ns: string): bigint {
    const v = store.get(depositKey(ns));
    return v ? BigInt(fromUtf8(v)) : 0n;
  }

  /** A namespace's record as queries answer it: owner and held deposit. */
  namespaceInfo(store: KVReader, ns: string): NamespaceInfo | undefined {
    const owner = this.ownerOf(store, ns);
    return owner === undefined ? undefined : { namespace: ns, owner, deposit: depositCoins(this.depositOf(store, ns)) };
  }

  // The lists below yield [store key, item] in key order from `start` (a key a previous page answered as its
  // next key; the store keeps the scan inside the prefix whatever it is), for the paginated queries.

  /** The namespaces of `owner`, by name; every namespace when `owner` is undefined. */
  *namespaceEntries(store: KVReader, owner?: string, start?: Uint8Array): IterableIterator<readonly [Uint8Array, NamespaceInfo]> {
    if (owner === undefined) {
      for (const [k, v] of store.iterate(Prefix.namespace, { start })) {
        const namespace = fromUtf8(k.subarray(Prefix.namespace.length));
        yield [k, { namespace, owner: fromUtf8(v), deposit: depositCoins(this.depositOf(store, namespace)) }];
      }
      return;
    }
    const prefix = byOwnerPrefix(addressBytes(owner));
    for (const [k] of store.iterate(prefix, { start })) {
      const namespace = fromUtf8(k.subarray(prefix.length));
      yield [k, { namespace, owner, deposit: depositCoins(this.depositOf(store, namespace)) }];
    }
  }

  allNamespaces(store: KVReader): NamespaceInfo[] {
    return [...this.namespaceEntries(store)].map(([, n]) => n);
  }

  endpointOf(store: KVReader, operator: string): string | undefined {
    const v = store.get(operatorKey(addressBytes(operator)));
    return v ? fromUtf8(v) : undefined;
  }

  *registryEntries(store: KVReader, start?: Uint8Array): IterableIterator<readonly [Uint8Array, RegistryInfo]> {
    for (const [k, v] of store.iterate(Prefix.operator, { start })) yield [k, { operator: bech32Address(k.subarray(Prefix.operator.length)), endpoint: fromUtf8(v) }];
  }

  registries(store: KVReader): RegistryInfo[] {
    return [...this.registryEntries(store)].map(([, r]) => r);
  }

  isAuthorized(store: KVReader, ns: string, operator: string): boolean {
    return store.get(authorizedKey(ns, addressBytes(operator))) !== undefined;
  }

  isMember(store: KVReader, ns: string, who: string): boolean {
    return store.get(memberKey(ns, addressBytes(who))) !== undefined;
  }

  /** Operators the owner of `ns` has authorised, sorted by raw address. */
  authorized(store: KVReader, ns: string): string[] {
    const prefix = authorizedPrefix(ns);
    return [...store.iterate(prefix)].map(([k]) => bech32Address(k.subarray(prefix.length)));
  }

  members(store: KVReader, ns: string): string[] {
    const prefix = memberPrefix(ns);
    return [...store.iterate(prefix)].map(([k]) => bech32Address(k.subarray(prefix.length)));
  }

  /** The rights as of the end of block `height`, from the rights log (one reverse seek per answer: O(log n)). */
  rightsAt(store: KVReader, ns: string, operator: string, pusher: string, height: bigint): RightsAt {
    const owner = this.ownerAt(store, ns, height);
    return {
      owner, operatorAuthorized: this.rightHeldAt(store, ns, "o", operator, height),
      pusherIsOwner: owner !== "" && owner === pusher, pusherIsMember: pusher !== "" && this.rightHeldAt(store, ns, "m", pusher, height),
    };
  }

  /** The owner of `ns` as of the end of block `height` in the owner log ("" when unclaimed then). */
  ownerAt(store: KVReader, ns: string, height: bigint): string {
    const v = store.iterate(ownerLogPrefix(ns), { reverse: true, start: ownerLogKey(ns, height) }).next().value?.[1];
    return v ? fromUtf8(v) : "";
  }

  /** Whether the rights log says `addr` held the right `kind` ("o" authorised registry, "m" member) at the end of `height`. */
  rightHeldAt(store: KVReader, ns: string, kind: RightKind, addr: string, height: bigint): boolean {
    const raw = addressBytes(addr);
    return store.iterate(rightsLogPrefix(ns, kind, raw), { reverse: true, start: rightsLogKey(ns, kind, raw, height) }).next().value?.[1]?.[0] === 1;
  }

  // Whole-state walks, for the invariants only (never in a message, a block hook or a query).

  /** Every held deposit, by namespace. */
  *depositEntries(store: KVReader): IterableIterator<{ namespace: string; amount: bigint }> {
    for (const [k, v] of store.iterate(Prefix.deposit)) yield { namespace: fromUtf8(k.subarray(Prefix.deposit.length)), amount: BigInt(fromUtf8(v)) };
  }

  /** The owner index: every (owner, namespace) pair it lists. */
  *ownerIndex(store: KVReader): IterableIterator<{ namespace: string; owner: string }> {
    for (const [k] of store.iterate(Prefix.byOwner)) {
      const rest = k.subarray(Prefix.byOwner.length);
      const n = rest[0] ?? 0;
      yield { owner: bech32Address(rest.subarray(1, 1 + n)), namespace: fromUtf8(rest.subarray(1 + n)) };
    }
  }

  /** Every authorised-registry ("o") and member ("m") entry, with its namespace. */
  *rightEntries(store: KVReader): IterableIterator<{ kind: RightKind; namespace: string; address: string }> {
    for (const [kind, prefix] of [["o", Prefix.authorized], ["m", Prefix.member]] as const) {
      for (const [k] of store.iterate(prefix)) {
        const rest = k.subarray(prefix.length);
        const n = rest[0] ?? 0;
        yield { kind, namespace: fromUtf8(rest.subarray(1, 1 + n)), address: bech32Address(rest.subarray(1 + n)) };
      }
    }
  }

  /** Every current tag record, with the namespace, repo and tag its key names. */
  *allTags(store: KVReader): IterableIterator<{ namespace: string; repo: string; tag: string; record: TagRecord }> {
    for (const [k, v] of store.iterate(Prefix.tag)) {
      const rest = k.subarray(Prefix.tag.length);
      const n = rest[0] ?? 0;
      const m = rest[1 + n] ?? 0;
      yield { namespace: fromUtf8(rest.subarray(1, 1 + n)), repo: fromUtf8(rest.subarray(2 + n, 2 + n + m)), tag: fromUtf8(rest.subarray(2 + n + m)), record: TagRecord.decode(v) };
    }
  }

  /** The number of recorded versions of a tag (its counter key) and the last of them. */
  lastVersion(store: KVReader, ns: string, repo: string, tag: string): { count: bigint; last: TagRecord | undefined } {
    const c = store.get(historyCountKey(ns, repo, tag));
    const count = c ? readU64be(c) : 0n;
    const v = count > 0n ? store.get(historyKey(ns, repo, tag, count - 1n)) : undefined;
    return { count, last: v ? TagRecord.decode(v) : undefined };
  }

  // Whole-state walks in key order, for the genesis export only.

  /** Every owner log entry, by namespace key then height. */
  *ownerLogEntries(store: KVReader): IterableIterator<OwnerLogEntry> {
    for (const [k, v] of store.iterate(Prefix.ownerLog)) {
      const [ns, at] = lpPart(k, Prefix.ownerLog.length);
      yield { namespace: fromUtf8(ns), height: readU64be(k.subarray(at)), owner: fromUtf8(v) };
    }
  }

  /** Every rights log entry, by namespace key, kind, address key then height. */
  *rightsLogEntries(store: KVReader): IterableIterator<RightsLogEntry> {
    for (const [k, v] of store.iterate(Prefix.rightsLog)) {
      const [ns, at] = lpPart(k, Prefix.rightsLog.length);
      const kind = fromUtf8(k.subarray(at, at + 1)) as RightKind;
      const [addr, rest] = lpPart(k, at + 1);
      yield { namespace: fromUtf8(ns), kind, address: bech32Address(addr), height: readU64be(k.subarray(rest)), held: v[0] === 1 };
    }
  }

  /** Every tag that has a history (one counter key each), in the order of their history keys. */
  *taggedNames(store: KVReader): IterableIterator<TagName> {
    for (const [k] of store.iterate(Prefix.historyCount)) {
      const [ns, a] = lpPart(k, Prefix.historyCount.length);
      const [repo, b] = lpPart(k, a);
      const [tag] = lpPart(k, b);
      yield { namespace: fromUtf8(ns), repo: fromUtf8(repo), tag: fromUtf8(tag) };
    }
  }

  hasRepo(store: KVReader, ns: string, repo: string): boolean {
    return store.get(repoKey(ns, repo)) !== undefined;
  }

  *repoEntries(store: KVReader, ns: string, start?: Uint8Array): IterableIterator<readonly [Uint8Array, string]> {
    const prefix = repoPrefix(ns);
    for (const [k] of store.iterate(prefix, { start })) yield [k, fromUtf8(k.subarray(prefix.length))];
  }

  /** A repository's current tags, by name. */
  *tagEntries(store: KVReader, ns: string, repo: string, start?: Uint8Array): IterableIterator<readonly [Uint8Array, TagRecord]> {
    for (const [k, v] of store.iterate(tagPrefix(ns, repo), { start })) yield [k, TagRecord.decode(v)];
  }

  tag(store: KVReader, ns: string, repo: string, tag: string): TagRecord | undefined {
    const v = store.get(tagKey(ns, repo, tag));
    return v ? TagRecord.decode(v) : undefined;
  }

  /** Every recorded version of a tag, oldest first (deletions have an empty digest). */
  *historyEntries(store: KVReader, ns: string, repo: string, tag: string, start?: Uint8Array): IterableIterator<readonly [Uint8Array, TagRecord]> {
    for (const [k, v] of store.iterate(historyPrefix(ns, repo, tag), { start })) yield [k, TagRecord.decode(v)];
  }
}

/** A keeper built without bank (specs of the record-keeping alone) refuses to move a deposit: a wiring bug. */
const NO_BANK: RegistryBankKeeper = {
  getBalance: () => 0n,
  sendCoinsFromAccountToModule: () => {
    throw new Error("the registry keeper was built without a bank keeper (app/modules.ts wires one)");
  },
  sendCoinsFromModuleToAccount: () => {
    throw new Error("the registry keeper was built without a bank keeper (app/modules.ts wires one)");
  },
  assertNotModuleAccount: () => undefined, // without bank there are no module accounts
};

/** The registry keeper: the only code that writes the registry module's state. */
export class RegistryKeeper extends RegistryViewKeeper {
  readonly #bank: RegistryBankKeeper;

  constructor(bank: RegistryBankKeeper = NO_BANK) {
    super();
    this.#bank = bank;
  }

  setParams(store: KVStore, p: RegistryParams): void {
    store.set(Prefix.params, encodeParams(p));
  }

  /**
   * Writes a claim's records: the owner, the owner index and log and, when it holds one, the deposit (utrust). A
   * namespace holding no deposit has no deposit key: its records are the bytes they were before deposits existed.
   */
  claim(store: KVStore, ns: string, owner: string, height: bigint, deposit = 0n): void {
    const current = this.ownerOf(store, ns);
    if (current !== undefined) throw ErrNamespaceTaken.wrap(`namespace ${ns} is owned by ${current}`);
    store.set(namespaceKey(ns), utf8(owner));
    store.set(byOwnerKey(addressBytes(owner), ns), ONE);
    store.set(ownerLogKey(ns, height), utf8(owner));
    this.#setDeposit(store, ns, deposit);
  }

  /**
   * MsgClaimNamespace: locks the `namespace_deposit` param's coin from the claimer in the registry module account
   * and records the namespace holding it (a later change of the param does not change what its release refunds).
   * A taken namespace or a claimer who cannot pay changes nothing.
   */
  claimNamespace(ctx: Ctx, ns: string, owner: string): Coin {
    const current = this.ownerOf(ctx.store, ns);
    if (current !== undefined) throw ErrNamespaceTaken.wrap(`namespace ${ns} is owned by ${current}`);
    const deposit = this.params(ctx.store).namespaceDeposit;
    if (deposit.amount > 0n) {
      const have = this.#bank.getBalance(ctx.store, owner, deposit.denom);
      if (have < deposit.amount) {
        throw ErrInsufficientFunds.wrap(`claiming ${ns} locks a deposit of ${deposit.amount}${deposit.denom} (refunded on release), but ${owner} holds ${have}${deposit.denom} after the fee`);
      }
      this.#bank.sendCoinsFromAccountToModule(ctx, owner, ModuleName, [deposit]);
    }
    this.claim(ctx.store, ns, owner, ctx.height, deposit.amount);
    return deposit;
  }

  /**
   * MsgTransferNamespace: the owner gives the namespace, and the deposit it holds, to another account. Not to
   * itself (that would only clear its authorisations and members) and not to a module account, for which no one can
   * sign a release: the name and its deposit would be locked for ever.
   */
  transferNamespace(ctx: Ctx, ns: string, from: string, to: string): void {
    this.requireOwner(ctx.store, ns, from);
    if (to === from) throw ErrAlreadyDone.wrap(`${from} already owns namespace ${ns}`);
    this.#bank.assertNotModuleAccount(to);
    this.transfer(ctx.store, ns, from, to, ctx.height);
  }

  /** MsgReleaseNamespace: the owner gives the namespace up and gets back the deposit it holds. */
  releaseNamespace(ctx: Ctx, ns: string, owner: string): Coin {
    const held = this.release(ctx.store, ns, owner, ctx.height);
    const refund = { denom: DENOM, amount: held };
    if (held > 0n) this.#bank.sendCoinsFromModuleToAccount(ctx, ModuleName, owner, [refund]);
    return refund;
  }

  #setDeposit(store: KVStore, ns: string, amount: bigint): void {
    if (amount === 0n) store.delete(depositKey(ns));
    else store.set(depositKey(ns), utf8(amount.toString()));
  }

  requireNamespace(store: KVReader, ns: string): void {
    if (this.ownerOf(store, ns) === undefined) throw ErrNamespaceNotFound.wrap(`namespace ${ns} is not claimed`);
  }

  requireOwner(store: KVReader, ns: string, who: string): void {
    const owner = this.ownerOf(store, ns);
    if (owner === undefined) throw ErrNamespaceNotFound.wrap(`namespace ${ns} is not claimed`);
    if (owner !== who) throw ErrNotOwner.wrap(`${who} does not own namespace ${ns} (owner: ${owner})`);
  }

  /**
   * A new owner starts with no authorised registry and no member: the previous owner's choices do not carry over.
   * The deposit stays with the namespace: whoever releases it gets it back.
   */
  transfer(store: KVStore, ns: string, from: string, to: string, height: bigint): void {
    this.requireOwner(store, ns, from);
    this.#clearRights(store, ns, height);
    store.delete(byOwnerKey(addressBytes(from), ns));
    store.set(namespaceKey(ns), utf8(to));
    store.set(byOwnerKey(addressBytes(to), ns), ONE);
    store.set(ownerLogKey(ns, height), utf8(to));
  }

  /** Deletes the namespace's records; answers the deposit it held (releaseNamespace refunds it). */
  release(store: KVStore, ns: string, owner: string, height: bigint): bigint {
    this.requireOwner(store, ns, owner);
    const held = this.depositOf(store, ns);
    this.#clearRights(store, ns, height);
    store.delete(namespaceKey(ns));
    store.delete(byOwnerKey(addressBytes(owner), ns));
    store.set(ownerLogKey(ns, height), new Uint8Array());
    this.#setDeposit(store, ns, 0n);
    return held;
  }

  #clearRights(store: KVStore, ns: string, height: bigint): void {
    for (const op of this.authorized(store, ns)) this.#setRight(store, ns, "o", op, false, height);
    for (const m of this.members(store, ns)) this.#setRight(store, ns, "m", m, false, height);
  }

  #setRight(store: KVStore, ns: string, kind: RightKind, addr: string, on: boolean, height: bigint): void {
    const raw = addressBytes(addr);
    const key = kind === "o" ? authorizedKey(ns, raw) : memberKey(ns, raw);
    if (on) store.set(key, ONE);
    else store.delete(key);
    store.set(rightsLogKey(ns, kind, raw, height), on ? ONE : ZERO);
  }

  // Genesis import of an exported state: the keys as they were, the logs given verbatim (not written at the
  // genesis height as claim/authorize/addMember would). Only initGenesis calls these, after validating the section.

  restoreNamespace(store: KVStore, ns: string, owner: string, deposit: bigint): void {
    store.set(namespaceKey(ns), utf8(owner));
    store.set(byOwnerKey(addressBytes(owner), ns), ONE);
    this.#setDeposit(store, ns, deposit);
  }

  restoreRight(store: KVStore, ns: string, kind: RightKind, addr: string): void {
    const raw = addressBytes(addr);
    store.set(kind === "o" ? authorizedKey(ns, raw) : memberKey(ns, raw), ONE);
  }

  restoreOwnerLog(store: KVStore, e: OwnerLogEntry): void {
    store.set(ownerLogKey(e.namespace, e.height), utf8(e.owner));
  }

  restoreRightsLog(store: KVStore, e: RightsLogEntry): void {
    store.set(rightsLogKey(e.namespace, e.kind, addressBytes(e.address), e.height), e.held ? ONE : ZERO);
  }

  registerOperator(store: KVStore, operator: string, endpoint: string): void {
    store.set(operatorKey(addressBytes(operator)), utf8(endpoint));
  }

  requireOperator(store: KVReader, operator: string): void {
    if (this.endpointOf(store, operator) === undefined) throw ErrNotOperator.wrap(`${operator} has not registered a registry (MsgRegisterRegistry)`);
  }

  /** Owner only: lets the registry run by `operator` record and delete tags in `ns`. */
  authorize(store: KVStore, ns: string, owner: string, operator: string, height: bigint): void {
    this.requireOwner(store, ns, owner);
    this.requireOperator(store, operator);
    if (this.isAuthorized(store, ns, operator)) throw ErrAlreadyDone.wrap(`registry ${operator} is already authorised for ${ns}`);
    if (this.#count(store, authorizedPrefix(ns), MAX_AUTHORIZED_REGISTRIES) >= MAX_AUTHORIZED_REGISTRIES) {
      throw ErrTooMany.wrap(`namespace ${ns} already authorises ${MAX_AUTHORIZED_REGISTRIES} registries; revoke one first`);
    }
    this.#setRight(store, ns, "o", operator, true, height);
  }

  revoke(store: KVStore, ns: string, owner: string, operator: string, height: bigint): void {
    this.requireOwner(store, ns, owner);
    if (!this.isAuthorized(store, ns, operator)) throw ErrNotAuthorized.wrap(`registry ${operator} is not authorised for ${ns}`);
    this.#setRight(store, ns, "o", operator, false, height);
  }

  addMember(store: KVStore, ns: string, owner: string, member: string, height: bigint): void {
    this.requireOwner(store, ns, owner);
    if (member === owner) throw ErrAlreadyDone.wrap(`${member} owns ${ns}; an owner needs no membership`);
    if (this.isMember(store, ns, member)) throw ErrAlreadyDone.wrap(`${member} is already a member of ${ns}`);
    if (this.#count(store, memberPrefix(ns), MAX_MEMBERS) >= MAX_MEMBERS) throw ErrTooMany.wrap(`namespace ${ns} already has ${MAX_MEMBERS} members; remove one first`);
    this.#setRight(store, ns, "m", member, true, height);
  }

  removeMember(store: KVStore, ns: string, owner: string, member: string, height: bigint): void {
    this.requireOwner(store, ns, owner);
    if (!this.isMember(store, ns, member)) throw ErrNotMember.wrap(`${member} is not a member of ${ns}`);
    this.#setRight(store, ns, "m", member, false, height);
  }

  /** Counts keys under `prefix`, stopping at `cap` (so the cost is bounded by the cap, not the store). */
  #count(store: KVReader, prefix: Uint8Array, cap: number): number {
    let n = 0;
    for (const _ of store.iterate(prefix)) if (++n >= cap) break;
    return n;
  }

  /** MsgRecordTag/MsgDeleteTag: the operator must be registered and authorised by the namespace's current owner. */
  requireAuthorizedOperator(store: KVReader, ns: string, operator: string): void {
    this.requireOperator(store, operator);
    this.requireNamespace(store, ns);
    if (!this.isAuthorized(store, ns, operator)) {
      throw ErrNotAuthorized.wrap(`registry ${operator} is not authorised by the owner of ${ns} (the owner runs: trustnet registry authorize ${operator} --namespace ${ns})`);
    }
  }

  /** The pusher of a recorded tag must be the namespace's owner or one of its members. */
  requirePusher(store: KVReader, ns: string, pusher: string): void {
    if (this.ownerOf(store, ns) === pusher || this.isMember(store, ns, pusher)) return;
    throw ErrNotMember.wrap(`${pusher} is neither the owner nor a member of namespace ${ns}`);
  }

  /**
   * Records a tag's new digest (or its deletion when `rec.digest` is empty) and appends it to the tag's history.
   * The history's length is kept in its own key, so a record costs a few point reads/writes, whatever the history.
   */
  record(store: KVStore, rec: TagRecord): void {
    const countKey = historyCountKey(rec.namespace, rec.repo, rec.tag);
    const c = store.get(countKey);
    const n = c ? readU64be(c) : 0n;
    const bytes = TagRecord.encode(rec).finish();
    store.set(historyKey(rec.namespace, rec.repo, rec.tag, n), bytes);
    store.set(countKey, u64be(n + 1n));
    if (rec.digest === "") store.delete(tagKey(rec.namespace, rec.repo, rec.tag));
    else {
      store.set(tagKey(rec.namespace, rec.repo, rec.tag), bytes);
      store.set(repoKey(rec.namespace, rec.repo), ONE);
    }
  }
}
