import { leasingCliQueries } from "./client/cli.ts";
import { leasingRoutes } from "./client/rest.ts";
import type { ModuleDescriptor } from "../../sdk/module.ts";
import type { BankKeeper, MintKeeper } from "./expected-keepers.ts";
import { leasingGenesis } from "./genesis.ts";
import { leasingInvariants } from "./invariants.ts";
import { LeasingKeeper } from "./keeper.ts";
import { EscrowAccount, ModuleName, RewardsAccount } from "./keys.ts";
import { leasingMsgs } from "./msgs.ts";
import { leasingQueries } from "./queries.ts";

export { LeasingKeeper, LeasingViewKeeper } from "./keeper.ts";
// Client side (the CLI and the provider daemon): the declared queries, the reads they make, the records' views.
export { leasingCli } from "./client/cli.ts";
export { fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, parseLeaseId } from "./client/reads.ts";
export { LEASE_STATE_FILTERS, leaseJson, leaseText, providerJson, providerText, stateName } from "./client/view.ts";
export { EscrowAccount as LeasingEscrowAccount, RewardsAccount as LeasingRewardsAccount, SUPPORTED_IMAGES } from "./keys.ts";
export { leasingGenesisJson, leasingGenesisToJson } from "./genesis.ts";
export { DefaultParams as DefaultLeasingParams, leaseRate } from "./params.ts";
export { fingerprintOf, parseSshPublicKey } from "./ssh-keys.ts";
export { validateProviderAttributes, validateProviderEndpoint, validateSshEndpoint, validateSshKeys } from "./validate.ts";
export * as leasingTypes from "./types.ts";
export { leasingMsgTypes } from "./types.ts";
export type { MintKeeper } from "./expected-keepers.ts";

export function newLeasingKeeper(bank: BankKeeper, mint: MintKeeper): LeasingKeeper {
  return new LeasingKeeper(bank, mint);
}

/** BeginBlock pays the providers' share of the provision into the reward pool; EndBlock runs the bounded sweep. */
export function leasingModule(k: LeasingKeeper, bank: BankKeeper): ModuleDescriptor {
  return {
    name: ModuleName,
    moduleAccounts: [{ name: EscrowAccount, permissions: ["burner"] }, { name: RewardsAccount, permissions: ["burner"] }],
    client: { rest: leasingRoutes, cli: leasingCliQueries },
    msgs: leasingMsgs(k),
    queries: leasingQueries(k),
    genesis: leasingGenesis(k),
    invariants: leasingInvariants(k, bank),
    beginBlock: (ctx) => void k.allocateRewards(ctx),
    endBlock: (ctx) => void k.sweep(ctx),
  };
}
