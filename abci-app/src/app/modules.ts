import { AuthKeeper, authModule } from "../modules/auth/index.ts";
import { bankModule, ModuleAccounts, newBankKeeper, type BankKeeper } from "../modules/bank/index.ts";
import { RegistryKeeper, registryModule } from "../modules/registry/index.ts";
import { newStakingKeeper, stakingModule, stakingSlashingKeeper, type StakingKeeper } from "../modules/staking/index.ts";
import type { CliQuery } from "../sdk/client/cli-query.ts";
import { MintModuleName, mintModule, newMintKeeper, type MintKeeper } from "../modules/mint/index.ts";
import { DistributionModuleName, distributionHooks, distributionModule, newDistrKeeper, type DistrKeeper } from "../modules/distribution/index.ts";
import { newSlashingKeeper, slashingHooks, slashingModule, type SlashingKeeper } from "../modules/slashing/index.ts";
import { ConsensusParamsKeeper } from "./consensus-params.ts";
import { type LeasingKeeper, leasingModule, newLeasingKeeper } from "../modules/leasing/index.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";

/** The keepers, built once; modules reach each other only through expected-keeper interfaces. */
export interface Keepers {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly registry: RegistryKeeper;
  readonly staking: StakingKeeper;
  readonly mint: MintKeeper;
  readonly distribution: DistrKeeper;
  readonly slashing: SlashingKeeper;
  readonly consensus: ConsensusParamsKeeper;
  readonly leasing: LeasingKeeper;
}

/** The begin- and end-blockers, in the order they run (by module name): the SDK module manager's SetOrderBeginBlockers/EndBlockers. */
export interface BlockerOrder {
  readonly begin: readonly string[];
  readonly end: readonly string[];
}

export const BLOCKER_ORDER: BlockerOrder = { begin: [MintModuleName, "leasing", DistributionModuleName, "slashing", "staking"], end: ["leasing", "staking"] };

/** The modules, their keepers and the blocker order: what TrustNetApp runs (tests may add a module to a copy). */
export interface AppWiring {
  readonly keepers: Keepers;
  readonly modules: readonly ModuleDescriptor[];
  readonly order: BlockerOrder;
}

/**
 * Wiring happens here and nowhere else (house rule 12). The module list is the genesis order (bank funds before
 * staking bonds); a new module is one line in it and one in BLOCKER_ORDER when it has a blocker.
 */
export function buildModules(): AppWiring {
  const auth = new AuthKeeper();
  const moduleAccounts = new ModuleAccounts();
  const bank = newBankKeeper(auth, moduleAccounts);
  const registry = new RegistryKeeper(bank);
  const staking = newStakingKeeper(bank);
  const mint = newMintKeeper(bank, staking);
  const distribution = newDistrKeeper(bank, staking);
  // leasing's begin-blocker runs between mint and distribution: it takes the providers' share of this block's provision
  // from the fee collector before distribution sweeps it.
  const leasing = newLeasingKeeper(bank, mint);
  const consensus = new ConsensusParamsKeeper();
  const slashing = newSlashingKeeper(stakingSlashingKeeper(staking), consensus);
  staking.setHooks([distributionHooks(distribution), slashingHooks(slashing)]);
  const modules: readonly ModuleDescriptor[] = [
    authModule(auth, moduleAccounts),
    bankModule(bank),
    registryModule(registry, bank),
    mintModule(mint),
    distributionModule(distribution),
    slashingModule(slashing),
    stakingModule(staking),
    leasingModule(leasing, bank),
  ];
  moduleAccounts.declare(modules.flatMap((m) => m.moduleAccounts ?? []));
  return { keepers: { auth, bank, registry, staking, mint, distribution, slashing, consensus, leasing }, modules, order: BLOCKER_ORDER };
}

/** Every module's CLI queries, in module order: `trustnet query <module> <name>` (cli/ builds the commands). */
export function moduleCliQueries(modules: readonly ModuleDescriptor[] = buildModules().modules): { readonly module: string; readonly queries: readonly CliQuery[] }[] {
  return modules.flatMap((m) => (m.client?.cli && m.client.cli.length > 0 ? [{ module: m.name, queries: m.client.cli }] : []));
}

/**
 * The addresses that must sign a tx of `messages` (type URL and encoded value), unique, in order of first appearance:
 * what the ante handler requires (sdk/tx/decode.ts' txSigners), for a client signing a tx it did not build (the CLI's
 * `tx sign`). A type the app does not route throws.
 */
export function messageSigners(messages: readonly { readonly typeUrl: string; readonly value: Uint8Array }[], modules: readonly ModuleDescriptor[] = buildModules().modules): string[] {
  const handlers = new Map(modules.flatMap((m) => (m.msgs ?? []).map((h) => [h.typeUrl, h] as const)));
  const out: string[] = [];
  for (const m of messages) {
    const h = handlers.get(m.typeUrl);
    if (!h) throw new Error(`${m.typeUrl} is not a message this chain routes`);
    for (const s of h.signers(h.decode(m.value))) if (!out.includes(s)) out.push(s);
  }
  return out;
}
