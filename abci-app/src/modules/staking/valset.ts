import { BondStatus, HistoricalInfo, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { Header } from "cosmjs-types/tendermint/types/types";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { consAddressOf, valoperAddress } from "./addresses.ts";
import { movePool, removeValidator } from "./delegation.ts";
import type { StakingCtx } from "./types.ts";
import { consKeyOf, isBonded, msToTs, type StakingKeeper } from "./keeper.ts";
import { BondedPool, NotBondedPool, Prefix, readBe64, redelegationQueueKey, unbondingQueueKey, validatorQueueKey } from "./keys.ts";
import { completeRedelegation, completeUnbonding } from "./unbonding.ts";
import { emitStakingEvent } from "./events.ts";

/** At most this many entries of each maturity queue complete per block; the rest wait for the next block. */
export const MAX_MATURED_PER_BLOCK = 256;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const update = (v: Validator, power: bigint): ValidatorUpdate => ({ pubKey: { ed25519: consKeyOf(v) }, power });

/**
 * The SDK's ApplyAndReturnValidatorSetUpdates, run only in blocks where some validator's power or jailing changed
 * (the changed-set): walks the power index from the top for max_validators entries, bonds newcomers, and answers an
 * update for every validator whose power differs from what CometBFT has; validators that fell out get power 0
 * (in address order) and start unbonding. Cost: O(max_validators) in such blocks, O(1) otherwise; never
 * proportional to delegations.
 */
export function applyValidatorSetUpdates(k: StakingKeeper, ctx: StakingCtx): ValidatorUpdate[] {
  if (!k.hasChanges(ctx.store)) return [];
  for (const _ of k.takeChanged(ctx.store)) { /* drained: this pass looks at the whole top of the index */ }
  const params = k.getParams(ctx.store);
  const last = new Map<string, [Uint8Array, bigint]>();
  for (const [val, power] of k.lastPowers(ctx.store)) last.set(hex(val), [val, power]);
  const updates: ValidatorUpdate[] = [];
  const kept = new Set<string>();
  let count = 0;
  const top: [Uint8Array, bigint][] = [];
  for (const [key] of ctx.store.iterate(Prefix.powerIndex, { reverse: true })) {
    if (count >= params.maxValidators) break;
    top.push([key.slice(Prefix.powerIndex.length + 8), readBe64(key, Prefix.powerIndex.length)]);
    count++;
  }
  for (const [val, power] of top) {
    let v = k.getValidator(ctx.store, val);
    if (!v) throw new Error(`power index names a missing validator ${valoperAddress(val)}`);
    if (!isBonded(v)) v = bondValidator(k, ctx, val, v);
    kept.add(hex(val));
    if (last.get(hex(val))?.[1] !== power) {
      updates.push(update(v, power));
      k.setLastPower(ctx.store, val, power);
    }
  }
  for (const h of [...last.keys()].sort()) {
    if (kept.has(h)) continue;
    const [val] = last.get(h) as [Uint8Array, bigint];
    const v = k.getValidator(ctx.store, val);
    if (!v) throw new Error(`bonded validator ${valoperAddress(val)} is missing`);
    beginUnbondingValidator(k, ctx, val, v);
    updates.push(update(v, 0n));
    k.setLastPower(ctx.store, val, 0n);
  }
  return updates;
}

function bondValidator(k: StakingKeeper, ctx: StakingCtx, val: Uint8Array, v: Validator): Validator {
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) k.deleteKey(ctx.store, validatorQueueKey(BigInt(v.unbondingTime.seconds) * 1000n + BigInt(Math.floor(v.unbondingTime.nanos / 1e6)), val));
  movePool(k, ctx, NotBondedPool, BondedPool, BigInt(v.tokens));
  const next: Validator = { ...v, status: BondStatus.BOND_STATUS_BONDED, unbondingHeight: 0n, unbondingTime: msToTs(0n) };
  k.setValidator(ctx.store, val, next, v);
  k.hook("afterValidatorBonded", ctx, consAddressOf(consKeyOf(v)), val);
  emitStakingEvent(ctx.events, "bond_validator", { validator: valoperAddress(val) });
  return next;
}

