import { AuthKeeper, authModule } from "../modules/auth/index.ts";
import { bankModule, ModuleAccounts, newBankKeeper, type BankKeeper, type ModulePermission } from "../modules/bank/index.ts";
import { type LeasingKeeper, LeasingEscrowAccount, leasingModule, LeasingRewardsAccount, type MintKeeper, newLeasingKeeper } from "../modules/leasing/index.ts";
import { RegistryKeeper, registryModule, registryMsgTypes, registryTypes } from "../modules/registry/index.ts";
import { BondedPool, newStakingKeeper, NotBondedPool, stakingModule, type StakingKeeper } from "../modules/staking/index.ts";
import { moduleAddress } from "../sdk/address.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";
import { type MessageSchema, schema } from "../sdk/proto-scan.ts";

/** The keepers, built once; modules reach each other only through expected-keeper interfaces. */
export interface Keepers {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly registry: RegistryKeeper;
  readonly staking: StakingKeeper;
  readonly leasing: LeasingKeeper;
}

export const FEE_COLLECTOR = moduleAddress("fee_collector");

/** Module accounts and what each may do (the SDK's maccPerms). Users cannot send to any of them. */
export const MODULE_ACCOUNT_PERMISSIONS: Readonly<Record<string, readonly ModulePermission[]>> = {
  fee_collector: [],
  [BondedPool]: ["burner", "staking"],
  [NotBondedPool]: ["burner", "staking"],
  [LeasingEscrowAccount]: [],
  [LeasingRewardsAccount]: [],
};

/** No mint module yet: the providers' share of the block provision is 0 until x/mint is wired here. */
const NO_MINT: MintKeeper = { blockProvision: () => 0n };

/** The begin- and end-blockers, in the order they run (by module name). */
export const BLOCKER_ORDER = { begin: ["leasing", "staking"], end: ["leasing", "staking"] } as const;

/**
 * Strict-scan schemas for the registry module, whose handlers are built from messageCodec types: each codec knows
 * its own schema. A query `/trustnet.registry.v1.Query/<M>` takes `registryTypes.Query<M>Request` (Registries takes
 * no request). The app refuses to start with a Msg or query handler that has no schema.
 */
const R = "/trustnet.registry.v1.Query/";
const NO_REQUEST = new Set([`${R}Registries`]);
function registryQuerySchema(path: string): MessageSchema | undefined {
  if (NO_REQUEST.has(path)) return schema(`trustnet.registry.v1.${path.slice(R.length)}Request`, []);
  const codec = (registryTypes as Record<string, unknown>)[`Query${path.slice(R.length)}Request`] as { schema?: MessageSchema } | undefined;
  return path.startsWith(R) ? codec?.schema : undefined;
}
const registryMsgSchemas: ReadonlyMap<string, MessageSchema> = new Map(registryMsgTypes.map((c) => [c.typeUrl, c.schema]));

function withSchemas(m: ModuleDescriptor): ModuleDescriptor {
  return {
    ...m,
    msgs: m.msgs?.map((h) => (h.schema ? h : { ...h, schema: registryMsgSchemas.get(h.typeUrl) })),
    queries: m.queries?.map((q) => (q.request ? q : { ...q, request: registryQuerySchema(q.path) })),
  };
}

/** Wiring happens here and nowhere else (house rule 12). Order = genesis order (bank funds before staking bonds). */
export function buildModules(): { keepers: Keepers; modules: readonly ModuleDescriptor[] } {
  const auth = new AuthKeeper();
  const bank = newBankKeeper(auth, new ModuleAccounts(MODULE_ACCOUNT_PERMISSIONS));
  const registry = new RegistryKeeper();
  const staking = newStakingKeeper(bank);
  const leasing = newLeasingKeeper(bank, NO_MINT);
  return {
    keepers: { auth, bank, registry, staking, leasing },
    modules: [authModule(auth), bankModule(bank), withSchemas(registryModule(registry)), stakingModule(staking), leasingModule(leasing, bank)],
  };
}
