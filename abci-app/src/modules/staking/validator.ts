import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { consAddressOf, operatorAccount, valoperAddress } from "./addresses.ts";
import { delegate, requireValidator } from "./delegation.ts";
import { ErrCommissionUpdateTime, ErrValidatorOwnerExists, ErrValidatorPubKeyExists } from "./errors.ts";
import { ED25519_PUBKEY_TYPE, msToTs, type StakingKeeper, tokensOf, tsToMs } from "./keeper.ts";
import { DO_NOT_MODIFY } from "./validate.ts";
import type { NewValidator, StakingCtx, ValidatorEdit } from "./types.ts";
import { emitStakingEvent } from "./events.ts";

const DAY_MS = 24n * 3600n * 1000n;

/** MsgCreateValidator (and a genesis validator): a new Unbonded validator plus its operator's self-delegation. */
export function createValidator(k: StakingKeeper, ctx: StakingCtx, n: NewValidator): void {
  const params = k.getParams(ctx.store);
  if (n.selfDelegation.denom !== params.bondDenom) throw ErrInvalidRequest.wrap(`invalid coin denomination: got ${n.selfDelegation.denom}, expected ${params.bondDenom}`);
  if (k.getValidator(ctx.store, n.val)) throw ErrValidatorOwnerExists.wrap(valoperAddress(n.val));
  if (k.validatorByConsAddr(ctx.store, consAddressOf(n.consKey))) throw ErrValidatorPubKeyExists.wrap(Buffer.from(n.consKey).toString("base64"));
  if (n.rates.rate < params.minCommissionRate) throw ErrInvalidRequest.wrap("commission cannot be less than min rate");
  if (n.selfDelegation.amount < n.minSelfDelegation) throw ErrInvalidRequest.wrap(`validator's self delegation must be greater than their minimum self delegation (${n.selfDelegation.amount} < ${n.minSelfDelegation})`);
  const v = Validator.fromPartial({
    operatorAddress: valoperAddress(n.val),
    consensusPubkey: { typeUrl: ED25519_PUBKEY_TYPE, value: PubKey.encode({ key: n.consKey }).finish() },
    jailed: false, status: BondStatus.BOND_STATUS_UNBONDED, tokens: "0", delegatorShares: "0", description: n.description,
    unbondingHeight: 0n, unbondingTime: msToTs(0n),
    commission: { commissionRates: { rate: n.rates.rate.toString(), maxRate: n.rates.maxRate.toString(), maxChangeRate: n.rates.maxChangeRate.toString() }, updateTime: msToTs(BigInt(ctx.time.getTime())) },
    minSelfDelegation: n.minSelfDelegation.toString(),
  });
  k.setValidator(ctx.store, n.val, v, undefined);
  k.hook("afterValidatorCreated", ctx, n.val);
  delegate(k, ctx, operatorAccount(n.val), n.val, n.selfDelegation.amount, "account");
  emitStakingEvent(ctx.events, "create_validator", { validator: valoperAddress(n.val), amount: `${n.selfDelegation.amount}${n.selfDelegation.denom}` });
}

/** MsgEditValidator: description fields ("[do-not-modify]" keeps one), commission (once per 24 h, within the max change rate), a higher min self-delegation. */
export function editValidator(k: StakingKeeper, ctx: StakingCtx, val: Uint8Array, e: ValidatorEdit): void {
  const v = requireValidator(k, ctx, val);
  const next: Validator = { ...v };
  if (e.description) {
    const d = e.description;
    const keep = (nv: string, old: string): string => (nv === DO_NOT_MODIFY ? old : nv);
    next.description = {
      moniker: keep(d.moniker, v.description.moniker), identity: keep(d.identity, v.description.identity), website: keep(d.website, v.description.website),
      securityContact: keep(d.securityContact, v.description.securityContact), details: keep(d.details, v.description.details),
    };
    if (next.description.moniker.trim() === "") throw ErrInvalidRequest.wrap("empty description: moniker is required");
  }
  if (e.rate !== undefined) {
    const c = v.commission.commissionRates;
    const now = BigInt(ctx.time.getTime());
    if (now - tsToMs(v.commission.updateTime) < DAY_MS) throw ErrCommissionUpdateTime.wrap(`last change at ${new Date(Number(tsToMs(v.commission.updateTime))).toISOString()}`);
    if (e.rate > BigInt(c.maxRate)) throw ErrInvalidRequest.wrap("commission cannot be more than the max rate");
    if (e.rate - BigInt(c.rate) > BigInt(c.maxChangeRate)) throw ErrInvalidRequest.wrap("commission cannot be changed more than max change rate");
    if (e.rate < k.getParams(ctx.store).minCommissionRate) throw ErrInvalidRequest.wrap("commission cannot be less than min rate");
    next.commission = { commissionRates: { ...c, rate: e.rate.toString() }, updateTime: msToTs(now) };
  }
  if (e.minSelfDelegation !== undefined) {
    if (e.minSelfDelegation <= BigInt(v.minSelfDelegation)) throw ErrInvalidRequest.wrap("minimum self delegation cannot be decrease");
    if (e.minSelfDelegation > tokensOf(v)) throw ErrInvalidRequest.wrap("validator's self delegation must be greater than their minimum self delegation");
    next.minSelfDelegation = e.minSelfDelegation.toString();
  }
  k.setValidator(ctx.store, val, next, v);
  emitStakingEvent(ctx.events, "edit_validator", { validator: valoperAddress(val), commission_rate: next.commission.commissionRates.rate, min_self_delegation: next.minSelfDelegation });
}
