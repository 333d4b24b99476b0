import {
  MsgBeginRedelegate, MsgBeginRedelegateResponse, MsgCancelUnbondingDelegation, MsgCancelUnbondingDelegationResponse, MsgCreateValidator,
  MsgCreateValidatorResponse, MsgDelegate, MsgDelegateResponse, MsgEditValidator, MsgEditValidatorResponse, MsgUndelegate, MsgUndelegateResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { addressBytes } from "../../sdk/address.ts";
import type { Ctx } from "../../sdk/context.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import { msgServerMethod, type MsgServerMethod } from "../../sdk/msg-server.ts";
import type { ProtoReader } from "../../sdk/proto-reader.ts";
import { operatorAccount, valoperBytes } from "./addresses.ts";
import { parseWireDec } from "./dec.ts";
import { delegate } from "./delegation.ts";
import { msToTs, type StakingKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { STAKING_MSG_SCHEMAS } from "./schemas.ts";
import { cancelUnbonding, redelegate, undelegate } from "./unbonding.ts";
import { consensusKey, positiveAmount, positiveInt, validateDescription, validateRates } from "./validate.ts";
import { createValidator, editValidator } from "./validator.ts";
import { completionTimeAttr, emitStakingEvent } from "./events.ts";

const T = "/cosmos.staking.v1beta1.";
export const StakingTypeUrls = {
  createValidator: `${T}MsgCreateValidator`, editValidator: `${T}MsgEditValidator`, delegate: `${T}MsgDelegate`,
  undelegate: `${T}MsgUndelegate`, redelegate: `${T}MsgBeginRedelegate`, cancelUnbonding: `${T}MsgCancelUnbondingDelegation`,
} as const;

interface Codec<M> {
  decode(input: ProtoReader): M;
}

/** A staking msg-server method: stateless checks, the one signer (the authority rule), and the keeper call (house rule 6). */
function handler<M>(typeUrl: string, codec: Codec<M>, o: Pick<MsgServerMethod<M>, "validate" | "signer" | "exec">): MsgHandler<never> {
  return msgServerMethod(ModuleName, { typeUrl, schema: STAKING_MSG_SCHEMAS.get(typeUrl), decode: (b) => codec.decode(b), ...o });
}

function bondAmount(k: StakingKeeper, ctx: Ctx, c: { denom: string; amount: string } | undefined, what: string): bigint {
  const coin = positiveAmount(c, what);
  const bondDenom = k.getParams(ctx.store).bondDenom;
  if (coin.denom !== bondDenom) throw ErrInvalidRequest.wrap(`invalid coin denomination: got ${coin.denom}, expected ${bondDenom}`);
  return coin.amount;
}

/**
 * Authority rules (docs/staking.md): create/edit-validator are signed by the operator account (the account whose
 * bytes are the valoper address); delegate, undelegate, redelegate and cancel-unbonding by the delegator.
 */
export function stakingMsgs(k: StakingKeeper): MsgHandler<never>[] {
  return [
    handler(StakingTypeUrls.createValidator, MsgCreateValidator, {
      validate(m) {
        const val = valoperBytes(m.validatorAddress);
        if (m.delegatorAddress !== "" && m.delegatorAddress !== operatorAccount(val)) throw ErrInvalidRequest.wrap("delegator address must be empty or the operator's own account");
        consensusKey(m.pubkey);
        validateDescription(m.description, true);
        validateRates(m.commission);
        const min = positiveInt(m.minSelfDelegation, "minimum self delegation");
        const v = positiveAmount(m.value, "delegation");
        if (v.amount < min) throw ErrInvalidRequest.wrap(`validator's self delegation must be greater than their minimum self delegation (${v.amount} < ${min})`);
      },
      signer: (m) => operatorAccount(valoperBytes(m.validatorAddress)),
      exec(ctx, m) {
        createValidator(k, ctx, {
          val: valoperBytes(m.validatorAddress), consKey: consensusKey(m.pubkey), description: m.description, rates: validateRates(m.commission),
          minSelfDelegation: BigInt(m.minSelfDelegation), selfDelegation: positiveAmount(m.value, "delegation"),
        });
        return MsgCreateValidatorResponse.encode({}).finish();
      },
    }),
    handler(StakingTypeUrls.editValidator, MsgEditValidator, {
      validate(m) {
        valoperBytes(m.validatorAddress);
        validateDescription(m.description, false);
        if (m.commissionRate !== "") parseWireDec(m.commissionRate, "commission rate");
        if (m.minSelfDelegation !== "") positiveInt(m.minSelfDelegation, "minimum self delegation");
      },
      signer: (m) => operatorAccount(valoperBytes(m.validatorAddress)),
      exec(ctx, m) {
        editValidator(k, ctx, valoperBytes(m.validatorAddress), {
          description: m.description,
          rate: m.commissionRate === "" ? undefined : BigInt(m.commissionRate),
          minSelfDelegation: m.minSelfDelegation === "" ? undefined : BigInt(m.minSelfDelegation),
        });
        return MsgEditValidatorResponse.encode({}).finish();
      },
    }),
    handler(StakingTypeUrls.delegate, MsgDelegate, {
      validate: (m) => (addressBytes(m.delegatorAddress, "delegator address"), valoperBytes(m.validatorAddress), positiveAmount(m.amount, "delegation")),
      signer: (m) => m.delegatorAddress,
      exec(ctx, m) {
        const amount = bondAmount(k, ctx, m.amount, "delegation");
        delegate(k, ctx, m.delegatorAddress, valoperBytes(m.validatorAddress), amount, "account");
        emitStakingEvent(ctx.events, "delegate", { validator: m.validatorAddress, delegator: m.delegatorAddress, amount: `${amount}${m.amount.denom}` });
        return MsgDelegateResponse.encode({}).finish();
      },
    }),
    handler(StakingTypeUrls.undelegate, MsgUndelegate, {
      validate: (m) => (addressBytes(m.delegatorAddress, "delegator address"), valoperBytes(m.validatorAddress), positiveAmount(m.amount, "shares")),
      signer: (m) => m.delegatorAddress,
      exec(ctx, m) {
        const amount = bondAmount(k, ctx, m.amount, "shares");
        const r = undelegate(k, ctx, m.delegatorAddress, valoperBytes(m.validatorAddress), amount);
        emitStakingEvent(ctx.events, "unbond", { validator: m.validatorAddress, delegator: m.delegatorAddress, amount: `${r.amount}${m.amount.denom}`, completion_time: completionTimeAttr(r.completionMs) });
        return MsgUndelegateResponse.encode({ completionTime: msToTs(r.completionMs), amount: { denom: m.amount.denom, amount: r.amount.toString() } }).finish();
      },
    }),
    handler(StakingTypeUrls.redelegate, MsgBeginRedelegate, {
      validate(m) {
        addressBytes(m.delegatorAddress, "delegator address");
        const src = valoperBytes(m.validatorSrcAddress, "source validator address");
        const dst = valoperBytes(m.validatorDstAddress, "destination validator address");
        if (Buffer.from(src).equals(dst)) throw ErrInvalidRequest.wrap("cannot redelegate to the same validator");
        positiveAmount(m.amount, "shares");
      },
      signer: (m) => m.delegatorAddress,
      exec(ctx, m) {
        const amount = bondAmount(k, ctx, m.amount, "shares");
        const completionMs = redelegate(k, ctx, m.delegatorAddress, valoperBytes(m.validatorSrcAddress), valoperBytes(m.validatorDstAddress), amount);
        emitStakingEvent(ctx.events, "redelegate", { source_validator: m.validatorSrcAddress, destination_validator: m.validatorDstAddress, delegator: m.delegatorAddress, amount: `${amount}${m.amount.denom}`, completion_time: completionTimeAttr(completionMs) });
        return MsgBeginRedelegateResponse.encode({ completionTime: msToTs(completionMs) }).finish();
      },
    }),
    handler(StakingTypeUrls.cancelUnbonding, MsgCancelUnbondingDelegation, {
      validate(m) {
        addressBytes(m.delegatorAddress, "delegator address");
        valoperBytes(m.validatorAddress);
        positiveAmount(m.amount, "amount");
        if (m.creationHeight <= 0n) throw ErrInvalidRequest.wrap("invalid height");
      },
      signer: (m) => m.delegatorAddress,
      exec(ctx, m) {
        const amount = bondAmount(k, ctx, m.amount, "amount");
        cancelUnbonding(k, ctx, m.delegatorAddress, valoperBytes(m.validatorAddress), amount, m.creationHeight);
        emitStakingEvent(ctx.events, "cancel_unbonding_delegation", { validator: m.validatorAddress, delegator: m.delegatorAddress, amount: `${amount}${m.amount.denom}`, creation_height: m.creationHeight.toString() });
        return MsgCancelUnbondingDelegationResponse.encode({}).finish();
      },
    }),
  ];
}
