import type { Invariant } from "../../sdk/module.ts";
import type { AuthViewKeeper } from "./keeper.ts";

/** Account numbers are unique (x/auth hands each new account the next one). */
export function authInvariants(keeper: AuthViewKeeper): Invariant[] {
  return [
    {
      name: "auth/unique-account-numbers",
      check(ctx) {
        const seen = new Map<bigint, string>();
        for (const a of keeper.iterateAccounts(ctx.store)) {
          const prev = seen.get(a.accountNumber);
          if (prev !== undefined) return { broken: true, msg: `account number ${a.accountNumber} is held by ${prev} and ${a.address}` };
          seen.set(a.accountNumber, a.address);
        }
        return { broken: false, msg: "" };
      },
    },
  ];
}
