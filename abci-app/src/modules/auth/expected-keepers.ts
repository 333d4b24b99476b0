import type { Coin } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";

/** What the ante handler needs of the bank module: moving the fee to the fee collector (x/auth's BankKeeper). */
export interface BankKeeper {
  sendCoins(ctx: Ctx, from: string, to: string, coins: readonly Coin[]): void;
}

/** The module accounts the modules declare (bank's ModuleAccounts): name, address and the SDK's permission names. */
export interface ModuleAccountsView {
  list(): readonly { readonly name: string; readonly address: string; readonly permissions: readonly string[] }[];
}
