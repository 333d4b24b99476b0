import type { ModuleDescriptor } from "../../sdk/module.ts";
import { registryGenesis } from "./genesis.ts";
import type { RegistryKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { registryMsgs } from "./msgs.ts";
import { registryQueries } from "./queries.ts";

export { RegistryKeeper, RegistryViewKeeper } from "./keeper.ts";
export * as registryTypes from "./types.ts";
export { registryMsgTypes } from "./types.ts";

export function registryModule(keeper: RegistryKeeper): ModuleDescriptor {
  return { name: ModuleName, msgs: registryMsgs(keeper), queries: registryQueries(keeper), genesis: registryGenesis(keeper) };
}
