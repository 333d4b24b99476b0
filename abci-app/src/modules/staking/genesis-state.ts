// x/staking's exported state (the SDK's staking GenesisState with exported = true): validators, delegations,
// unbonding and redelegation entries and the validator set CometBFT has, written as they are. Importing it moves no
// coins (bank's genesis already holds the pools' balances) and rebuilds the indexes and maturity queues.
import { BondStatus, bondStatusToJSON, Delegation, Redelegation, UnbondingDelegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addressBytes } from "../../sdk/address.ts";
import type { Ctx, QueryCtx } from "../../sdk/context.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject } from "../../sdk/genesis-json.ts";
import { valoperAddress, valoperBytes } from "./addresses.ts";
import { consKeyOf, ED25519_PUBKEY_TYPE, isBonded, powerOf, type StakingKeeper, tsToMs } from "./keeper.ts";
import { redelegationQueueKey, unbondingQueueKey, validatorQueueKey } from "./keys.ts";
import { POWER_REDUCTION, type StakingState } from "./types.ts";

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

const W = "staking genesis.exported_state";
const list = (v: unknown, what: string): unknown[] => readList(v, `${W}.${what}`);

/** Refuses a key of `input` that its canonical JSON (toJSON of what fromJSON read) does not have, at every depth. */
function refuseUnknownKeys(input: unknown, canonical: unknown, what: string): void {
  if (Array.isArray(input)) {
    if (Array.isArray(canonical)) input.forEach((x, i) => refuseUnknownKeys(x, canonical[i], `${what}[${i}]`));
    return;
  }
  if (typeof input !== "object" || input === null || typeof canonical !== "object" || canonical === null) return;
  for (const [k, v] of Object.entries(input)) {
    if (!Object.hasOwn(canonical, k)) throw ErrInvalidRequest.wrap(`${what}: unknown field ${JSON.stringify(k)}`);
    refuseUnknownKeys(v, (canonical as Record<string, unknown>)[k], `${what}.${k}`);
  }
}

/**
 * A cosmjs-types `fromJSON`, read strictly: fromJSON ignores a key it does not know (a misspelt `unbondingTime`
 * would silently be the epoch), so every key must be one the type writes back.
 */
function strict<T>(codec: { fromJSON(o: unknown): T; toJSON(m: T): unknown }, what: string): (raw: unknown, i: number) => T {
  return (raw, i) => {
    const at = `${W}.${what}[${i}]`;
    readObject(raw, at);
    let m: T;
    try {
      m = codec.fromJSON(raw);
    } catch (err) {
      throw ErrInvalidRequest.wrap(`${at}: ${err instanceof Error ? err.message : String(err)}`);
    }
    refuseUnknownKeys(raw, codec.toJSON(m), at);
    return m;
  };
}

/** Parses `exported_state` (proto3 JSON of the SDK types, unknown fields refused); every address is checked. */
export function parseStakingState(raw: unknown): StakingState {
  const g = readObject(raw, W, ["validators", "delegations", "unbonding_delegations", "redelegations", "last_validator_powers"]);
  const validators = list(g.validators, "validators").map(strict(Validator, "validators"));
  for (const v of validators) valoperBytes(v.operatorAddress, "exported_state.validators[].operator_address");
  const delegations = list(g.delegations, "delegations").map(strict(Delegation, "delegations"));
  const unbondingDelegations = list(g.unbonding_delegations, "unbonding_delegations").map(strict(UnbondingDelegation, "unbonding_delegations"));
  const redelegations = list(g.redelegations, "redelegations").map(strict(Redelegation, "redelegations"));
  for (const x of [...delegations, ...unbondingDelegations, ...redelegations]) addressBytes(x.delegatorAddress, "exported_state delegator address");
  const lastValidatorPowers = list(g.last_validator_powers, "last_validator_powers").map((p, i) => {
    const o = readObject(p, `${W}.last_validator_powers[${i}]`, ["address", "power"]);
    if (typeof o.power !== "string" || !/^[1-9]\d{0,18}$/.test(o.power)) throw ErrInvalidRequest.wrap(`staking genesis: last_validator_powers[${i}].power must be a positive integer string`);
    return { address: valoperAddress(valoperBytes(String(o.address), `last_validator_powers[${i}].address`)), power: BigInt(o.power) };
  });
  const state = { validators, delegations, unbondingDelegations, redelegations, lastValidatorPowers };
  refuseDuplicates(state);
  refuseAnotherSet(state);
  return state;
}

