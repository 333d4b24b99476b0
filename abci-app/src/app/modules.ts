import { AuthKeeper, authModule } from "../modules/auth/index.ts";
import { bankModule, newBankKeeper, type BankKeeper } from "../modules/bank/index.ts";
import { RegistryKeeper, registryModule } from "../modules/registry/index.ts";
import { moduleAddress } from "./address.ts";
import type { ModuleDescriptor } from "./module.ts";

/** The keepers, built once; modules reach each other only through expected-keeper interfaces. */
export interface Keepers {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly registry: RegistryKeeper;
}

export const FEE_COLLECTOR = moduleAddress("fee_collector");

/** Wiring happens here and nowhere else (house rule 12). Order = genesis order. */
export function buildModules(): { keepers: Keepers; modules: readonly ModuleDescriptor[] } {
  const auth = new AuthKeeper();
  const bank = newBankKeeper(auth);
  const registry = new RegistryKeeper();
  return { keepers: { auth, bank, registry }, modules: [authModule(auth), bankModule(bank), registryModule(registry)] };
}
