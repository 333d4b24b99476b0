import type { Invariant } from "../../sdk/module.ts";
import type { BankViewKeeper } from "./keeper.ts";

/** Total supply of each denom equals the sum of all balances of it. */
export function bankInvariants(keeper: BankViewKeeper): Invariant[] {
  return [
    {
      name: "bank/total-supply",
      check(ctx) {
        const sums = new Map<string, bigint>();
        for (const e of keeper.iterateAllBalances(ctx.store)) {
          if (e.amount <= 0n) return { broken: true, msg: `non-positive balance ${e.amount}${e.denom}` };
          sums.set(e.denom, (sums.get(e.denom) ?? 0n) + e.amount);
        }
        const supply = keeper.getTotalSupply(ctx.store);
        for (const s of supply) {
          if ((sums.get(s.denom) ?? 0n) !== s.amount) return { broken: true, msg: `supply ${s.amount}${s.denom} != sum of balances ${sums.get(s.denom) ?? 0n}` };
          sums.delete(s.denom);
        }
        for (const [denom, amount] of sums) return { broken: true, msg: `balances hold ${amount}${denom} with no supply` };
        return { broken: false, msg: "" };
      },
    },
  ];
}
