import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { ModuleAccountsView } from "./expected-keepers.ts";
import { authGenesis } from "./genesis.ts";
import type { AuthKeeper } from "./keeper.ts";
import { authCliQueries } from "./client/cli.ts";
import { authRoutes } from "./client/rest.ts";
import { authInvariants } from "./invariants.ts";
import { FeeCollectorName, ModuleName } from "./keys.ts";
import { authMsgs } from "./msgs.ts";
import { authQueries } from "./queries.ts";

export { AuthKeeper, AuthViewKeeper, PUBKEY_TYPE_SECP256K1 } from "./keeper.ts";
export { type AuthParams, type GasPrice, DefaultAuthParams, parseGasPrice, formatGasPrice, requiredFee } from "./types.ts";
export { authGenesisJson, authParamsJson, type AuthGenesis } from "./genesis.ts";
export { FeeCollectorName } from "./keys.ts";

/** `moduleAccounts`: every module's declared module accounts (filled while wiring; read by the queries only). */
export function authModule(keeper: AuthKeeper, moduleAccounts: ModuleAccountsView): ModuleDescriptor {
  return {
    name: ModuleName, msgs: authMsgs(), queries: authQueries(keeper, moduleAccounts), genesis: authGenesis(keeper), invariants: authInvariants(keeper),
    moduleAccounts: [{ name: FeeCollectorName, permissions: [] }],
    client: { rest: authRoutes, cli: authCliQueries },
  };
}
export { type AnteDeps, expiryError, runAnte, txDeadline } from "./ante.ts";
export { SigVerifyPool } from "./sig-verify-pool.ts";
export { pendingSignatures } from "./preverify.ts";
export { rememberVerified } from "./sig-verify.ts";
