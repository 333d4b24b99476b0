import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

export interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

/** A hook that needs the block (slashing's signing window starts at the bonding height) gets its height and time. */
export interface HookCtx extends BankCtx {
  readonly height: bigint;
  readonly time: Date;
}

/** What staking needs from bank: escrow into and out of its two pools, and balances for invariants. */
export interface BankKeeper {
  getBalance(store: KVReader, address: string, denom: string): bigint;
  delegateCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void;
  undelegateCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToModule(ctx: BankCtx, from: string, to: string, coins: readonly Coin[]): void;
  /** Slashing burns from the pools (they hold the burner permission). */
  burnCoins(ctx: BankCtx, module: string, coins: readonly Coin[]): void;
  readonly moduleAccounts: { get(name: string): { readonly address: string } };
}

/** The context a hook runs in: the caller's branch, its events and the block height. */
export interface HookCtx extends BankCtx {
  readonly height: bigint;
}

/**
 * The staking hooks other modules register (x/staking's StakingHooks): distribution keeps F1 reward periods with
 * them, slashing keeps signing info. Every method is optional; addresses are raw bytes (operator = valoper bytes,
 * delegator = account bytes, consensus = the 20-byte consensus address). Decimals are 18-place fixed point (dec.ts).
 * Hooks run inside the caller's branch: a throw fails the message (or halts the block in a blocker).
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: HookCtx, val: Uint8Array): void;
  afterValidatorBonded?(ctx: HookCtx, cons: Uint8Array, val: Uint8Array): void;
  afterValidatorBeginUnbonding?(ctx: HookCtx, cons: Uint8Array, val: Uint8Array): void;
  afterValidatorRemoved?(ctx: HookCtx, cons: Uint8Array, val: Uint8Array): void;
  beforeDelegationCreated?(ctx: HookCtx, del: Uint8Array, val: Uint8Array): void;
  beforeDelegationSharesModified?(ctx: HookCtx, del: Uint8Array, val: Uint8Array): void;
  beforeDelegationRemoved?(ctx: HookCtx, del: Uint8Array, val: Uint8Array): void;
  afterDelegationModified?(ctx: HookCtx, del: Uint8Array, val: Uint8Array): void;
  /** `fraction` is the slash fraction as an 18-place decimal (DEC_ONE = 100%). */
  beforeValidatorSlashed?(ctx: HookCtx, val: Uint8Array, fraction: bigint): void;
}
