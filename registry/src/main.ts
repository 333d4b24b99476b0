// The registry process: node registry/src/main.ts --data <dir> --listen 127.0.0.1:8000 [--config file]
// Namespace owners come from a JSON file of {"namespace": "trust1…"} (--owners) until the chain-backed
// lookup is wired in by the node; the chain submitter is likewise injected by the node process.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { defaultConfig, loadConfigFile, mergeConfig, parseListen } from "./config.ts";
import { join } from "node:path";
import { createRegistry, type RegistryDeps } from "./server.ts";
import { ChainNamespaceOwners, ChainRpc, ChainTagSubmitter, chainProbe, loadOperatorKey } from "./chain/index.ts";
import { InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      listen: { type: "string" },
      config: { type: "string" },
      owners: { type: "string" },
      "chain-rpc": { type: "string" },
      "operator-key": { type: "string" },
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
  // With --chain-rpc, namespace owners come from the chain and pushed tags are recorded on it (signed with
  // --operator-key); otherwise from an --owners JSON file, without chain records.
  let deps: RegistryDeps;
  let submitter: ChainTagSubmitter | undefined;
  if (values["chain-rpc"]) {
    const rpc = new ChainRpc(values["chain-rpc"]);
    if (values["operator-key"]) {
      const key = await loadOperatorKey(values["operator-key"]);
      submitter = new ChainTagSubmitter({ rpc, key, queueFile: join(config.dataDir, "chain-queue.json"), logger });
      logger.info({ operator: key.address, chain: rpc.url }, "recording tags on chain");
    }
    deps = { owners: new ChainNamespaceOwners(rpc), chainProbe: chainProbe(rpc), logger, ...(submitter ? { tagRecorder: submitter } : {}) };
  } else {
    deps = { owners: new InMemoryNamespaceOwners(values.owners ? (JSON.parse(await readFile(values.owners, "utf8")) as Record<string, string>) : {}), logger };
  }
  const reg = await createRegistry(config, deps);
  const stop = (): void => {
    logger.info("registry stopping");
    submitter?.close();
    reg.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`registry: ${(err as Error).message}\n`);
  process.exit(1);
});
