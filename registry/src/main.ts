// The registry process: node registry/src/main.ts --data <dir> --listen 127.0.0.1:8000 [--config file]
//   [--chain-rpc URL [--operator-key FILE [--operator-key-trusted-mount]]] [--owners owners.json] [--log-file f] [--metrics-listen 127.0.0.1:8001]
// With --chain-rpc (the devnet supervisor passes it) namespace owners come from the chain and pushed tags are recorded
// on it with the operator key; otherwise owners come from the --owners JSON file {"namespace": "trust1…"}.
// `trustnet registry serve` runs the same startRegistryProcess (serve.ts).
import { parseArgs } from "node:util";
import { StartupError } from "./errors.ts";
import { startRegistryProcess, stopOnSignals } from "./serve.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      listen: { type: "string" },
      config: { type: "string" },
      owners: { type: "string" },
      "chain-rpc": { type: "string" },
      "operator-key": { type: "string" },
      "operator-key-trusted-mount": { type: "boolean" },
      "log-file": { type: "string" },
      "metrics-listen": { type: "string" },
    },
    strict: true,
  });
  const running = await startRegistryProcess({
    ...(values.config ? { configFile: values.config } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.listen ? { listen: values.listen } : {}),
    ...(values["log-file"] ? { logFile: values["log-file"] } : {}),
    ...(values["chain-rpc"] ? { chainRpc: values["chain-rpc"] } : {}),
    ...(values["operator-key"] ? { operatorKeyFile: values["operator-key"] } : {}),
    ...(values["operator-key-trusted-mount"] === true ? { operatorKeyTrustedMount: true } : {}),
    ...(values.owners ? { ownersFile: values.owners } : {}),
    ...(values["metrics-listen"] ? { metricsListen: values["metrics-listen"] } : {}),
  });
  await stopOnSignals(running);
  process.exit(0);
}

main().catch((err: unknown) => {
  const hint = err instanceof StartupError && err.hint ? `\nhint: ${err.hint}` : "";
  process.stderr.write(`registry: ${(err as Error).message}${hint}\n`);
  process.exit(err instanceof StartupError && err.usage ? 2 : 1);
});
