import { DEFAULT_CHAIN_ID } from "@trustnet/abci-app";
import { shQuote } from "@trustnet/provisioner";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Argv } from "yargs";
import { makePrinter, type OutputFormat, type Printer } from "./output.ts";

/** Options every command accepts. */
export interface GlobalOptions {
  readonly home: string;
  readonly node: string;
  readonly "chain-id": string;
  readonly output: OutputFormat;
}

export const DEFAULT_NODE = "http://127.0.0.1:26657";
export { DEFAULT_CHAIN_ID };

/** $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset (as `${TRUSTNET_HOME:-…}` in install.sh). */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRUSTNET_HOME || join(homedir(), ".trustnet"));
}

/**
 * ` --home <home>` for a command the CLI prints for you to run (`trustnet devnet down`, `… devnet faucet`), or ""
 * when a bare command would use that home anyway (it is $TRUSTNET_HOME, else ~/.trustnet): without it, a devnet
 * started with `--home /x` would print a `devnet down` that stops the default home's devnet instead.
 */
export function homeArg(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const abs = resolve(home);
  if (abs === defaultHome(env)) return "";
  return ` --home ${shQuote(abs)}`;
}

/** $TRUSTNET_NODE, else the local node; empty counts as unset, as for $TRUSTNET_HOME. */
export function defaultNode(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRUSTNET_NODE || DEFAULT_NODE;
}

/** $TRUSTNET_CHAIN_ID, else the devnet's; empty counts as unset, as for $TRUSTNET_HOME. */
export function defaultChainId(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRUSTNET_CHAIN_ID || DEFAULT_CHAIN_ID;
}

export function withGlobalOptions<T>(y: Argv<T>): Argv<T & GlobalOptions> {
  return y
    .option("home", { type: "string", default: defaultHome(), describe: "TrustNet home ($TRUSTNET_HOME)", global: true })
    .option("node", { type: "string", default: defaultNode(), describe: "CometBFT RPC endpoint", global: true })
    .option("chain-id", { type: "string", default: defaultChainId(), describe: "chain id", global: true })
    .option("output", { alias: "o", choices: ["text", "json"] as const, default: "text" as OutputFormat, describe: "output format", global: true }) as unknown as Argv<T & GlobalOptions>;
}

export function printerFor(opts: GlobalOptions): Printer {
  return makePrinter(opts.output);
}
