// `trustnet tx slashing unjail`: the Cosmos SDK's x/slashing MsgUnjail. (`trustnet query slashing …` is declared
// by the module: abci-app/src/modules/slashing/client/cli.ts.)
import type { Argv, CommandModule } from "yargs";
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import type { GlobalOptions } from "../global-options.ts";
import { valoperOf } from "../staking-args.ts";
import { common, signAndSend, type TxArgs } from "./staking-tx.ts";

const UNJAIL = "/cosmos.slashing.v1beta1.MsgUnjail";
/** cosmjs's default registry lacks x/slashing: MsgUnjail is added as a wallet adds it. */
const registry = new Registry([...defaultRegistryTypes, [UNJAIL, MsgUnjail]]);

const unjail: CommandModule<GlobalOptions, TxArgs> = {
  command: "unjail",
  describe: "bring the --from key's validator back into the set after its downtime jail time (a tombstoned one never returns)",
  builder: (y) => common(y).example("$0 tx slashing unjail --from validator", "") as unknown as Argv<TxArgs>,
  handler: async (a) => {
    await signAndSend(a, (from) => ({ typeUrl: UNJAIL, value: MsgUnjail.fromPartial({ validatorAddr: valoperOf(from) }) }), "Unjailing the validator", registry);
  },
};

export const slashingTxCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "slashing <command>",
  describe: "validator liveness (Cosmos x/slashing messages)",
  builder: (y) => y.command(unjail as unknown as CommandModule<GlobalOptions, GlobalOptions>).demandCommand(1, "name a slashing transaction"),
  handler: () => undefined,
};
