import type { SlashingKeeper } from "./keeper.ts";
import { newSigningInfo } from "./infractions.ts";
import type { SlashCtx } from "./expected-keepers.ts";

/**
 * x/slashing's staking hooks: a validator entering the bonded set starts (or restarts) its signing window at this
 * height, so a newcomer or an unjailed validator gets a full window before liveness can jail it.
 */
export function slashingHooks(k: SlashingKeeper) {
  return {
    afterValidatorBonded(ctx: SlashCtx, cons: Uint8Array): void {
      const info = k.getSigningInfo(ctx.store, cons);
      k.setSigningInfo(ctx.store, cons, info ? { ...info, startHeight: ctx.height } : newSigningInfo(cons, ctx.height));
    },
  };
}
