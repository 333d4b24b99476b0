import type { Delegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

export interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** What distribution's rules need from a context: a store, events and the block height (slash events, starting info). */
export interface DistrCtx extends BankCtx {
  readonly height: bigint;
}

/** What distribution needs from bank: the fee collector's coins, moving coins out of module accounts. */
export interface BankKeeper {
  getAllBalances(store: KVReader, address: string): Coin[];
  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void;
  readonly moduleAccounts: { get(name: string): { readonly address: string }; isModuleAddress(address: string): boolean };
}

/** What distribution needs from staking (read-only): validators by operator or consensus address, delegations. */
export interface StakingKeeper {
  getValidator(store: KVReader, val: Uint8Array): Validator | undefined;
  validatorByConsAddr(store: KVReader, cons: Uint8Array): Uint8Array | undefined;
  getDelegation(store: KVReader, del: Uint8Array, val: Uint8Array): Delegation | undefined;
  delegationsOf(store: KVReader, del: Uint8Array): IterableIterator<[Uint8Array, Delegation]>;
  iterateAllDelegations(store: KVReader): IterableIterator<Delegation>;
  iterateValidators(store: KVReader): IterableIterator<[Uint8Array, Validator]>;
}
