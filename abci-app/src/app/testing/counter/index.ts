// The counter test module's descriptor: what the app wires (one line in the module list, one in BLOCKER_ORDER.end).
import type { ModuleDescriptor } from "../../../sdk/module.ts";
import { counterRoutes } from "./client/rest.ts";
import type { AccountKeeper } from "./expected-keepers.ts";
import { counterGenesis } from "./genesis.ts";
import { counterInvariants } from "./invariants.ts";
import { CounterKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { counterMsgs } from "./msgs.ts";
import { counterQueries } from "./queries.ts";

export { CountPath } from "./queries.ts";
export { MsgIncrement, QueryCountResponse } from "./types.ts";

export function counterModule(accounts: AccountKeeper): ModuleDescriptor {
  const k = new CounterKeeper(accounts);
  return {
    name: ModuleName, msgs: counterMsgs(k), queries: counterQueries(k), genesis: counterGenesis(k), invariants: counterInvariants(k),
    /** After a block that changed the count, the validator with the genesis key gets power = count. */
    endBlock: (ctx) => (k.takeDirty(ctx.store) ? [{ pubKey: { ed25519: k.validatorKey(ctx.store) }, power: k.count(ctx.store) }] : []),
    client: { rest: counterRoutes, cli: [] },
  };
}
