import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { AccountKeeper } from "./expected-keepers.ts";
import { bankGenesis } from "./genesis.ts";
import { bankInvariants } from "./invariants.ts";
import { BankKeeper } from "./keeper.ts";
import { bankCliQueries } from "./client/cli.ts";
import { bankRoutes } from "./client/rest.ts";
import { ModuleName } from "./keys.ts";
import type { ModuleAccounts } from "./module-accounts.ts";
import { bankMsgs } from "./msgs.ts";
import { bankQueries } from "./queries.ts";

export { BankKeeper, BankViewKeeper } from "./keeper.ts";
export { MsgSendTypeUrl, MsgMultiSendTypeUrl } from "./msgs.ts";
export { bankGenesisJson, bankGenesisOf, type BankGenesis } from "./genesis.ts";
export { allBalancesOf } from "./client/cli.ts";

export { ModuleAccounts, type ModulePermission } from "./module-accounts.ts";

export function newBankKeeper(accounts: AccountKeeper, moduleAccounts?: ModuleAccounts): BankKeeper {
  return new BankKeeper(accounts, moduleAccounts);
}

export function bankModule(keeper: BankKeeper): ModuleDescriptor {
  return {
    name: ModuleName, msgs: bankMsgs(keeper), queries: bankQueries(keeper), genesis: bankGenesis(keeper), invariants: bankInvariants(keeper),
    client: { rest: bankRoutes, cli: bankCliQueries },
  };
}
