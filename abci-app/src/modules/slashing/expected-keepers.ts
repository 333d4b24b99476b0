import type { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

/** The block context slashing hands to staking: store, events, and the block's height and time. */
export interface SlashCtx {
  readonly store: KVStore;
  readonly events: EventSink;
  readonly height: bigint;
  readonly time: Date;
}

/** What slashing needs of x/staking (the SDK's expected StakingKeeper). Operators are valoper bytes; `cons` the 20-byte consensus address. */
export interface StakingKeeper {
  validatorByConsAddr(store: KVReader, cons: Uint8Array): Uint8Array | undefined;
  getValidator(store: KVReader, val: Uint8Array): Validator | undefined;
  consAddress(v: Validator): Uint8Array;
  /** The operator's self-delegation in tokens, undefined without one. */
  selfDelegationTokens(store: KVReader, val: Uint8Array): bigint | undefined;
  /** Burns `fraction` (18-place decimal) of `power` x 10^6 from the validator and what left it after `infractionHeight`. */
  slash(ctx: SlashCtx, cons: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint;
  jail(ctx: SlashCtx, cons: Uint8Array): void;
  unjail(ctx: SlashCtx, cons: Uint8Array): void;
  valoperBytes(address: string): Uint8Array;
  operatorAccount(val: Uint8Array): string;
}

/** CometBFT's evidence parameters, as the chain's consensus params hold them (the app keeps them from InitChain). */
export interface EvidenceParams {
  readonly maxAgeNumBlocks: bigint;
  readonly maxAgeDurationMs: bigint;
}

export interface ConsensusParamsKeeper {
  evidenceParams(store: KVReader): EvidenceParams;
}
