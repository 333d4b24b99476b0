import yargs from "yargs";
import { commands } from "./commands/index.ts";
import { CliError } from "./errors.ts";
import { withGlobalOptions } from "./global-options.ts";

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

const HINTED = new Set(["ProvisionError", "MissingDependencyError", "InvalidConfigError", "PortInUseError", "VmStateError", "LockError", "ReadinessTimeoutError", "InstallerError"]);

function isHinted(err: Error): err is Error & { hint?: string } {
  // Subclasses keep their own names; walk the prototype chain for a known base.
  for (let p: object | null = err; p && p !== Error.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const n = (p as { constructor?: { name?: string } }).constructor?.name;
    if (n && HINTED.has(n)) return true;
  }
  return HINTED.has(err.name);
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    // A handler may set the status itself (`vm ssh`, `lease ssh` pass ssh's on): keep it.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    // Typed errors of the other areas (provisioner, installer, registry) carry a message and an optional hint.
    if (!(err instanceof CliError) && err instanceof Error && isHinted(err)) {
      process.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`);
      return err.name === "InvalidConfigError" ? 2 : 1;
    }
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`);
      return err.exitCode;
    }
    // yargs' own validation errors (unknown arguments, missing values, bad choices) are usage errors.
    if (err instanceof Error && (err.name === "YError" || /[/\\]node_modules[/\\]yargs[/\\]/.test(err.stack ?? ""))) {
      process.stderr.write(`error: ${err.message}\nRun 'trustnet --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

