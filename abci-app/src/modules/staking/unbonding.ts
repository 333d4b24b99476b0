import { BondStatus, Redelegation, UnbondingDelegation, type UnbondingDelegationEntry } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { valoperAddress } from "./addresses.ts";
import { delegate, movePool, poolOf, requireValidator, sharesForAmount, unbond } from "./delegation.ts";
import type { StakingCtx } from "./types.ts";
import {
  ErrMaxRedelegationEntries, ErrMaxUnbondingDelegationEntries, ErrNoUnbondingDelegation, ErrTransitiveRedelegation, ErrValidatorJailed,
} from "./errors.ts";
import { isBonded, msToTs, type StakingKeeper, tsToMs } from "./keeper.ts";
import { BondedPool, NotBondedPool, redelegationQueueKey, unbondingQueueKey } from "./keys.ts";
import { emitStakingEvent } from "./events.ts";

const nowMs = (ctx: StakingCtx): bigint => BigInt(ctx.time.getTime());

/**
 * MsgUndelegate: unbonds `amount` tokens; they wait in the not-bonded pool until block time passes
 * now + unbonding_time, then EndBlock pays them back. Entries created in one block merge (as the SDK does).
 */
export function undelegate(k: StakingKeeper, ctx: StakingCtx, delegator: string, val: Uint8Array, amount: bigint): { completionMs: bigint; amount: bigint } {
  const params = k.getParams(ctx.store);
  const del = addressBytes(delegator);
  const v = requireValidator(k, ctx, val);
  const existing = k.getUnbonding(ctx.store, del, val);
  const entries = existing?.entries ?? [];
  const sameHeight = entries.findIndex((e) => e.creationHeight === ctx.height);
  if (sameHeight < 0 && entries.length >= params.maxEntries) throw ErrMaxUnbondingDelegationEntries.wrap(`${entries.length} entries, max ${params.maxEntries}`);
  const shares = sharesForAmount(k, ctx, delegator, val, amount);
  const tokens = unbond(k, ctx, delegator, val, shares);
  if (tokens === 0n) throw ErrInvalidRequest.wrap("undelegation amount truncates to zero tokens");
  if (isBonded(v)) movePool(k, ctx, BondedPool, NotBondedPool, tokens);
  const completionMs = nowMs(ctx) + params.unbondingTimeMs;
  let next: UnbondingDelegationEntry[];
  if (sameHeight >= 0) {
    next = entries.map((e, i) => (i === sameHeight ? { ...e, initialBalance: (BigInt(e.initialBalance) + tokens).toString(), balance: (BigInt(e.balance) + tokens).toString() } : e));
  } else {
    next = [...entries, { creationHeight: ctx.height, completionTime: msToTs(completionMs), initialBalance: tokens.toString(), balance: tokens.toString(), unbondingId: 0n, unbondingOnHoldRefCount: 0n }];
  }
  k.setUnbonding(ctx.store, UnbondingDelegation.fromPartial({ delegatorAddress: delegator, validatorAddress: valoperAddress(val), entries: next }));
  k.setQueueKey(ctx.store, unbondingQueueKey(completionMs, del, val));
  return { completionMs, amount: tokens };
}

/**
 * MsgBeginRedelegate: moves stake from `src` to `dst` at once. While the moved stake could still be slashed for
 * `src` it is recorded, and it may not be redelegated again (no transitive redelegation), as the SDK's getBeginInfo:
 * from a bonded source until now + unbonding_time (created now); from an unbonding one until the source's own
 * unbonding completes (created at the height it began unbonding, so a slash for an infraction before that still
 * reaches it); only from an unbonded source does it complete immediately.
 */
