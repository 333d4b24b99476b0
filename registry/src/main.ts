// The registry process: node registry/src/main.ts --data <dir> --listen 127.0.0.1:8000 [--config file]
// Namespace owners come from a JSON file of {"namespace": "trust1…"} (--owners) until the chain-backed
// lookup is wired in by the node; the chain submitter is likewise injected by the node process.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { defaultConfig, loadConfigFile, mergeConfig, parseListen } from "./config.ts";
import { createRegistry } from "./server.ts";
import { InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      listen: { type: "string" },
      config: { type: "string" },
      owners: { type: "string" },
      "log-file": { type: "string" },
    },
    strict: true,
  });
  let config = defaultConfig();
  const fileOverrides = values.config ? await loadConfigFile(values.config) : {};
  config = mergeConfig(config, fileOverrides);
  const flags: Record<string, unknown> = {};
  if (values.data) flags["dataDir"] = values.data;
  if (values.listen) Object.assign(flags, parseListen(values.listen));
  if (values["log-file"]) flags["logFile"] = values["log-file"];
  config = mergeConfig(config, flags);
  const logger = pino({ level: config.logLevel, base: { svc: "registry" } }, config.logFile ? pino.destination({ dest: config.logFile, mkdir: true }) : process.stdout);
  const owners = new InMemoryNamespaceOwners(values.owners ? (JSON.parse(await readFile(values.owners, "utf8")) as Record<string, string>) : {});
  const reg = await createRegistry(config, { owners, logger });
  const stop = (): void => {
    logger.info("registry stopping");
    reg.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`registry: ${(err as Error).message}\n`);
  process.exit(1);
});
