import type { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { valoperAddress } from "../../sdk/address.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { addDec, fromCoins, mulDecTruncate, subDec, type DecCoins } from "./dec-coins.ts";
import { emitAllocation } from "./events.ts";
import type { DistrCtx } from "./expected-keepers.ts";
import type { DistrKeeper } from "./keeper.ts";
import { FeeCollectorName, ModuleName } from "./keys.ts";

/**
 * A validator's share of a block's rewards: commission (rate × tokens, truncated) to its accumulated commission,
 * the rest to its current-period rewards (for its delegators, F1), all of it to its outstanding rewards.
 */
export function allocateTokensToValidator(k: DistrKeeper, ctx: DistrCtx, val: Uint8Array, v: Validator, tokens: DecCoins): void {
  const commission = mulDecTruncate(tokens, BigInt(v.commission?.commissionRates?.rate ?? "0"));
  const shared = subDec(tokens, commission);
  k.setCommission(ctx.store, val, addDec(k.commission(ctx.store, val), commission));
  const cur = k.currentRewards(ctx.store, val);
  if (!cur) throw new Error(`distribution: no current rewards for ${valoperAddress(val)}`);
  k.setCurrentRewards(ctx.store, val, { ...cur, rewards: addDec(cur.rewards, shared) });
  k.setOutstanding(ctx.store, val, addDec(k.outstanding(ctx.store, val), tokens));
  emitAllocation(ctx.events, valoperAddress(val), commission, tokens);
}

/**
 * BeginBlock (the SDK's AllocateTokens): everything in the fee collector (the previous block's fees and this
 * block's provision) moves to the distribution account. The community tax stays in the community pool; the rest
 * is shared by the validators that signed the previous block (`decided_last_commit` votes with a COMMIT flag),
 * in proportion to their power. Every share is truncated; what truncation leaves, and the share of a signer no
 * longer known, goes to the community pool, so sum(outstanding) + pool grows by exactly what was collected.
 * O(validators in the last commit) per block; delegators are never touched.
 */
export function allocateTokens(k: DistrKeeper, ctx: DistrCtx, votes: readonly VoteInfo[]): void {
  const collected = k.bank.getAllBalances(ctx.store, k.bank.moduleAccounts.get(FeeCollectorName).address);
  if (collected.length === 0) return;
  k.bank.sendCoinsFromModuleToModule(ctx, FeeCollectorName, ModuleName, collected);
  const fees = fromCoins(collected);
  const signers = votes.filter((v) => v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT && v.validator.power > 0n);
  const total = signers.reduce((s, v) => s + v.validator.power, 0n);
  let remaining = fees;
  if (total > 0n) {
    const forValidators = mulDecTruncate(fees, DEC_ONE - k.getParams(ctx.store).communityTax);
    for (const vote of signers) {
      const val = k.staking.validatorByConsAddr(ctx.store, vote.validator.address);
      const v = val && k.staking.getValidator(ctx.store, val);
      if (!val || !v) continue;
      const reward = mulDecTruncate(forValidators, (vote.validator.power * DEC_ONE) / total);
      allocateTokensToValidator(k, ctx, val, v, reward);
      remaining = subDec(remaining, reward);
    }
  }
  k.setCommunityPool(ctx.store, addDec(k.communityPool(ctx.store), remaining));
}
