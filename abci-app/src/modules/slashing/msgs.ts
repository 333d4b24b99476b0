import { MsgUnjail, MsgUnjailResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import type { Ctx } from "../../sdk/context.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import { tsToMs } from "../../sdk/time.ts";
import { ErrMissingSelfDelegation, ErrNoValidatorForAddress, ErrSelfDelegationTooLowToUnjail, ErrValidatorJailed, ErrValidatorNotJailed } from "./errors.ts";
import type { SlashingKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { SLASHING_MSG_SCHEMAS } from "./schemas.ts";

export const MsgUnjailTypeUrl = "/cosmos.slashing.v1beta1.MsgUnjail";

/**
 * x/slashing's Unjail (keeper/unjail.go), in the SDK's order: the validator exists; its operator still has a
 * self-delegation of at least min_self_delegation; it is jailed; and, if it ever bonded (has signing info), it is
 * not tombstoned and block time has reached jailed_until. Then staking puts it back in the power index.
 */
export function unjail(k: SlashingKeeper, ctx: Ctx, val: Uint8Array, address: string): void {
  const v = k.staking.getValidator(ctx.store, val);
  if (!v) throw ErrNoValidatorForAddress.wrap(address);
  const self = k.staking.selfDelegationTokens(ctx.store, val);
  if (self === undefined) throw ErrMissingSelfDelegation.wrap(address);
  if (self < BigInt(v.minSelfDelegation)) throw ErrSelfDelegationTooLowToUnjail.wrap(`${self} less than ${v.minSelfDelegation}`);
  if (!v.jailed) throw ErrValidatorNotJailed.wrap(address);
  const cons = k.staking.consAddress(v);
  const info = k.getSigningInfo(ctx.store, cons);
  if (info?.tombstoned) throw ErrValidatorJailed.wrap("validator is tombstoned (double sign) and can never be unjailed");
  if (info && BigInt(ctx.time.getTime()) < tsToMs(info.jailedUntil)) {
    throw ErrValidatorJailed.wrap(`jailed until ${new Date(Number(tsToMs(info.jailedUntil))).toISOString()}, block time is ${ctx.time.toISOString()}`);
  }
  k.staking.unjail(ctx, cons);
}

/** Authority (docs/slashing.md): MsgUnjail is signed by the validator's operator account, and only by it. */
export function slashingMsgs(k: SlashingKeeper): MsgHandler<never>[] {
  const h: MsgHandler<MsgUnjail> = {
    typeUrl: MsgUnjailTypeUrl,
    schema: SLASHING_MSG_SCHEMAS.get(MsgUnjailTypeUrl),
    decode: (b) => MsgUnjail.decode(b),
    validateBasic: (m) => void k.staking.valoperBytes(m.validatorAddr),
    signers: (m) => [k.staking.operatorAccount(k.staking.valoperBytes(m.validatorAddr))],
    handle(ctx, m) {
      const signer = k.staking.operatorAccount(k.staking.valoperBytes(m.validatorAddr));
      ctx.events.emit("message", { action: MsgUnjailTypeUrl, sender: signer, module: ModuleName });
      unjail(k, ctx, k.staking.valoperBytes(m.validatorAddr), m.validatorAddr);
      return { typeUrl: `${MsgUnjailTypeUrl}Response`, value: MsgUnjailResponse.encode({}).finish() };
    },
  };
  return [h as MsgHandler<never>];
}
