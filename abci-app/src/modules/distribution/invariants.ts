import type { QueryCtx } from "../../sdk/context.ts";
import type { Invariant } from "../../sdk/module.ts";
import { addDec, anyNegative, equalDec, fromCoins, lte, showDec as show, type DecCoins } from "./dec-coins.ts";
import type { BankKeeper, StakingKeeper } from "./expected-keepers.ts";
import type { DistrViewKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { pendingRewards } from "./queries.ts";
import { addressBytes, valoperBytes } from "../../sdk/address.ts";

const ok = { broken: false, msg: "" };

/**
 * The SDK's distribution invariants (full scans, run after every block in tests, never in block execution):
 * - nonnegative-outstanding: no validator's outstanding rewards are negative;
 * - can-withdraw: every validator's delegations could withdraw their rewards now without exceeding its
 *   outstanding rewards (what was distributed to it and not yet paid);
 * - reference-count: every historical period is referenced exactly by the current period, the delegations
 *   starting there and the slash events recorded there;
 * - module-account: the distribution account holds exactly sum(outstanding) + community pool, to the 10^-18:
 *   rounding dust is never lost, it sits in the community pool or in outstanding rewards.
 */
export function distributionInvariants(k: DistrViewKeeper, staking: StakingKeeper, bank: Pick<BankKeeper, "getAllBalances" | "moduleAccounts">): Invariant[] {
  const outstandingSum = (ctx: QueryCtx): DecCoins => {
    let sum: DecCoins = [];
    for (const [, o] of k.iterateOutstanding(ctx.store)) sum = addDec(sum, o);
    return sum;
  };
  return [
    {
      name: "distribution/nonnegative-outstanding",
      check(ctx) {
        for (const [, o] of k.iterateOutstanding(ctx.store)) if (anyNegative(o)) return { broken: true, msg: `negative outstanding rewards ${show(o)}` };
        return ok;
      },
    },
    {
      name: "distribution/can-withdraw",
      check(ctx) {
        const owed = new Map<string, DecCoins>();
        for (const d of staking.iterateAllDelegations(ctx.store)) {
          const val = valoperBytes(d.validatorAddress);
          const v = staking.getValidator(ctx.store, val);
          if (!v) return { broken: true, msg: `delegation to missing validator ${d.validatorAddress}` };
          owed.set(d.validatorAddress, addDec(owed.get(d.validatorAddress) ?? [], pendingRewards(k, ctx.store, ctx.height, val, v, addressBytes(d.delegatorAddress), d)));
        }
        for (const [valoper, r] of owed) {
          const o = k.outstanding(ctx.store, valoperBytes(valoper));
          if (!lte(r, o)) return { broken: true, msg: `${valoper}: delegations are owed ${show(r)} but only ${show(o)} is outstanding` };
        }
        return ok;
      },
    },
    {
      name: "distribution/reference-count",
      check(ctx) {
        let expected = 0n;
        for (const _ of staking.iterateValidators(ctx.store)) expected++;
        for (const _ of staking.iterateAllDelegations(ctx.store)) expected++;
        for (const _ of k.iterateAllSlashEvents(ctx.store)) expected++;
        let count = 0n;
        for (const [, , h] of k.iterateHistorical(ctx.store)) count += BigInt(h.referenceCount);
        return count === expected ? ok : { broken: true, msg: `historical reference count ${count} != validators + delegations + slash events ${expected}` };
      },
    },
    {
      name: "distribution/module-account",
      check(ctx) {
        const held = fromCoins(bank.getAllBalances(ctx.store, bank.moduleAccounts.get(ModuleName).address));
        const expected = addDec(outstandingSum(ctx), k.communityPool(ctx.store));
        if (!equalDec(held, expected)) return { broken: true, msg: `distribution account holds ${show(held)} but outstanding + community pool is ${show(expected)}` };
        return ok;
      },
    },
  ];
}
