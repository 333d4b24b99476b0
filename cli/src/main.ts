import { createRequire } from "node:module";
import type yargsFactory from "yargs";
import { commands } from "./commands/index.ts";
import { withGlobalOptions } from "./global-options.ts";
import { TxGenerated } from "./errors.ts";
import { describeError } from "./report-error.ts";

/**
 * yargs' CommonJS build: its ESM build wraps help at exactly the column width, character by character (cliui's ESM
 * `wrap` is a plain count, "TODO: look at porting wrap-ansi"), so descriptions were cut mid-word ("ban\nk"); the
 * CommonJS build wraps at word boundaries with wrap-ansi. Same yargs, same API.
 */
const yargs = createRequire(import.meta.url)("yargs") as typeof yargsFactory;

/** Builds the yargs parser; exported for the REPL and for tests. */
export function buildCli(argv: readonly string[]) {
  let y = withGlobalOptions(yargs([...argv]))
    .scriptName("trustnet")
    .usage("$0 <command> [options]\n\nTrustNet: a Cosmos-compatible chain for infrastructure.")
    .strict()
    .demandCommand(1, "Name a command; see the list above.")
    .recommendCommands()
    .epilog("Docs: docs/INSTALLATION.md, docs/API.md. Home: ~/.trustnet or $TRUSTNET_HOME.")
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail(false);
  for (const c of commands(buildCli)) y = y.command(c);
  return y;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    // A handler may set the status itself (`vm ssh`, `lease ssh` pass ssh's on): keep it.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof TxGenerated) return 0;
    // The message and hint only; the stack with $TRUSTNET_DEBUG=1 (report-error.ts).
    const { text, exitCode } = describeError(err, { usage: "Run 'trustnet --help' for usage.", argv });
    process.stderr.write(text);
    return exitCode;
  }
}
