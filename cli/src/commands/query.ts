// `trustnet query <module> <name> [args]`: one subcommand per module that declares its CLI queries
// (ModuleDescriptor.client.cli: auth, bank, staking, distribution, slashing, mint, registry …), built from that data
// by module-query.ts. No module query is written here by hand; `query tx <hash>` (the SDK CLI's name) is `tx <hash>`.
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.ts";
import { moduleQueryCommands } from "./module-query.ts";
import { showTx } from "./tx.ts";

/** `query tx <hash>`, as the SDK's CLI names it: the same command as `tx <hash>` (the same output and JSON). */
const queryTxCommand: CommandModule<GlobalOptions, GlobalOptions & { readonly hash: string }> = {
  command: "tx <hash>",
  describe: "a committed transaction by hash, as 'trustnet tx <hash>'",
  builder: (y: Argv<GlobalOptions>) => y.positional("hash", { type: "string", demandOption: true, describe: "transaction hash (64 hex digits)" }) as unknown as Argv<GlobalOptions & { readonly hash: string }>,
  handler: (a) => showTx(a),
};

export const queryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "query <module>",
  aliases: ["q"],
  describe: "query chain state by module (every module that declares its queries: auth, bank, staking, distribution, slashing, mint, registry …), or a tx by hash",
  builder: (y) => moduleQueryCommands().reduce((acc, c) => acc.command(c), y)
    .command(queryTxCommand as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .demandCommand(1, "name a module, or tx <hash>"),
  handler: () => undefined,
};
