import { mintCliQueries } from "./client/cli.ts";
import { mintRoutes } from "./client/rest.ts";
import type { ModuleDescriptor } from "../../sdk/module.ts";
import { mintBlockProvision } from "./begin-block.ts";
import type { BankKeeper, StakingKeeper } from "./expected-keepers.ts";
import { mintGenesis } from "./genesis.ts";
import { mintInvariants } from "./invariants.ts";
import { MintKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { mintMsgs } from "./msgs.ts";
import { mintQueries } from "./queries.ts";

export { MintKeeper, MintViewKeeper } from "./keeper.ts";
export { ModuleName as MintModuleName } from "./keys.ts";
export { mintGenesisJson, type MintGenesis } from "./genesis.ts";
export { DefaultParams as DefaultMintParams, DefaultMinter } from "./types.ts";

export function newMintKeeper(bank: BankKeeper, staking: StakingKeeper): MintKeeper {
  return new MintKeeper(bank, staking);
}

export function mintModule(k: MintKeeper): ModuleDescriptor {
  return {
    name: ModuleName,
    client: { rest: mintRoutes, cli: mintCliQueries },
    moduleAccounts: [{ name: ModuleName, permissions: ["minter"] }],
    msgs: mintMsgs(),
    queries: mintQueries(k),
    genesis: mintGenesis(k),
    invariants: mintInvariants(k, k.bank),
    beginBlock: (ctx) => void mintBlockProvision(k, ctx),
  };
}
