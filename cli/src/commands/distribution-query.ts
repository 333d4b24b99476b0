// `trustnet query distribution …`: rewards, commission (the /cosmos.distribution.v1beta1.Query/* services, through
// cosmjs's setupDistributionExtension). Amounts are DecCoins: shown in TRUST, exact (18 places of utrust) in JSON.
import type { Argv, CommandModule } from "yargs";
import { setupDistributionExtension } from "@cosmjs/stargate";
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { formatTrust } from "../coins.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress } from "../address-arg.ts";
import { resolveValidator } from "./staking-tx.ts";
import { withExtension } from "./query-client.ts";

const E18 = 10n ** 18n;

/** A wire DecCoin (amount scaled by 10^18) as exact utrust ("123.000000000000000456") and whole utrust. */
export function decCoinJson(c: DecCoin): { denom: string; amount: string; whole: string } {
  const v = BigInt(c.amount || "0");
  return { denom: c.denom, amount: `${v / E18}.${(v % E18).toString().padStart(18, "0")}`, whole: (v / E18).toString() };
}
const show = (cs: readonly DecCoin[]): string => (cs.length === 0 ? formatTrust(0n) : cs.map((c) => (c.denom === "utrust" ? formatTrust(BigInt(c.amount) / E18) : `${BigInt(c.amount) / E18}${c.denom}`)).join(", "));

type RewardsArgs = GlobalOptions & { delegator?: string; validator?: string };
type CommissionArgs = GlobalOptions & { validator?: string };

const rewards: CommandModule<GlobalOptions, RewardsArgs> = {
  command: "rewards [delegator] [validator]",
  describe: "a delegator's pending rewards, per validator and in total, or from one validator (default: the active key)",
  builder: (y) => y.positional("delegator", { type: "string", describe: "trust1… address or key name" })
    .positional("validator", { type: "string", describe: "trustvaloper1…, the operator's address, or a key name" }) as unknown as Argv<RewardsArgs>,
  handler: async (a) => {
    const del = await resolveAddress(a.home, a.delegator);
    const p = printerFor(a);
    if (a.validator !== undefined) {
      const val = await resolveValidator(a.home, a.validator);
      const r = await withExtension(a, setupDistributionExtension, (q) => q.distribution.delegationRewards(del, val));
      p.result({ delegator: del, validator: val, rewards: r.rewards.map(decCoinJson) }, () => `${del} has ${show(r.rewards)} of rewards from ${val}`);
      return;
    }
    const r = await withExtension(a, setupDistributionExtension, (q) => q.distribution.delegationTotalRewards(del));
    const rows = r.rewards.map((x) => ({ validator: x.validatorAddress, rewards: x.reward.map(decCoinJson) }));
    p.result({ delegator: del, rewards: rows, total: r.total.map(decCoinJson) }, () => rows.length === 0 ? `${del} has no delegations` : [...r.rewards.map((x) => `${x.validatorAddress}  ${show(x.reward)}`), `total: ${show(r.total)}`].join("\n"));
  },
};

const commission: CommandModule<GlobalOptions, CommissionArgs> = {
  command: "commission [validator]",
  describe: "a validator's accumulated commission (default: the active key's validator)",
  builder: (y) => y.positional("validator", { type: "string", describe: "trustvaloper1…, the operator's address, or a key name" }) as unknown as Argv<CommissionArgs>,
  handler: async (a) => {
    const val = await resolveValidator(a.home, a.validator ?? (await resolveAddress(a.home, undefined)));
    const r = await withExtension(a, setupDistributionExtension, (q) => q.distribution.validatorCommission(val));
    const c = r.commission?.commission ?? [];
    printerFor(a).result({ validator: val, commission: c.map(decCoinJson) }, () => `${val} has ${show(c)} of commission`);
  },
};

export const distributionQueryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "distribution <command>",
  describe: "staking rewards and validator commission",
  builder: (y) => y
    .command(rewards as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(commission as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .demandCommand(1, "name a distribution query"),
  handler: () => undefined,
};
