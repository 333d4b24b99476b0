import type { ModuleDescriptor } from "../../sdk/module.ts";
import { authGenesis } from "./genesis.ts";
import type { AuthKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { authQueries } from "./queries.ts";

export { AuthKeeper, AuthViewKeeper, PUBKEY_TYPE_SECP256K1 } from "./keeper.ts";
export { type AuthParams, type GasPrice, DefaultAuthParams, parseGasPrice, formatGasPrice, requiredFee } from "./types.ts";
export { authParamsJson, type AuthGenesis } from "./genesis.ts";

export function authModule(keeper: AuthKeeper): ModuleDescriptor {
  return { name: ModuleName, queries: authQueries(keeper), genesis: authGenesis(keeper) };
}
export { type AnteDeps, runAnte } from "./ante.ts";
