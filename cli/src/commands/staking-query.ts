// `trustnet query staking …`: validators, validator, delegations, unbonding, pool (the /cosmos.staking.v1beta1.Query/*
// services, through cosmjs's setupStakingExtension).
import type { Argv, CommandModule } from "yargs";
import { QueryClient, setupStakingExtension, type StakingExtension } from "@cosmjs/stargate";
import { cometClient } from "@trustnet/abci-app";
import { bondStatusToJSON, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { connectQueryClient, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import { formatTrust } from "../coins.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress } from "../address-arg.ts";
import { resolveValidator } from "./staking-tx.ts";

type Staking = StakingExtension["staking"];
const STATUS = { bonded: "BOND_STATUS_BONDED", unbonding: "BOND_STATUS_UNBONDING", unbonded: "BOND_STATUS_UNBONDED", all: "" } as const;
const E18 = 10n ** 18n;

async function withStaking<T>(a: GlobalOptions, f: (q: Staking) => Promise<T>): Promise<T> {
  (await connectQueryClient({ node: a.node, chainId: a["chain-id"] })).disconnect(); // reachability and chain id, with clear errors
  const client = cometClient(normalizeNodeUrl(a.node), 20_000);
  try {
    return await f(QueryClient.withExtensions(client, setupStakingExtension).staking);
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

const rate = (wire: string): string => {
  const v = BigInt(wire || "0");
  return `${v / E18}.${(v % E18).toString().padStart(18, "0").replace(/0+$/u, "") || "0"}`;
};

function validatorJson(v: Validator) {
  return {
    operatorAddress: v.operatorAddress, moniker: v.description.moniker, status: bondStatusToJSON(v.status), jailed: v.jailed,
    tokens: v.tokens, power: (BigInt(v.tokens) / 1_000_000n).toString(), consensusPubkey: v.consensusPubkey ? Buffer.from(v.consensusPubkey.value.subarray(2)).toString("base64") : null,
    commission: { rate: rate(v.commission.commissionRates.rate), maxRate: rate(v.commission.commissionRates.maxRate), maxChangeRate: rate(v.commission.commissionRates.maxChangeRate) },
    minSelfDelegation: v.minSelfDelegation, delegatorShares: v.delegatorShares,
  };
}

type ValidatorsArgs = GlobalOptions & { status: keyof typeof STATUS };
type OneArgs = GlobalOptions & { validator: string };
type DelegatorArgs = GlobalOptions & { delegator?: string };

const validators: CommandModule<GlobalOptions, ValidatorsArgs> = {
  command: "validators",
  describe: "validators, by status (every page is fetched)",
  builder: (y) => y.option("status", { choices: Object.keys(STATUS) as (keyof typeof STATUS)[], default: "all" as const }) as unknown as Argv<ValidatorsArgs>,
  handler: async (a) => {
    const all = await withStaking(a, async (q) => {
      const out: Validator[] = [];
      let key: Uint8Array | undefined;
      do {
        const r = await q.validators(STATUS[a.status] as never, key);
        out.push(...r.validators);
        key = r.pagination?.nextKey && r.pagination.nextKey.length > 0 ? r.pagination.nextKey : undefined;
      } while (key);
      return out;
    });
    const rows = all.map(validatorJson);
    printerFor(a).result({ validators: rows }, () => rows.length === 0 ? "no validators" : rows.map((v) => `${v.operatorAddress}  ${v.status.replace("BOND_STATUS_", "").toLowerCase().padEnd(9)} power ${v.power.padStart(6)}  ${v.jailed ? "JAILED " : ""}${v.moniker}`).join("\n"));
  },
};

const validator: CommandModule<GlobalOptions, OneArgs> = {
  command: "validator <validator>",
  describe: "one validator (trustvaloper1…, the operator's address, or a key name)",
  builder: (y) => y.positional("validator", { type: "string", demandOption: true }) as unknown as Argv<OneArgs>,
  handler: async (a) => {
    const val = await resolveValidator(a.home, a.validator);
    const v = validatorJson((await withStaking(a, (q) => q.validator(val))).validator);
    printerFor(a).result(v, () => Object.entries(v).map(([k, x]) => `${k}: ${typeof x === "object" && x !== null ? JSON.stringify(x) : String(x)}`).join("\n"));
  },
};

const delegations: CommandModule<GlobalOptions, DelegatorArgs> = {
  command: "delegations [delegator]",
  describe: "a delegator's delegations (default: the active key)",
  builder: (y) => y.positional("delegator", { type: "string", describe: "trust1… address or key name" }) as unknown as Argv<DelegatorArgs>,
  handler: async (a) => {
    const del = await resolveAddress(a.home, a.delegator);
    const r = await withStaking(a, (q) => q.delegatorDelegations(del));
    const rows = r.delegationResponses.map((d) => ({ validator: d.delegation.validatorAddress, shares: d.delegation.shares, balance: d.balance }));
    printerFor(a).result({ delegator: del, delegations: rows }, () => rows.length === 0 ? `${del} has no delegations` : rows.map((d) => `${d.validator}  ${formatTrust(BigInt(d.balance.amount))}`).join("\n"));
  },
};

const unbonding: CommandModule<GlobalOptions, DelegatorArgs> = {
  command: "unbonding [delegator]",
  describe: "a delegator's unbonding delegations with their completion times (default: the active key)",
  builder: (y) => y.positional("delegator", { type: "string", describe: "trust1… address or key name" }) as unknown as Argv<DelegatorArgs>,
  handler: async (a) => {
    const del = await resolveAddress(a.home, a.delegator);
    const r = await withStaking(a, (q) => q.delegatorUnbondingDelegations(del));
    const rows = r.unbondingResponses.flatMap((u) => u.entries.map((e) => ({
      validator: u.validatorAddress, creationHeight: e.creationHeight.toString(), balance: e.balance, initialBalance: e.initialBalance,
      completionTime: new Date(Number(e.completionTime.seconds) * 1000 + Math.floor(e.completionTime.nanos / 1e6)).toISOString(),
    })));
    printerFor(a).result({ delegator: del, entries: rows }, () => rows.length === 0 ? `${del} has nothing unbonding` : rows.map((e) => `${e.validator}  ${formatTrust(BigInt(e.balance))}  completes ${e.completionTime} (created at height ${e.creationHeight})`).join("\n"));
  },
};

const pool: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "pool",
  describe: "bonded and not-bonded tokens",
  handler: async (a) => {
    const { pool: p } = await withStaking(a, (q) => q.pool());
    printerFor(a).result({ bondedTokens: p.bondedTokens, notBondedTokens: p.notBondedTokens }, () => `bonded:     ${formatTrust(BigInt(p.bondedTokens))}\nnot bonded: ${formatTrust(BigInt(p.notBondedTokens))}`);
  },
};

export const stakingQueryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "staking <command>",
  describe: "validators, delegations, unbonding delegations, the staking pool",
  builder: (y) => y
    .command(validators as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(validator as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(delegations as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(unbonding as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(pool)
    .demandCommand(1, "name a staking query"),
  handler: () => undefined,
};

export const queryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "query <module>",
  aliases: ["q"],
  describe: "query chain state by module (staking)",
  builder: (y) => y.command(stakingQueryCommand).demandCommand(1, "name a module"),
  handler: () => undefined,
};
