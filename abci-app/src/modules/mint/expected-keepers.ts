import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

export interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** What mint needs from bank: supply, burned totals, minting into its module account and moving to the fee collector. */
export interface BankKeeper {
  getSupply(store: KVReader, denom: string): bigint;
  getBurned(store: KVReader, denom: string): bigint;
  mintCoinsToModule(ctx: BankCtx, module: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void;
}

/** What mint needs from staking: the bonded tokens, for the bonded ratio. */
export interface StakingKeeper {
  totalBondedTokens(store: KVReader): bigint;
}
