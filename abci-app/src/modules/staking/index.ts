import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { stakingGenesis } from "./genesis.ts";
import { stakingInvariants } from "./invariants.ts";
import { StakingKeeper } from "./keeper.ts";
import { BondedPool, ModuleName, NotBondedPool } from "./keys.ts";
import { stakingMsgs } from "./msgs.ts";
import { stakingQueries } from "./queries.ts";
import { stakingCliQueries } from "./client/cli.ts";
import { stakingRoutes } from "./client/rest.ts";
import { applyValidatorSetUpdates, completeMaturedQueues, completeMaturedValidators, trackHistoricalInfo } from "./valset.ts";

export { StakingKeeper, StakingViewKeeper } from "./keeper.ts";
export { BondedPool, NotBondedPool } from "./keys.ts";
export { StakingTypeUrls } from "./msgs.ts";
export { stakingSlashingKeeper } from "./slash.ts";
export { consAddressOf, VALOPER_PREFIX, valoperAddress, valoperBytes } from "./addresses.ts";
export { stakingGenesisJson, type StakingGenesis } from "./genesis.ts";
export { formatDec } from "./dec.ts";
export { parseParams as parseStakingParams } from "./params.ts";
export { DefaultParams as DefaultStakingParams, POWER_REDUCTION } from "./types.ts";

export function newStakingKeeper(bank: BankKeeper): StakingKeeper {
  return new StakingKeeper(bank);
}

export function stakingModule(k: StakingKeeper): ModuleDescriptor {
  return {
    name: ModuleName,
    client: { rest: stakingRoutes, cli: stakingCliQueries },
    msgs: stakingMsgs(k),
    queries: stakingQueries(k, k.bank),
    genesis: stakingGenesis(k),
    invariants: stakingInvariants(k, k.bank),
    moduleAccounts: [{ name: BondedPool, permissions: ["burner", "staking"] }, { name: NotBondedPool, permissions: ["burner", "staking"] }],
    beginBlock: (ctx) => trackHistoricalInfo(k, ctx),
    endBlock(ctx) {
      completeMaturedValidators(k, ctx);
      const updates = applyValidatorSetUpdates(k, ctx);
      completeMaturedQueues(k, ctx);
      return updates;
    },
  };
}
