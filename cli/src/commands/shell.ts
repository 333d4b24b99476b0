// `trustnet shell`: an interactive REPL over the same commands.
import type { Argv, CommandModule } from "yargs";
import type { GlobalOptions } from "../global-options.ts";
import { listKeystores } from "../keyring/index.ts";
import { historyPath } from "../shell/history.ts";
import { runShell } from "../shell/repl.ts";

/** Builds the CLI parser for one line typed in the shell (main.ts's buildCli, handed in: no import cycle). */
export type BuildCli = (argv: readonly string[]) => Argv<unknown>;

async function run(a: GlobalOptions, buildCli: BuildCli): Promise<void> {
  // Commands typed in the shell inherit the shell's --home/--node/--chain-id as their defaults.
  process.env.TRUSTNET_HOME = a.home;
  process.env.TRUSTNET_NODE = a.node;
  process.env.TRUSTNET_CHAIN_ID = a["chain-id"];
  const status = await runShell({
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
    historyFile: historyPath(a.home),
    keyNames: async () => (await listKeystores(a.home)).map((k) => k.name),
    run: async (args) => {
      // A command may set the status itself (`lease ssh` passes ssh's on): take it, and clear it for the next one.
      process.exitCode = undefined;
      try {
        await buildCli(args).exitProcess(false).parseAsync();
        return typeof process.exitCode === "number" ? process.exitCode : 0;
      } finally {
        process.exitCode = undefined;
      }
    },
    help: (path) =>
      new Promise((resolve, reject) => {
        const args = [...path, "--help"];
        buildCli(args).exitProcess(false).parseAsync(args, {}, (err, _argv, output) => {
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve(output);
        }).catch(reject);
      }),
  });
  process.exitCode = status;
}

export const shellCommand = (buildCli: BuildCli): CommandModule<GlobalOptions, GlobalOptions> => ({
  command: "shell",
  describe: "interactive shell: run trustnet commands with history and tab completion",
  builder: (y: Argv<GlobalOptions>) =>
    y.example("$0 shell", "then e.g. `keys list`, `balance`, `send bob 1TRUST`, `help`, `exit`")
      .example("$0 shell --node http://10.0.0.5:26657", "every command in the shell uses this node"),
  handler: (a) => run(a, buildCli),
});
