import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** What leasing needs of x/bank: escrow moves between accounts and its module accounts; the take and forfeits burn. */
export interface BankKeeper {
  getBalance(store: KVReader, address: string, denom: string): bigint;
  sendCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void;
  burnCoins(ctx: BankCtx, module: string, coins: readonly Coin[]): void;
}

/** What leasing needs of x/mint: the provision minted in the current block (0 before mint exists). */
export interface MintKeeper {
  blockProvision(store: KVReader): bigint;
}
