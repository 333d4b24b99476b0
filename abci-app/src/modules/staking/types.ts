// x/staking's own types: its params and their bounds, the records a validator is created or edited from, the
// context the staking rules run in, and the exported state (genesis). Validators, delegations and unbonding entries
// are the SDK's records (cosmjs-types, cosmos.staking.v1beta1); the rules that change them live in the keeper files.
import type { Delegation, Description, Redelegation, UnbondingDelegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DENOM } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVStore } from "../../store/index.ts";

/** Staking parameters (the SDK's x/staking Params, with TrustNet's defaults). Genesis-only: no message changes them. */
export interface StakingParams {
  /** Unbonding period in milliseconds of block time. */
  readonly unbondingTimeMs: bigint;
  readonly maxValidators: number;
  /** Unbonding entries per (delegator, validator) pair, and redelegation entries per (delegator, src, dst). */
  readonly maxEntries: number;
  /** How many past heights' validator sets HistoricalInfo keeps (one write and one prune per block). */
  readonly historicalEntries: number;
  readonly bondDenom: string;
  readonly minCommissionRate: bigint;
}

export const DefaultParams: StakingParams = {
  unbondingTimeMs: 21n * 24n * 3600n * 1000n,
  maxValidators: 100,
  maxEntries: 7,
  historicalEntries: 100,
  bondDenom: DENOM,
  minCommissionRate: 0n,
};

/** The SDK's power reduction: one unit of consensus power per 10^6 bonded base units (1 TRUST). */
export const POWER_REDUCTION = 1_000_000n;
/**
 * CometBFT refuses a validator set whose total power exceeds MaxInt64/8 (~1.15e18). With at most
 * MAX_VALIDATORS_LIMIT validators of at most MAX_POWER each, the total stays below it; a delegation that would
 * take one validator past MAX_POWER is refused.
 */
export const MAX_POWER = 2n ** 50n;
export const MAX_VALIDATORS_LIMIT = 1000;

/** What the staking rules need from a context: the store, events, and the block's height and time. */
export interface StakingCtx {
  readonly store: KVStore;
  readonly events: EventSink;
  readonly height: bigint;
  readonly time: Date;
}

/** A validator's commission rates, validated (Decs, 18-place fixed point). */
export interface Rates {
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
}

/** What MsgCreateValidator (or a genesis validator) creates a validator from. */
export interface NewValidator {
  readonly val: Uint8Array;
  readonly consKey: Uint8Array;
  readonly description: Description;
  readonly rates: Rates;
  readonly minSelfDelegation: bigint;
  readonly selfDelegation: { readonly denom: string; readonly amount: bigint };
}

/** What MsgEditValidator changes; an undefined field keeps its value. */
export interface ValidatorEdit {
  readonly description: Description | undefined;
  readonly rate: bigint | undefined;
  readonly minSelfDelegation: bigint | undefined;
}

/** The exported state of the genesis section (`exported_state`): the SDK's GenesisState with exported = true. */
export interface StakingState {
  readonly validators: readonly Validator[];
  readonly delegations: readonly Delegation[];
  readonly unbondingDelegations: readonly UnbondingDelegation[];
  readonly redelegations: readonly Redelegation[];
  /** The set CometBFT has after the exported height (operator address → power). */
  readonly lastValidatorPowers: readonly { readonly address: string; readonly power: bigint }[];
}
