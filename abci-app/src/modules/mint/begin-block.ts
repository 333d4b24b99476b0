import type { BankCtx } from "./expected-keepers.ts";
import { emitMint } from "./events.ts";
import type { MintKeeper } from "./keeper.ts";
import { blockProvision, bondedRatio, nextAnnualProvisions, nextInflationRate } from "./minter.ts";
import { FeeCollectorName, ModuleName } from "./keys.ts";

/**
 * The SDK's x/mint BeginBlocker: recompute inflation from the bonded ratio, annual provisions from the supply,
 * mint this block's provision into the mint module account and move it to the fee collector, where distribution
 * picks it up (with the fees) in its own BeginBlock. O(1) per block.
 */
export function mintBlockProvision(k: MintKeeper, ctx: BankCtx): bigint {
  const params = k.getParams(ctx.store);
  const supply = k.bank.getSupply(ctx.store, params.mintDenom);
  const ratio = bondedRatio(k.staking.totalBondedTokens(ctx.store), supply);
  const inflation = nextInflationRate(params, k.getMinter(ctx.store), ratio);
  const minter = { inflation, annualProvisions: nextAnnualProvisions(inflation, supply) };
  k.setMinter(ctx.store, minter);
  const provision = blockProvision(params, minter);
  if (provision > 0n) {
    const coins = [{ denom: params.mintDenom, amount: provision }];
    k.bank.mintCoinsToModule(ctx, ModuleName, coins);
    k.bank.sendCoinsFromModuleToModule(ctx, ModuleName, FeeCollectorName, coins);
  }
  k.recordProvision(ctx.store, provision);
  emitMint(ctx.events, { bondedRatio: ratio, inflation, annualProvisions: minter.annualProvisions, amount: provision });
  return provision;
}