export function redelegate(k: StakingKeeper, ctx: StakingCtx, delegator: string, src: Uint8Array, dst: Uint8Array, amount: bigint): bigint {
  const params = k.getParams(ctx.store);
  const del = addressBytes(delegator);
  const vSrc = k.getValidator(ctx.store, src);
  if (!vSrc) throw ErrInvalidRequest.wrap(`redelegation source validator not found: ${valoperAddress(src)}`);
  if (!k.getValidator(ctx.store, dst)) throw ErrInvalidRequest.wrap(`redelegation destination validator not found: ${valoperAddress(dst)}`);
  if (k.hasRedelegationInto(ctx.store, del, src)) throw ErrTransitiveRedelegation.wrap(`${delegator} has a redelegation into ${valoperAddress(src)} in progress`);
  const existing = k.getRedelegation(ctx.store, del, src, dst);
  const entries = existing?.entries ?? [];
  if (entries.length >= params.maxEntries) throw ErrMaxRedelegationEntries.wrap(`${entries.length} entries, max ${params.maxEntries}`);
  const shares = sharesForAmount(k, ctx, delegator, src, amount);
  const srcBonded = isBonded(vSrc);
  const srcUnbonding = vSrc.status === BondStatus.BOND_STATUS_UNBONDING;
  const tokens = unbond(k, ctx, delegator, src, shares);
  if (tokens === 0n) throw ErrInvalidRequest.wrap("too few tokens to redelegate (truncates to zero tokens)");
  const sharesDst = delegate(k, ctx, delegator, dst, tokens, poolOf(vSrc));
  if (!srcBonded && !srcUnbonding) return nowMs(ctx);
  const completionMs = srcBonded ? nowMs(ctx) + params.unbondingTimeMs : tsToMs(vSrc.unbondingTime);
  const creationHeight = srcBonded ? ctx.height : vSrc.unbondingHeight;
  k.setRedelegation(ctx.store, Redelegation.fromPartial({
    delegatorAddress: delegator, validatorSrcAddress: valoperAddress(src), validatorDstAddress: valoperAddress(dst),
    entries: [...entries, { creationHeight, completionTime: msToTs(completionMs), initialBalance: tokens.toString(), sharesDst: sharesDst.toString(), unbondingId: 0n, unbondingOnHoldRefCount: 0n }],
  }));
  k.setQueueKey(ctx.store, redelegationQueueKey(completionMs, del, src, dst));
  return completionMs;
}

/** MsgCancelUnbondingDelegation: puts (part of) a not yet matured unbonding entry back into the validator. */
export function cancelUnbonding(k: StakingKeeper, ctx: StakingCtx, delegator: string, val: Uint8Array, amount: bigint, creationHeight: bigint): void {
  const v = requireValidator(k, ctx, val);
  if (v.jailed) throw ErrValidatorJailed.wrap("cannot cancel an unbonding delegation of a jailed validator");
  const ubd = k.getUnbonding(ctx.store, addressBytes(delegator), val);
  if (!ubd) throw ErrNoUnbondingDelegation.wrap(`${delegator} -> ${valoperAddress(val)}`);
  const i = ubd.entries.findIndex((e) => e.creationHeight === creationHeight);
  const entry = ubd.entries[i];
  if (!entry) throw ErrInvalidRequest.wrap(`unbonding delegation entry is not found at block height ${creationHeight}`);
  if (tsToMs(entry.completionTime) <= nowMs(ctx)) throw ErrInvalidRequest.wrap("unbonding delegation is already processed");
  const balance = BigInt(entry.balance);
  if (amount > balance) throw ErrInvalidRequest.wrap(`amount ${amount} is greater than the unbonding delegation entry balance ${balance}`);
  delegate(k, ctx, delegator, val, amount, NotBondedPool);
  const entries = amount === balance
    ? ubd.entries.filter((_, j) => j !== i)
    : ubd.entries.map((e, j) => (j === i ? { ...e, balance: (balance - amount).toString(), initialBalance: (BigInt(e.initialBalance) - amount).toString() } : e));
  k.setUnbonding(ctx.store, { ...ubd, entries });
}

/** Pays out every matured entry of one (delegator, validator) pair from the not-bonded pool. */
export function completeUnbonding(k: StakingKeeper, ctx: StakingCtx, del: Uint8Array, val: Uint8Array): void {
  const ubd = k.getUnbonding(ctx.store, del, val);
  if (!ubd) return;
  const now = nowMs(ctx);
  let paid = 0n;
  const keep = ubd.entries.filter((e) => {
    if (tsToMs(e.completionTime) > now) return true;
    paid += BigInt(e.balance);
    return false;
  });
  if (paid > 0n) k.bank.undelegateCoinsFromModuleToAccount(ctx, NotBondedPool, ubd.delegatorAddress, [{ denom: k.getParams(ctx.store).bondDenom, amount: paid }]);
  k.setUnbonding(ctx.store, { ...ubd, entries: keep });
  emitStakingEvent(ctx.events, "complete_unbonding", { amount: `${paid}${k.getParams(ctx.store).bondDenom}`, validator: ubd.validatorAddress, delegator: ubd.delegatorAddress });
}

/** Forgets matured redelegation entries (the stake already sits with the destination). */
export function completeRedelegation(k: StakingKeeper, ctx: StakingCtx, del: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
  const red = k.getRedelegation(ctx.store, del, src, dst);
  if (!red) return;
  const now = nowMs(ctx);
  k.setRedelegation(ctx.store, { ...red, entries: red.entries.filter((e) => tsToMs(e.completionTime) > now) });
  emitStakingEvent(ctx.events, "complete_redelegation", { delegator: red.delegatorAddress, source_validator: red.validatorSrcAddress, destination_validator: red.validatorDstAddress });
}
