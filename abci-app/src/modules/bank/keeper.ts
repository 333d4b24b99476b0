import { type Coin, formatCoins } from "../../sdk/coins.ts";
import { addressBytes } from "../../sdk/address.ts";
import { ErrInsufficientFunds, ErrInvalidCoins, ErrInvalidRequest } from "../../sdk/errors.ts";
import type { EventSink } from "../../sdk/events.ts";
import { fromUtf8, startsWith, utf8 } from "../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import type { AccountKeeper } from "./expected-keepers.ts";
import type { BalanceEntry } from "./types.ts";
import { emitReceived, emitSpent, emitTransfer } from "./events.ts";
import { balanceKey, balancesPrefix, burnedKey, Prefix, supplyKey } from "./keys.ts";
import { ModuleAccounts } from "./module-accounts.ts";
import { ErrUnauthorized } from "../../sdk/errors.ts";

const decodeAmount = (v: Uint8Array | undefined): bigint => (v ? BigInt(fromUtf8(v)) : 0n);

/** Read-only bank state (house rule 4: ViewKeeper ⊂ Keeper). */
export class BankViewKeeper {
  getBalance(store: KVReader, address: string, denom: string): bigint {
    return decodeAmount(store.get(balanceKey(addressBytes(address), denom)));
  }

  /** All non-zero balances of an account, sorted by denom. */
  getAllBalances(store: KVReader, address: string): Coin[] {
    const prefix = balancesPrefix(addressBytes(address));
    const out: Coin[] = [];
    for (const [k, v] of store.iterate(prefix)) out.push({ denom: fromUtf8(k.subarray(prefix.length)), amount: decodeAmount(v) });
    return out;
  }

  getSupply(store: KVReader, denom: string): bigint {
    return decodeAmount(store.get(supplyKey(denom)));
  }

  /** How much of `denom` burnCoins destroyed since genesis. */
  getBurned(store: KVReader, denom: string): bigint {
    return decodeAmount(store.get(burnedKey(denom)));
  }

  getTotalSupply(store: KVReader): Coin[] {
    const out: Coin[] = [];
    for (const [k, v] of store.iterate(Prefix.supply)) out.push({ denom: fromUtf8(k.subarray(Prefix.supply.length)), amount: decodeAmount(v) });
    return out;
  }

  /** Every (address-key, denom, amount) balance entry, in key order; for invariants and export. */
  *iterateAllBalances(store: KVReader): IterableIterator<BalanceEntry> {
    for (const [, e] of this.balancesKeyed(store)) yield e;
  }

  /**
   * iterateAllBalances with each entry's store key (a query's pagination key), from `start` (inclusive) when given.
   * There is no denom index (it would change the state layout): a per-denom list filters this scan. A `start` that is
   * not a balance key (a page key from elsewhere, or garbage) is refused before anything is read.
   */
  *balancesKeyed(store: KVReader, start?: Uint8Array): IterableIterator<[Uint8Array, BalanceEntry]> {
    if (start && !startsWith(start, Prefix.balance)) throw ErrInvalidRequest.wrap("pagination key is not a balance key: give the next_key of the previous page");
    for (const [k, v] of store.iterate(Prefix.balance, start ? { start } : {})) {
      const len = k[Prefix.balance.length] ?? 0;
      const s = Prefix.balance.length + 1;
      yield [k, { addr: k.subarray(s, s + len), denom: fromUtf8(k.subarray(s + len)), amount: decodeAmount(v) }];
    }
  }
}

export interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** The bank keeper: the only code that writes balances and supply. */
export class BankKeeper extends BankViewKeeper {
  readonly #accounts: AccountKeeper;
  readonly moduleAccounts: ModuleAccounts;

  constructor(accounts: AccountKeeper, moduleAccounts: ModuleAccounts = new ModuleAccounts()) {
    super();
    this.#accounts = accounts;
    this.moduleAccounts = moduleAccounts;
  }

  /** User messages may not send to module accounts (the SDK's blocked addresses): their balances are bookkeeping. */
  assertNotModuleAccount(address: string): void {
    if (this.moduleAccounts.isModuleAddress(address)) throw ErrUnauthorized.wrap(`${address} is a module account and is not allowed to receive funds`);
  }

  sendCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void {
    this.sendCoins(ctx, from, this.moduleAccounts.get(module).address, coins);
  }

  sendCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void {
    this.sendCoins(ctx, this.moduleAccounts.get(module).address, to, coins);
  }

  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void {
    this.sendCoins(ctx, this.moduleAccounts.get(from).address, this.moduleAccounts.get(to).address, coins);
  }

  /** Delegation escrow: only into a module account with the staking permission. */
  delegateCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void {
    this.sendCoins(ctx, from, this.moduleAccounts.require(module, "staking").address, coins);
  }

  undelegateCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void {
    this.sendCoins(ctx, this.moduleAccounts.require(module, "staking").address, to, coins);
  }

  /** Destroys coins held by a burner module account: balance and supply move together. */
  burnCoins(ctx: BankCtx, module: string, coins: readonly Coin[]): void {
    const acc = this.moduleAccounts.require(module, "burner");
    this.subtractCoins(ctx, acc.address, coins);
    for (const c of coins) {
      ctx.store.set(supplyKey(c.denom), utf8((this.getSupply(ctx.store, c.denom) - c.amount).toString()));
      ctx.store.set(burnedKey(c.denom), utf8((this.getBurned(ctx.store, c.denom) + c.amount).toString()));
    }
    ctx.events.emit("burn", { burner: acc.address, amount: formatCoins(coins) });
  }

  /** Creates coins into a minter module account (block provisions). */
  mintCoinsToModule(ctx: BankCtx, module: string, coins: readonly Coin[]): void {
    this.mintCoins(ctx, this.moduleAccounts.require(module, "minter").address, coins);
  }

  #setBalance(store: KVStore, address: string, denom: string, amount: bigint): void {
    const key = balanceKey(addressBytes(address), denom);
    if (amount === 0n) store.delete(key);
    else store.set(key, utf8(amount.toString()));
  }

  subtractCoins(ctx: BankCtx, address: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      if (this.getSupply(ctx.store, c.denom) === 0n) throw ErrInvalidCoins.wrap(`unknown denom ${c.denom}`);
      const have = this.getBalance(ctx.store, address, c.denom);
      if (have < c.amount) throw ErrInsufficientFunds.wrap(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      this.#setBalance(ctx.store, address, c.denom, have - c.amount);
    }
    emitSpent(ctx.events, address, coins);
  }

  addCoins(ctx: BankCtx, address: string, coins: readonly Coin[]): void {
    this.#accounts.ensureAccount(ctx.store, address);
    for (const c of coins) this.#setBalance(ctx.store, address, c.denom, this.getBalance(ctx.store, address, c.denom) + c.amount);
    emitReceived(ctx.events, address, coins);
  }

  sendCoins(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void {
    this.subtractCoins(ctx, from, coins);
    this.addCoins(ctx, to, coins);
    emitTransfer(ctx.events, from, to, coins);
    ctx.events.emit("message", { sender: from });
  }

  /** Creates coins (genesis, rewards): balance and supply move together, so the supply invariant holds. */
  mintCoins(ctx: BankCtx, to: string, coins: readonly Coin[]): void {
    for (const c of coins) ctx.store.set(supplyKey(c.denom), utf8((this.getSupply(ctx.store, c.denom) + c.amount).toString()));
    this.addCoins(ctx, to, coins);
    ctx.events.emit("coinbase", { minter: to, amount: formatCoins(coins) });
  }
}
