import type { DistrCtx } from "./expected-keepers.ts";
import { incrementValidatorPeriod, initializeDelegation, initializeValidator, recordSlash, removeValidatorRecords, withdrawDelegationRewards } from "./f1.ts";
import type { DistrKeeper } from "./keeper.ts";

/** The staking hooks distribution implements (x/distribution/keeper/hooks.go); the app registers them with staking. */
export interface DistributionHooks {
  afterValidatorCreated(ctx: DistrCtx, val: Uint8Array): void;
  afterValidatorRemoved(ctx: DistrCtx, cons: Uint8Array, val: Uint8Array): void;
  beforeDelegationCreated(ctx: DistrCtx, del: Uint8Array, val: Uint8Array): void;
  beforeDelegationSharesModified(ctx: DistrCtx, del: Uint8Array, val: Uint8Array): void;
  afterDelegationModified(ctx: DistrCtx, del: Uint8Array, val: Uint8Array): void;
  beforeValidatorSlashed(ctx: DistrCtx, val: Uint8Array, fraction: bigint): void;
}

export function distributionHooks(k: DistrKeeper): DistributionHooks {
  const validator = (ctx: DistrCtx, val: Uint8Array) => {
    const v = k.staking.getValidator(ctx.store, val);
    if (!v) throw new Error("distribution hook: validator not found");
    return v;
  };
  return {
    afterValidatorCreated: (ctx, val) => initializeValidator(k, ctx, val),
    afterValidatorRemoved: (ctx, _cons, val) => removeValidatorRecords(k, ctx, val),
    /** A new delegation starts a new period, so the old stake's rewards are settled in the ratio. */
    beforeDelegationCreated: (ctx, _del, val) => void incrementValidatorPeriod(k, ctx, val, validator(ctx, val)),
    /** A changing delegation withdraws its rewards first (the SDK's auto-withdraw on delegate/undelegate/redelegate). */
    beforeDelegationSharesModified(ctx, del, val) {
      const d = k.staking.getDelegation(ctx.store, del, val);
      if (d) withdrawDelegationRewards(k, ctx, val, validator(ctx, val), del, d);
    },
    afterDelegationModified: (ctx, del, val) => initializeDelegation(k, ctx, val, del),
    beforeValidatorSlashed: (ctx, val, fraction) => recordSlash(k, ctx, val, validator(ctx, val), fraction),
  };
}
