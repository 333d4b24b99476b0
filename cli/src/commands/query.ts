// `trustnet query <module> <name> [args]`: one subcommand per module that declares its CLI queries
// (ModuleDescriptor.client.cli: auth, bank, staking, distribution, slashing, mint, registry …), built from that data
// by module-query.ts. No module query is written here by hand; `query txs|tx|block|blocks`, which read CometBFT rather than
// a module's state, are chain-query.ts's (`query tx <hash>` is `tx <hash>`).
import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.ts";
import { moduleQueryCommands } from "./module-query.ts";
import { chainQueryCommands } from "./chain-query.ts";

export const queryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "query <module>",
  aliases: ["q"],
  describe: "query chain state by module (every module that declares its queries: auth, bank, staking, distribution, slashing, mint, registry …), or txs by events, a tx, a block, blocks by events",
  builder: (y) => moduleQueryCommands().reduce((acc, c) => acc.command(c), y)
    .command(chainQueryCommands as CommandModule<GlobalOptions, GlobalOptions>[])
    .demandCommand(1, "name a module, or txs, tx, block or blocks"),
  handler: () => undefined,
};
