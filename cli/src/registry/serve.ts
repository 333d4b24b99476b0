// `trustnet registry serve`: the OCI registry in the foreground (what the registry VM's service runs), through the
// registry's own startRegistryProcess. This file only maps the CLI's flags and home onto it, and its errors onto
// the CLI's.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describePortInUse, portsInUse } from "@trustnet/installer";
import { StartupError, startRegistryProcess, stopOnSignals, tagQueueFiles, type RunningRegistry, type ServeOptions } from "@trustnet/registry";
import { CliError, UsageError } from "../errors.ts";

export interface ServeArgs {
  readonly home: string;
  readonly node: string;
  readonly listen?: string;
  readonly data?: string;
  readonly config?: string;
  readonly "operator-key"?: string;
  readonly "operator-key-trusted-mount"?: boolean;
}

/** Where `serve` looks for the operator key when --operator-key is not given. */
export function defaultOperatorKeyPath(home: string): string {
  return join(home, "registry-operator.json");
}

/**
 * The flags as ServeOptions: data under <home>/registry unless --data (or the config file's dataDir); the operator
 * key from --operator-key, else <home>/registry-operator.json when that file exists, else none.
 */
export function serveOptions(a: ServeArgs, exists: (path: string) => boolean = existsSync): ServeOptions {
  const home = resolve(a.home);
  const defaultKey = defaultOperatorKeyPath(home);
  const keyFile = a["operator-key"] !== undefined ? a["operator-key"] : exists(defaultKey) ? defaultKey : undefined;
  const devnetKey = join(home, "devnet", "registry-operator.json");
  return {
    defaultDataDir: join(home, "registry"),
    chainRpc: a.node,
    noOperatorKeyHint: `pass --operator-key FILE, or put the key at ${defaultKey}${exists(devnetKey) ? ` (this home's devnet key is ${devnetKey})` : ""}`,
    ...(a.data !== undefined ? { dataDir: a.data } : {}),
    ...(a.listen !== undefined ? { listen: a.listen } : {}),
    ...(a.config !== undefined ? { configFile: a.config } : {}),
    ...(keyFile !== undefined ? { operatorKeyFile: keyFile } : {}),
    ...(a["operator-key-trusted-mount"] === true ? { operatorKeyTrustedMount: true } : {}),
  };
}

/** A StartupError as the CLI reports it; a taken port names the process that holds it (when visible). */
export async function toCliError(err: StartupError): Promise<CliError> {
  if (err.usage) return new UsageError(err.message, err.hint);
  let message = err.message;
  if (err.code === "EADDRINUSE" && err.port !== undefined) {
    const holder = (await portsInUse([err.port]).catch(() => []))[0];
    if (holder?.pid !== undefined) message = message.replace(/port \d+ is already in use$/, describePortInUse(holder));
  }
  return new CliError(message, { ...(err.hint === undefined ? {} : { hint: err.hint }), cause: err });
}

/** Runs the registry until SIGTERM/SIGINT; resolves once it has stopped cleanly. */
export async function serve(a: ServeArgs, log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<void> {
  let running: RunningRegistry;
  try {
    running = await startRegistryProcess(serveOptions(a));
  } catch (err) {
    throw err instanceof StartupError ? await toCliError(err) : err;
  }
  log(`registry serving on ${running.registry.url} (data ${running.config.dataDir}, node ${a.node}, ${running.operator ? `tags recorded by ${running.operator}` : "tags NOT recorded: no operator key"}); stop with SIGTERM or Ctrl-C`);
  const sig = await stopOnSignals(running);
  log(`registry stopped (${sig})${running.pendingRecords() > 0 ? `; ${running.pendingRecords()} tag records wait in ${tagQueueFiles(running.config.dataDir).journal} for the next start` : ""}`);
  // Everything is closed; do not let a lingering keep-alive socket to the node hold the process up.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
}
