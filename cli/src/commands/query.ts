// `trustnet query <module> <name> [args]`: one subcommand per module that declares its CLI queries
// (ModuleDescriptor.client.cli: auth, bank, staking, distribution, slashing, mint, registry …), built from that data
// by module-query.ts. No query is written here by hand.
import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.ts";
import { moduleQueryCommands } from "./module-query.ts";

export const queryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "query <module>",
  aliases: ["q"],
  describe: "query chain state by module (every module that declares its queries: auth, bank, staking, distribution, slashing, mint, registry …)",
  builder: (y) => moduleQueryCommands().reduce((acc, c) => acc.command(c), y).demandCommand(1, "name a module"),
  handler: () => undefined,
};
