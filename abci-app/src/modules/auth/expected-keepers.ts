import type { Coin } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";

/** What the ante handler needs of the bank module: moving the fee to the fee collector (x/auth's BankKeeper). */
export interface BankKeeper {
  sendCoins(ctx: Ctx, from: string, to: string, coins: readonly Coin[]): void;
}
