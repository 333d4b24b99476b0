import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Invariant } from "../../sdk/module.ts";
import type { QueryCtx } from "../../sdk/context.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { isBonded, sharesOf, type StakingViewKeeper, tokensOf } from "./keeper.ts";
import { BondedPool, NotBondedPool } from "./keys.ts";

const ok = { broken: false, msg: "" };

/**
 * The SDK's staking invariants, run after every block in tests (full scans: never in block execution):
 * - module-accounts: the bonded pool holds exactly the bonded validators' tokens; the not-bonded pool exactly the
 *   other validators' tokens plus every unbonding entry's balance;
 * - nonnegative: no validator tokens/shares, delegation shares or entry balance below zero (or zero shares stored);
 * - delegator-shares: a validator's delegator_shares is the sum of its delegations' shares.
 */
export function stakingInvariants(k: StakingViewKeeper, bank: Pick<BankKeeper, "getBalance" | "moduleAccounts">): Invariant[] {
  const pool = (ctx: QueryCtx, name: string): bigint => bank.getBalance(ctx.store, bank.moduleAccounts.get(name).address, k.getParams(ctx.store).bondDenom);
  return [
    {
      name: "staking/module-accounts",
      check(ctx) {
        let bonded = 0n;
        let notBonded = 0n;
        for (const [, v] of k.iterateValidators(ctx.store)) {
          if (isBonded(v)) bonded += tokensOf(v);
          else notBonded += tokensOf(v);
        }
        for (const u of k.iterateAllUnbondings(ctx.store)) for (const e of u.entries) notBonded += BigInt(e.balance);
        const b = pool(ctx, BondedPool);
        const nb = pool(ctx, NotBondedPool);
        if (b !== bonded) return { broken: true, msg: `bonded pool ${b} != bonded validators' tokens ${bonded}` };
        if (nb !== notBonded) return { broken: true, msg: `not-bonded pool ${nb} != unbonded validators' tokens + unbonding entries ${notBonded}` };
        return ok;
      },
    },
    {
      name: "staking/nonnegative",
      check(ctx) {
        for (const [, v] of k.iterateValidators(ctx.store)) {
          if (tokensOf(v) < 0n || sharesOf(v) < 0n) return { broken: true, msg: `validator ${v.operatorAddress} has negative tokens or shares` };
          if (v.status === BondStatus.BOND_STATUS_UNSPECIFIED) return { broken: true, msg: `validator ${v.operatorAddress} has no status` };
        }
        for (const d of k.iterateAllDelegations(ctx.store)) if (BigInt(d.shares) <= 0n) return { broken: true, msg: `delegation ${d.delegatorAddress}->${d.validatorAddress} has shares ${d.shares}` };
        for (const u of k.iterateAllUnbondings(ctx.store)) for (const e of u.entries) if (BigInt(e.balance) < 0n) return { broken: true, msg: `negative unbonding balance of ${u.delegatorAddress}` };
        return ok;
      },
    },
    {
      name: "staking/delegator-shares",
      check(ctx) {
        const sums = new Map<string, bigint>();
        for (const d of k.iterateAllDelegations(ctx.store)) sums.set(d.validatorAddress, (sums.get(d.validatorAddress) ?? 0n) + BigInt(d.shares));
        for (const [, v] of k.iterateValidators(ctx.store)) {
          if ((sums.get(v.operatorAddress) ?? 0n) !== sharesOf(v)) return { broken: true, msg: `validator ${v.operatorAddress} shares ${sharesOf(v)} != sum of delegations ${sums.get(v.operatorAddress) ?? 0n}` };
          sums.delete(v.operatorAddress);
        }
        for (const [val] of sums) return { broken: true, msg: `delegations to a missing validator ${val}` };
        return ok;
      },
    },
  ];
}
