import type { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BondStatus, Delegation } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { consAddressOf, operatorAccount, valoperAddress } from "./addresses.ts";
import { DEC_ONE, parseWireDec, toWireDec } from "./dec.ts";
import { ErrNoDelegation, ErrNoValidatorFound } from "./errors.ts";
import { BondedPool, NotBondedPool } from "./keys.ts";
import { MAX_POWER, POWER_REDUCTION, type StakingCtx } from "./types.ts";
import { consKeyOf, isBonded, sharesOf, type StakingKeeper, tokensOf } from "./keeper.ts";
import { emitStakingEvent } from "./events.ts";

export type Pool = typeof BondedPool | typeof NotBondedPool;
export const poolOf = (v: Validator): Pool => (isBonded(v) ? BondedPool : NotBondedPool);

export function requireValidator(k: StakingKeeper, ctx: StakingCtx, val: Uint8Array): Validator {
  const v = k.getValidator(ctx.store, val);
  if (!v) throw ErrNoValidatorFound.wrap(valoperAddress(val));
  return v;
}

/** Moves `amount` bond-denom tokens between the two staking pools (no-op when they are the same pool). */
export function movePool(k: StakingKeeper, ctx: StakingCtx, from: Pool, to: Pool, amount: bigint): void {
  if (from === to || amount === 0n) return;
  k.bank.sendCoinsFromModuleToModule(ctx, from, to, [{ denom: k.getParams(ctx.store).bondDenom, amount }]);
}

/**
 * Adds `amount` tokens to a validator for `delegator`, issuing shares at the validator's exchange rate. The tokens
 * come from the delegator's account, or (redelegation, cancelled unbonding) are already held by `source`.
 * Returns the shares issued.
 */
export function delegate(k: StakingKeeper, ctx: StakingCtx, delegator: string, val: Uint8Array, amount: bigint, source: "account" | Pool): bigint {
  const v = requireValidator(k, ctx, val);
  const tokens = tokensOf(v);
  const shares = sharesOf(v);
  if (tokens > 0n && shares === 0n) throw ErrInvalidRequest.wrap("cannot delegate to validators with invalid (zero) ex-rate");
  // A validator slashed to zero tokens with shares left: new stake would be split with its wiped-out delegators
  // (the SDK's Delegate refuses it too, ErrDelegatorShareExRateInvalid).
  if (tokens === 0n && shares > 0n) throw ErrInvalidRequest.wrap("cannot delegate to a validator with no tokens left and shares outstanding (invalid ex-rate)");
  const issued = tokens === 0n ? amount * DEC_ONE : (amount * shares) / tokens;
  if (issued === 0n) throw ErrInvalidRequest.wrap(`delegation of ${amount} issues no shares`);
  if ((tokens + amount) / POWER_REDUCTION > MAX_POWER) throw ErrInvalidRequest.wrap(`the validator's power would exceed ${MAX_POWER}`);
  const del = addressBytes(delegator);
  const d = k.getDelegation(ctx.store, del, val);
  k.hook(d ? "beforeDelegationSharesModified" : "beforeDelegationCreated", ctx, del, val);
  const denom = k.getParams(ctx.store).bondDenom;
  if (source === "account") k.bank.delegateCoinsFromAccountToModule(ctx, delegator, poolOf(v), [{ denom, amount }]);
  else movePool(k, ctx, source, poolOf(v), amount);
  k.setValidator(ctx.store, val, { ...v, tokens: (tokens + amount).toString(), delegatorShares: toWireDec(shares + issued) }, v);
  const before = d ? parseWireDec(d.shares, "shares") : 0n;
  k.setDelegation(ctx.store, Delegation.fromPartial({ delegatorAddress: delegator, validatorAddress: valoperAddress(val), shares: toWireDec(before + issued) }));
  k.hook("afterDelegationModified", ctx, del, val);
  return issued;
}

/**
 * The shares that unbond `amount` tokens of `delegator`'s delegation (the SDK's ValidateUnbondAmount): more than
 * the delegation holds is refused; rounding never takes more shares than it holds.
 */
export function sharesForAmount(k: StakingKeeper, ctx: StakingCtx, delegator: string, val: Uint8Array, amount: bigint): bigint {
  const v = requireValidator(k, ctx, val);
  const d = k.getDelegation(ctx.store, addressBytes(delegator), val);
  if (!d) throw ErrNoDelegation.wrap(`${delegator} -> ${valoperAddress(val)}`);
  const held = parseWireDec(d.shares, "shares");
  const tokens = tokensOf(v);
  const shares = sharesOf(v);
  if (tokens === 0n) throw ErrInvalidRequest.wrap("invalid shares amount: the validator has no tokens");
  const floor = (amount * shares) / tokens;
  if (floor > held) {
    const worth = (held * tokens) / shares;
    throw ErrInvalidRequest.wrap(`invalid shares amount: undelegating ${amount} but the delegation is worth ${worth}`);
  }
  const ceil = (amount * shares + tokens - 1n) / tokens;
  return ceil > held ? held : ceil;
}

/**
 * Removes `shares` from a delegation and the matching tokens from the validator; the tokens stay in the
 * validator's pool for the caller to move. A self-delegation falling below the minimum jails the validator.
 * Returns the tokens removed.
 */
export function unbond(k: StakingKeeper, ctx: StakingCtx, delegator: string, val: Uint8Array, shares: bigint): bigint {
  const d = k.getDelegation(ctx.store, addressBytes(delegator), val);
  if (!d) throw ErrNoDelegation.wrap(`${delegator} -> ${valoperAddress(val)}`);
  const held = parseWireDec(d.shares, "shares");
  if (shares <= 0n || shares > held) throw ErrInvalidRequest.wrap("invalid shares amount");
  const v = requireValidator(k, ctx, val);
  const del = addressBytes(delegator);
  k.hook("beforeDelegationSharesModified", ctx, del, val);
  const vShares = sharesOf(v);
  const vTokens = tokensOf(v);
  const out = shares === vShares ? vTokens : (shares * vTokens) / vShares;
  const remaining = held - shares;
  k.setDelegation(ctx.store, { ...d, shares: toWireDec(remaining) });
  const next: Validator = { ...v, tokens: (vTokens - out).toString(), delegatorShares: toWireDec(vShares - shares) };
  if (delegator === operatorAccount(val) && !next.jailed) {
    const left = vShares - shares;
    const selfTokens = left === 0n ? 0n : (remaining * (vTokens - out)) / left;
    if (selfTokens < BigInt(v.minSelfDelegation)) {
      next.jailed = true;
      emitStakingEvent(ctx.events, "jail", { validator: valoperAddress(val), reason: "self_delegation_below_minimum" });
    }
  }
  k.setValidator(ctx.store, val, next, v);
  k.hook(remaining === 0n ? "beforeDelegationRemoved" : "afterDelegationModified", ctx, del, val);
  if (vShares - shares === 0n && next.status === BondStatus.BOND_STATUS_UNBONDED) removeValidator(k, ctx, val, next);
  return out;
}

/** Removes a validator with no shares left that is unbonded; the hooks settle what other modules keep for it. */
export function removeValidator(k: StakingKeeper, ctx: StakingCtx, val: Uint8Array, v: Validator): void {
  k.removeValidator(ctx.store, val, v);
  k.hook("afterValidatorRemoved", ctx, consAddressOf(consKeyOf(v)), val);
}
