import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { RegistryBankKeeper } from "./expected-keepers.ts";
import { registryGenesis } from "./genesis.ts";
import type { RegistryKeeper } from "./keeper.ts";
import { registryCliQueries } from "./client/cli.ts";
import { registryRoutes } from "./client/rest.ts";
import { registryInvariants } from "./invariants.ts";
import { ModuleName } from "./keys.ts";
import { registryMsgs } from "./msgs.ts";
import { registryQueries } from "./queries.ts";

export { RegistryKeeper, RegistryViewKeeper } from "./keeper.ts";
export * as registryTypes from "./types.ts";
export { registryMsgTypes } from "./types.ts";
export { registryGenesisJson, type RegistryGenesis } from "./genesis.ts";
export { validateNamespace as validateRegistryNamespace, validateRepo as validateRegistryRepo } from "./names.ts";

export { DefaultParams as DefaultRegistryParams } from "./params.ts";

/** The registry module account (no permissions) holds the namespaces' deposits. */
export function registryModule(keeper: RegistryKeeper, bank: Pick<RegistryBankKeeper, "getBalance">): ModuleDescriptor {
  return {
    name: ModuleName, msgs: registryMsgs(keeper), queries: registryQueries(keeper), genesis: registryGenesis(keeper), invariants: registryInvariants(keeper, bank),
    moduleAccounts: [{ name: ModuleName, permissions: [] }],
    client: { rest: registryRoutes, cli: registryCliQueries },
  };
}
