import type { Invariant } from "../../../sdk/module.ts";
import type { CounterKeeper } from "./keeper.ts";

/** The count never goes down past zero (it only grows). */
export function counterInvariants(k: CounterKeeper): Invariant[] {
  return [{ name: "counter/non-negative", check: (ctx) => ({ broken: k.count(ctx.store) < 0n, msg: `count ${k.count(ctx.store)}` }) }];
}