function beginUnbondingValidator(k: StakingKeeper, ctx: StakingCtx, val: Uint8Array, v: Validator): void {
  const completionMs = BigInt(ctx.time.getTime()) + k.getParams(ctx.store).unbondingTimeMs;
  movePool(k, ctx, BondedPool, NotBondedPool, BigInt(v.tokens));
  k.setValidator(ctx.store, val, { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingHeight: ctx.height, unbondingTime: msToTs(completionMs) }, v);
  k.setQueueKey(ctx.store, validatorQueueKey(completionMs, val));
  k.hook("afterValidatorBeginUnbonding", ctx, consAddressOf(consKeyOf(v)), val);
  emitStakingEvent(ctx.events, "unbond_validator", { validator: valoperAddress(val) });
}

/** Validators whose unbonding period ended become Unbonded; one left with no shares is removed. */
export function completeMaturedValidators(k: StakingKeeper, ctx: StakingCtx): void {
  const plen = Prefix.validatorQueue.length + 8;
  for (const key of k.popMatured(ctx.store, Prefix.validatorQueue, BigInt(ctx.time.getTime()), MAX_MATURED_PER_BLOCK)) {
    const val = key.slice(plen);
    const v = k.getValidator(ctx.store, val);
    if (!v || v.status !== BondStatus.BOND_STATUS_UNBONDING) continue;
    const next: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDED };
    k.setValidator(ctx.store, val, next, v);
    if (BigInt(next.delegatorShares) === 0n) removeValidator(k, ctx, val, next);
  }
}

/** Pays matured unbonding delegations and forgets matured redelegations, a bounded number per block. */
export function completeMaturedQueues(k: StakingKeeper, ctx: StakingCtx): void {
  const now = BigInt(ctx.time.getTime());
  const ulen = unbondingQueueKey(0n, new Uint8Array(), new Uint8Array()).length - 1; // prefix + time
  for (const key of k.popMatured(ctx.store, Prefix.unbondingQueue, now, MAX_MATURED_PER_BLOCK)) {
    const dlen = key[ulen] ?? 0;
    completeUnbonding(k, ctx, key.slice(ulen + 1, ulen + 1 + dlen), key.slice(ulen + 1 + dlen));
  }
  const rlen = redelegationQueueKey(0n, new Uint8Array(), new Uint8Array(), new Uint8Array()).length - 1;
  for (const key of k.popMatured(ctx.store, Prefix.redelegationQueue, now, MAX_MATURED_PER_BLOCK)) {
    const dlen = key[rlen] ?? 0;
    const rest = key.slice(rlen + 1 + dlen);
    completeRedelegation(k, ctx, key.slice(rlen + 1, rlen + 1 + dlen), rest.slice(0, 20), rest.slice(20));
  }
}

/** BeginBlock: records this height's header and bonded set for HistoricalInfo, and prunes the oldest entry. */
export function trackHistoricalInfo(k: StakingKeeper, ctx: StakingCtx & { readonly chainId: string }): void {
  const entries = BigInt(k.getParams(ctx.store).historicalEntries);
  if (ctx.height > entries) k.deleteHistoricalInfo(ctx.store, ctx.height - entries);
  if (entries === 0n) return;
  const valset: Validator[] = [];
  for (const [val] of k.lastPowers(ctx.store)) {
    const v = k.getValidator(ctx.store, val);
    if (v) valset.push(v);
  }
  const header = Header.fromPartial({ chainId: ctx.chainId, height: ctx.height, time: msToTs(BigInt(ctx.time.getTime())) });
  k.setHistoricalInfo(ctx.store, ctx.height, HistoricalInfo.fromPartial({ header, valset }));
}
