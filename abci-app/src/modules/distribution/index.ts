import { distributionCliQueries } from "./client/cli.ts";
import { distributionRoutes } from "./client/rest.ts";
import type { ModuleDescriptor } from "../../sdk/module.ts";
import { allocateTokens } from "./allocation.ts";
import type { BankKeeper, StakingKeeper } from "./expected-keepers.ts";
import { distributionGenesis } from "./genesis.ts";
import { distributionHooks } from "./hooks.ts";
import { distributionInvariants } from "./invariants.ts";
import { DistrKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { distributionMsgs } from "./msgs.ts";
import { distributionQueries } from "./queries.ts";

export { DistrKeeper, DistrViewKeeper } from "./keeper.ts";
export { ModuleName as DistributionModuleName } from "./keys.ts";
export { DistributionTypeUrls } from "./msgs.ts";
export { distributionGenesisJson, type DistributionGenesis } from "./genesis.ts";
export { DefaultParams as DefaultDistributionParams } from "./types.ts";
export { distributionHooks };

export function newDistrKeeper(bank: BankKeeper, staking: StakingKeeper): DistrKeeper {
  return new DistrKeeper(bank, staking);
}

export function distributionModule(k: DistrKeeper): ModuleDescriptor {
  return {
    name: ModuleName,
    client: { rest: distributionRoutes, cli: distributionCliQueries },
    moduleAccounts: [{ name: ModuleName, permissions: [] }],
    msgs: distributionMsgs(k),
    queries: distributionQueries(k, k.staking),
    genesis: distributionGenesis(k),
    invariants: distributionInvariants(k, k.staking, k.bank),
    beginBlock: (ctx) => allocateTokens(k, ctx, ctx.block.lastCommitVotes),
  };
}
