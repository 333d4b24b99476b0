import { AuthKeeper, authModule } from "../modules/auth/index.ts";
import { bankModule, ModuleAccounts, newBankKeeper, type BankKeeper, type ModulePermission } from "../modules/bank/index.ts";
import { RegistryKeeper, registryModule } from "../modules/registry/index.ts";
import { BondedPool, newStakingKeeper, NotBondedPool, stakingModule, type StakingKeeper } from "../modules/staking/index.ts";
import { moduleAddress } from "./address.ts";
import type { ModuleDescriptor } from "./module.ts";

/** The keepers, built once; modules reach each other only through expected-keeper interfaces. */
export interface Keepers {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly registry: RegistryKeeper;
  readonly staking: StakingKeeper;
}

export const FEE_COLLECTOR = moduleAddress("fee_collector");

/** Module accounts and what each may do (the SDK's maccPerms). Users cannot send to any of them. */
export const MODULE_ACCOUNT_PERMISSIONS: Readonly<Record<string, readonly ModulePermission[]>> = {
  fee_collector: [],
  [BondedPool]: ["burner", "staking"],
  [NotBondedPool]: ["burner", "staking"],
};

/** The begin- and end-blockers, in the order they run (by module name). */
export const BLOCKER_ORDER = { begin: ["staking"], end: ["staking"] } as const;

/** Wiring happens here and nowhere else (house rule 12). Order = genesis order (bank funds before staking bonds). */
export function buildModules(): { keepers: Keepers; modules: readonly ModuleDescriptor[] } {
  const auth = new AuthKeeper();
  const bank = newBankKeeper(auth, new ModuleAccounts(MODULE_ACCOUNT_PERMISSIONS));
  const registry = new RegistryKeeper();
  const staking = newStakingKeeper(bank);
  return {
    keepers: { auth, bank, registry, staking },
    modules: [authModule(auth), bankModule(bank), registryModule(registry), stakingModule(staking)],
  };
}
