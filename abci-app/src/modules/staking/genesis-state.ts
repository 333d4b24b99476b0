// x/staking's exported state (the SDK's staking GenesisState with exported = true): validators, delegations,
// unbonding and redelegation entries and the validator set CometBFT has, written as they are. Importing it moves no
// coins (bank's genesis already holds the pools' balances) and rebuilds the indexes and maturity queues.
import { BondStatus, Delegation, Redelegation, UnbondingDelegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addressBytes } from "../../sdk/address.ts";
import type { Ctx, QueryCtx } from "../../sdk/context.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject } from "../../sdk/genesis-json.ts";
import { valoperAddress, valoperBytes } from "./addresses.ts";
import { consKeyOf, type StakingKeeper, tsToMs } from "./keeper.ts";
import { redelegationQueueKey, unbondingQueueKey, validatorQueueKey } from "./keys.ts";

export interface StakingState {
  readonly validators: readonly Validator[];
  readonly delegations: readonly Delegation[];
  readonly unbondingDelegations: readonly UnbondingDelegation[];
  readonly redelegations: readonly Redelegation[];
  /** The set CometBFT has after the exported height (operator address → power). */
  readonly lastValidatorPowers: readonly { readonly address: string; readonly power: bigint }[];
}

export function exportStakingState(k: StakingKeeper, ctx: QueryCtx): StakingState {
  return {
    validators: [...k.iterateValidators(ctx.store)].map(([, v]) => v),
    delegations: [...k.iterateAllDelegations(ctx.store)],
    unbondingDelegations: [...k.iterateAllUnbondings(ctx.store)],
    redelegations: [...k.iterateAllRedelegations(ctx.store)],
    lastValidatorPowers: [...k.lastPowers(ctx.store)].map(([val, power]) => ({ address: valoperAddress(val), power })),
  };
}

/** Writes the exported state; answers the validator set it records (InitChain's validators). */
export function importStakingState(k: StakingKeeper, ctx: Ctx, s: StakingState): ValidatorUpdate[] {
  const keys = new Map<string, Uint8Array>();
  for (const v of s.validators) {
    const val = valoperBytes(v.operatorAddress);
    k.setValidator(ctx.store, val, v, undefined);
    keys.set(v.operatorAddress, consKeyOf(v));
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) k.setQueueKey(ctx.store, validatorQueueKey(tsToMs(v.unbondingTime), val));
  }
  for (const _ of k.takeChanged(ctx.store)) { /* the imported set is the one CometBFT has: nothing changed */ }
  for (const d of s.delegations) k.setDelegation(ctx.store, d);
  for (const u of s.unbondingDelegations) {
    k.setUnbonding(ctx.store, u);
    for (const e of u.entries) k.setQueueKey(ctx.store, unbondingQueueKey(tsToMs(e.completionTime), addressBytes(u.delegatorAddress), valoperBytes(u.validatorAddress)));
  }
  for (const r of s.redelegations) {
    k.setRedelegation(ctx.store, r);
    for (const e of r.entries) {
      k.setQueueKey(ctx.store, redelegationQueueKey(tsToMs(e.completionTime), addressBytes(r.delegatorAddress), valoperBytes(r.validatorSrcAddress), valoperBytes(r.validatorDstAddress)));
    }
  }
  return s.lastValidatorPowers.map((p) => {
    const key = keys.get(p.address);
    if (!key) throw ErrInvalidRequest.wrap(`staking genesis: last_validator_powers names ${p.address}, which is not a validator`);
    k.setLastPower(ctx.store, valoperBytes(p.address), p.power);
    return { pubKey: { ed25519: key }, power: p.power };
  });
}

const list = (v: unknown, what: string): unknown[] => readList(v, `staking genesis.exported_state.${what}`);

/** Parses `exported_state` (proto3 JSON of the SDK types); every address is checked. */
export function parseStakingState(raw: unknown): StakingState {
  const g = readObject(raw, "staking genesis.exported_state");
  const validators = list(g.validators, "validators").map((v) => Validator.fromJSON(v));
  for (const v of validators) valoperBytes(v.operatorAddress, "exported_state.validators[].operator_address");
  const delegations = list(g.delegations, "delegations").map((d) => Delegation.fromJSON(d));
  const unbondingDelegations = list(g.unbonding_delegations, "unbonding_delegations").map((u) => UnbondingDelegation.fromJSON(u));
  const redelegations = list(g.redelegations, "redelegations").map((r) => Redelegation.fromJSON(r));
  for (const x of [...delegations, ...unbondingDelegations, ...redelegations]) addressBytes(x.delegatorAddress, "exported_state delegator address");
  const lastValidatorPowers = list(g.last_validator_powers, "last_validator_powers").map((p, i) => {
    const o = (p ?? {}) as { address?: unknown; power?: unknown };
    if (typeof o.power !== "string" || !/^[1-9]\d{0,18}$/.test(o.power)) throw ErrInvalidRequest.wrap(`staking genesis: last_validator_powers[${i}].power must be a positive integer string`);
    return { address: valoperAddress(valoperBytes(String(o.address), `last_validator_powers[${i}].address`)), power: BigInt(o.power) };
  });
  return { validators, delegations, unbondingDelegations, redelegations, lastValidatorPowers };
}

export function stakingStateJson(s: StakingState): unknown {
  return {
    validators: s.validators.map((v) => Validator.toJSON(v)),
    delegations: s.delegations.map((d) => Delegation.toJSON(d)),
    unbonding_delegations: s.unbondingDelegations.map((u) => UnbondingDelegation.toJSON(u)),
    redelegations: s.redelegations.map((r) => Redelegation.toJSON(r)),
    last_validator_powers: s.lastValidatorPowers.map((p) => ({ address: p.address, power: p.power.toString() })),
  };
}
