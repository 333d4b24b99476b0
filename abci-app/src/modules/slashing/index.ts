import { slashingCliQueries } from "./client/cli.ts";
import { slashingRoutes } from "./client/rest.ts";
import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { ConsensusParamsKeeper, StakingKeeper } from "./expected-keepers.ts";
import { slashingGenesis } from "./genesis.ts";
import { beginBlocker } from "./infractions.ts";
import { slashingInvariants } from "./invariants.ts";
import { SlashingKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { slashingMsgs } from "./msgs.ts";
import { slashingQueries } from "./queries.ts";

export { SlashingKeeper, valconsAddress } from "./keeper.ts";
export { slashingHooks } from "./hooks.ts";
export { MsgUnjailTypeUrl } from "./msgs.ts";
export { slashingGenesisJson, type SlashingGenesis } from "./genesis.ts";
export { DefaultParams as DefaultSlashingParams } from "./types.ts";
export type { EvidenceParams } from "./expected-keepers.ts";

export function newSlashingKeeper(staking: StakingKeeper, consensus: ConsensusParamsKeeper): SlashingKeeper {
  return new SlashingKeeper(staking, consensus);
}

export function slashingModule(k: SlashingKeeper): ModuleDescriptor {
  return {
    name: ModuleName,
    client: { rest: slashingRoutes, cli: slashingCliQueries },
    msgs: slashingMsgs(k),
    queries: slashingQueries(k),
    genesis: slashingGenesis(k),
    invariants: slashingInvariants(k),
    beginBlock: (ctx) => beginBlocker(k, ctx),
  };
}
