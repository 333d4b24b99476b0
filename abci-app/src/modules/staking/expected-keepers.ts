import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

export interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** What staking needs from bank: escrow into and out of its two pools, and balances for invariants. */
export interface BankKeeper {
  getBalance(store: KVReader, address: string, denom: string): bigint;
  delegateCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void;
  undelegateCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void;
  readonly moduleAccounts: { get(name: string): { readonly address: string } };
}
