import {
  MsgSetWithdrawAddress, MsgSetWithdrawAddressResponse, MsgWithdrawDelegatorReward, MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { addressBytes, bech32Address, valoperAddress, valoperBytes } from "../../sdk/address.ts";
import type { Coin } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";
import { msgServerMethod, type MsgServerMethod } from "../../sdk/msg-server.ts";
import type { ProtoReader } from "../../sdk/proto-reader.ts";
import { ErrUnauthorized } from "../../sdk/errors.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import { fromCoins, isZero, subDec, truncate } from "./dec-coins.ts";
import { ErrEmptyDelegationDistInfo, ErrNoValidatorCommission, ErrNoValidatorDistInfo, ErrSetWithdrawAddrDisabled } from "./errors.ts";
import { emitSetWithdrawAddress, emitWithdrawCommission } from "./events.ts";
import { initializeDelegation, withdrawDelegationRewards } from "./f1.ts";
import type { DistrKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { DISTR_MSG_SCHEMAS } from "./schemas.ts";

const T = "/cosmos.distribution.v1beta1.";
export const DistributionTypeUrls = {
  withdrawDelegatorReward: `${T}MsgWithdrawDelegatorReward`,
  withdrawValidatorCommission: `${T}MsgWithdrawValidatorCommission`,
  setWithdrawAddress: `${T}MsgSetWithdrawAddress`,
} as const;

const wireCoins = (coins: readonly Coin[]) => coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));

/** A distribution msg-server method: stateless checks, the one signer (the authority rule), and the keeper call. */
const handler = <M>(typeUrl: string, codec: { decode(input: ProtoReader): M }, o: Pick<MsgServerMethod<M>, "validate" | "signer" | "exec">): MsgHandler<never> =>
  msgServerMethod(ModuleName, { typeUrl, schema: DISTR_MSG_SCHEMAS.get(typeUrl), decode: (b) => codec.decode(b), ...o });

/** MsgWithdrawDelegatorReward: pays the delegation's rewards and restarts it at the new period. */
export function withdrawRewards(k: DistrKeeper, ctx: Ctx, del: Uint8Array, val: Uint8Array): Coin[] {
  const v = k.staking.getValidator(ctx.store, val);
  if (!v) throw ErrNoValidatorDistInfo.wrap(valoperAddress(val));
  const d = k.staking.getDelegation(ctx.store, del, val);
  if (!d) throw ErrEmptyDelegationDistInfo.wrap(`${bech32Address(del)} has no delegation to ${valoperAddress(val)}`);
  const coins = withdrawDelegationRewards(k, ctx, val, v, del, d);
  initializeDelegation(k, ctx, val, del);
  return coins;
}

/** MsgWithdrawValidatorCommission: pays the whole coins of the accumulated commission; the fraction stays. */
export function withdrawCommission(k: DistrKeeper, ctx: Ctx, val: Uint8Array): Coin[] {
  const acc = k.commission(ctx.store, val);
  if (isZero(acc)) throw ErrNoValidatorCommission.wrap(valoperAddress(val));
  const { coins, change } = truncate(acc);
  k.setCommission(ctx.store, val, change);
  k.setOutstanding(ctx.store, val, subDec(k.outstanding(ctx.store, val), fromCoins(coins)));
  if (coins.length > 0) k.bank.sendCoinsFromModuleToAccount(ctx, ModuleName, k.withdrawAddress(ctx.store, val), coins);
  emitWithdrawCommission(ctx.events, coins);
  return coins;
}

/**
 * Authority rules (docs/distribution.md): MsgWithdrawDelegatorReward and MsgSetWithdrawAddress are signed by the
 * delegator; MsgWithdrawValidatorCommission by the operator account (the account whose bytes are the valoper).
 */
export function distributionMsgs(k: DistrKeeper): MsgHandler<never>[] {
  return [
    handler(DistributionTypeUrls.withdrawDelegatorReward, MsgWithdrawDelegatorReward, {
      validate: (m) => (addressBytes(m.delegatorAddress, "delegator address"), valoperBytes(m.validatorAddress)),
      signer: (m) => m.delegatorAddress,
      exec: (ctx, m) => MsgWithdrawDelegatorRewardResponse.encode({ amount: wireCoins(withdrawRewards(k, ctx, addressBytes(m.delegatorAddress), valoperBytes(m.validatorAddress))) }).finish(),
    }),
    handler(DistributionTypeUrls.withdrawValidatorCommission, MsgWithdrawValidatorCommission, {
      validate: (m) => void valoperBytes(m.validatorAddress),
      signer: (m) => bech32Address(valoperBytes(m.validatorAddress)),
      exec: (ctx, m) => MsgWithdrawValidatorCommissionResponse.encode({ amount: wireCoins(withdrawCommission(k, ctx, valoperBytes(m.validatorAddress))) }).finish(),
    }),
    handler(DistributionTypeUrls.setWithdrawAddress, MsgSetWithdrawAddress, {
      validate: (m) => (addressBytes(m.delegatorAddress, "delegator address"), addressBytes(m.withdrawAddress, "withdraw address")),
      signer: (m) => m.delegatorAddress,
      exec(ctx, m) {
        if (!k.getParams(ctx.store).withdrawAddrEnabled) throw ErrSetWithdrawAddrDisabled.wrap();
        if (k.bank.moduleAccounts.isModuleAddress(m.withdrawAddress)) throw ErrUnauthorized.wrap(`${m.withdrawAddress} is a module account and is not allowed to receive funds`);
        k.setWithdrawAddress(ctx.store, addressBytes(m.delegatorAddress), addressBytes(m.withdrawAddress));
        emitSetWithdrawAddress(ctx.events, m.withdrawAddress);
        return MsgSetWithdrawAddressResponse.encode({}).finish();
      },
    }),
  ];
}