/**
 * `last_validator_powers` is the set CometBFT has: after the exported block's EndBlock, exactly the bonded
 * validators, each at its power (tokens / 10^6, none jailed). Another set would be answered to CometBFT as it is and
 * stay, since EndBlock only updates validators that change: power for an unbonded validator with no stake, a bonded
 * one CometBFT never hears of, or a power its tokens do not back.
 */
function refuseAnotherSet(s: StakingState): void {
  const byOperator = new Map<string, Validator>();
  s.validators.forEach((v, i) => {
    if (!/^\d{1,78}$/.test(v.tokens)) throw ErrInvalidRequest.wrap(`${W}.validators[${i}].tokens must be a non-negative integer, not ${JSON.stringify(v.tokens.slice(0, 80))}`);
    byOperator.set(v.operatorAddress, v);
  });
  const listed = new Set<string>();
  s.lastValidatorPowers.forEach((p, i) => {
    const at = `${W}.last_validator_powers[${i}]`;
    const v = byOperator.get(p.address);
    if (!v) throw ErrInvalidRequest.wrap(`${at}: ${p.address} is not a validator`);
    if (!isBonded(v)) throw ErrInvalidRequest.wrap(`${at}: ${p.address} is ${bondStatusToJSON(v.status)}, and only a bonded validator has power`);
    if (v.jailed) throw ErrInvalidRequest.wrap(`${at}: ${p.address} is jailed, so it has no power`);
    if (powerOf(v) !== p.power) throw ErrInvalidRequest.wrap(`${at}: power ${p.power} is not the ${powerOf(v)} its tokens give (${v.tokens} / ${POWER_REDUCTION})`);
    listed.add(p.address);
  });
  s.validators.forEach((v, i) => {
    if (isBonded(v) && !listed.has(v.operatorAddress)) throw ErrInvalidRequest.wrap(`${W}.validators[${i}]: ${v.operatorAddress} is bonded but not in last_validator_powers`);
  });
}

/** Refuses a second record under one key: the key of `list[i]` is also that of `list[j]`, j < i. */
function unique<T>(items: readonly T[], list: string, what: string, key: (x: T) => string): void {
  const first = new Map<string, number>();
  items.forEach((x, i) => {
    const k = key(x);
    const j = first.get(k);
    if (j !== undefined) throw ErrInvalidRequest.wrap(`${W}.${list}[${i}]: ${what} ${k} is also ${list}[${j}]'s; ${list} may hold it once`);
    first.set(k, i);
  });
}

/** A validator's consensus key, refused unless it is the one kind CometBFT is given (a 32-byte ed25519 key). */
function consensusKeyOf(v: Validator, i: number): string {
  const at = `${W}.validators[${i}].consensus_pubkey`;
  if (v.consensusPubkey?.typeUrl !== ED25519_PUBKEY_TYPE) throw ErrInvalidRequest.wrap(`${at} must be a ${ED25519_PUBKEY_TYPE}`);
  let key: Uint8Array;
  try {
    key = consKeyOf(v);
  } catch {
    throw ErrInvalidRequest.wrap(`${at} is not an encoded ed25519 PubKey`);
  }
  if (key.length !== 32) throw ErrInvalidRequest.wrap(`${at} must be 32 bytes (ed25519), not ${key.length}`);
  return Buffer.from(key).toString("base64");
}

/**
 * Each record once, as the store keys it (the import would keep only the last of two, and the coins of the other
 * would be in a pool with no record): a validator by operator and by consensus key (CometBFT refuses one key for two
 * validators, and the consensus-address index holds one), a delegation and an unbonding by (delegator, validator),
 * an unbonding entry by creation height (entries of one height merge), a redelegation by (delegator, source,
 * destination), a last power by validator.
 */
function refuseDuplicates(s: StakingState): void {
  const pair = (...addresses: string[]): string => `(${addresses.map((a) => a.toLowerCase()).join(", ")})`; // bech32: one case
  unique(s.validators, "validators", "operator_address", (v) => v.operatorAddress.toLowerCase());
  unique(s.validators.map(consensusKeyOf), "validators", "consensus key", (k) => k);
  unique(s.delegations, "delegations", "(delegator, validator)", (d) => pair(d.delegatorAddress, d.validatorAddress));
  unique(s.unbondingDelegations, "unbonding_delegations", "(delegator, validator)", (u) => pair(u.delegatorAddress, u.validatorAddress));
  s.unbondingDelegations.forEach((u, i) => unique(u.entries, `unbonding_delegations[${i}].entries`, "creation_height", (e) => e.creationHeight.toString()));
  unique(s.redelegations, "redelegations", "(delegator, source, destination)", (r) => pair(r.delegatorAddress, r.validatorSrcAddress, r.validatorDstAddress));
  unique(s.lastValidatorPowers, "last_validator_powers", "address", (p) => p.address);
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
