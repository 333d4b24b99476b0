// `trustnet tx distribution …`: withdraw-rewards (one validator, --all, --commission), set-withdraw-address, and the
// SDK CLI's names for them: withdraw-all-rewards (withdraw-rewards --all), set-withdraw-addr.
// Messages are the Cosmos SDK's (/cosmos.distribution.v1beta1.*), signed by cosmjs's default registry.
import type { Argv, CommandModule } from "yargs";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { setupDistributionExtension } from "@cosmjs/stargate";
import { UsageError } from "../errors.ts";
import type { GlobalOptions } from "../global-options.ts";
import { valoperOf } from "../staking-args.ts";
import { resolveAddress } from "../address-arg.ts";
import { common, resolveValidator, signAndSend, type TxArgs } from "./staking-tx.ts";
import { withQueryClient } from "./module-query.ts";

const D = "/cosmos.distribution.v1beta1.";
type WithdrawArgs = TxArgs & { validator?: string; commission: boolean; all: boolean };
type SetAddressArgs = TxArgs & { address: string };

const withdrawMsg = (delegatorAddress: string, validatorAddress: string): EncodeObject => ({ typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress, validatorAddress } });

async function withdrawRewards(a: WithdrawArgs): Promise<void> {
  if (a.validator !== undefined && a.all) throw new UsageError("name a validator or --all, not both");
  if (a.validator === undefined && !a.all && !a.commission) throw new UsageError("name a validator, or use --all or --commission");
  const val = a.validator === undefined ? undefined : await resolveValidator(a.home, a.validator);
  const what = [a.all ? "all rewards" : val ? `rewards from ${val}` : "", a.commission ? "commission" : ""].filter(Boolean).join(" and ");
  await signAndSend(a, async (from) => {
    const vals = a.all ? await withQueryClient(a, async (q) => (await setupDistributionExtension(q).distribution.delegatorValidators(from)).validators) : val ? [val] : [];
    if (a.all && vals.length === 0 && !a.commission) throw new UsageError(`${from} has no delegations, so no rewards to withdraw`);
    const msgs = vals.map((v) => withdrawMsg(from, v));
    if (a.commission) msgs.push({ typeUrl: `${D}MsgWithdrawValidatorCommission`, value: { validatorAddress: valoperOf(from) } });
    return msgs;
  }, `Withdrawing ${what}`);
}

const withdraw: CommandModule<GlobalOptions, WithdrawArgs> = {
  command: "withdraw-rewards [validator]",
  describe: "withdraw the --from key's rewards from one validator, or from every validator it delegates to (--all); --commission adds its own validator's commission",
  builder: (y) => common(y)
    .positional("validator", { type: "string", describe: "trustvaloper1…, the operator's address, or a key name" })
    .option("commission", { type: "boolean", default: false, describe: "also withdraw the commission of the --from key's own validator" })
    .option("all", { type: "boolean", default: false, describe: "every validator the --from key delegates to" })
    .example("$0 tx distribution withdraw-rewards --all --from me", "")
    .example("$0 tx distribution withdraw-rewards node0 --commission --from node0", "") as unknown as Argv<WithdrawArgs>,
  handler: (a) => withdrawRewards(a),
};

/** The SDK CLI's `withdraw-all-rewards`: withdraw-rewards --all (no validator, no --commission). */
const withdrawAll: CommandModule<GlobalOptions, TxArgs> = {
  command: "withdraw-all-rewards",
  describe: "withdraw-rewards --all, as the SDK CLI names it: the --from key's rewards from every validator it delegates to",
  builder: (y) => common(y).example("$0 tx distribution withdraw-all-rewards --from me", "") as unknown as Argv<TxArgs>,
  handler: (a) => withdrawRewards({ ...a, all: true, commission: false }),
};

const setAddress: CommandModule<GlobalOptions, SetAddressArgs> = {
  command: "set-withdraw-address <address>",
  aliases: ["set-withdraw-addr"], // the SDK CLI's name (`simd tx distribution set-withdraw-addr`)
  describe: "send the --from key's future rewards (and commission) to another account",
  builder: (y) => common(y).positional("address", { type: "string", demandOption: true, describe: "trust1… address or key name" }) as unknown as Argv<SetAddressArgs>,
  handler: async (a) => {
    const to = await resolveAddress(a.home, a.address);
    await signAndSend(a, (from) => ({ typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: from, withdrawAddress: to } }), `Setting the withdraw address to ${to}`);
  },
};

export const distributionTxCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "distribution <command>",
  describe: "staking rewards and validator commission (Cosmos x/distribution messages)",
  builder: (y) => y
    .command(withdraw as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(withdrawAll as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(setAddress as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .demandCommand(1, "name a distribution transaction"),
  handler: () => undefined,
};
