// The ABCI application process: `node abci-app/src/main.ts --home <node-home> [--address tcp://127.0.0.1:26658]`.
// Opens the state store, serves the app over the socket (or gRPC) transport, logs with pino.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { jsonLogger } from "./log.ts";
import { writeFileAtomicSync } from "@trustnet/installer";
import { DEFAULT_GRPC_SERVER, DEFAULT_MAX_MESSAGE_BYTES, serveAbci } from "./abci/index.ts";
import type { Server } from "node:http";
import { APP_VERSION, TrustNetApp } from "./app/trustnet-app.ts";
import { LARGEST_MESSAGE_BYTES, MIN_MESSAGE_BYTES } from "./app/block-size-limit.ts";
import { CometRpc } from "./client/comet-rpc.ts";
import { createMetrics, DEFAULT_LIMITS, instrument, instrumentStore, parseRateLimit, parseTrustProxy, startRestServer } from "./rest/index.ts";
import { StateStore } from "./store/index.ts";
import { LeasingViewKeeper } from "./modules/leasing/index.ts";
import { SigVerifyPool } from "./modules/auth/index.ts";

const USAGE = `usage: node abci-app/src/main.ts --home DIR [--address tcp://127.0.0.1:26658|unix:///path] [--transport socket|grpc]
       [--grpc-server native|grpc-js]   (gRPC only: the native HTTP/2 server of abci/h2/ (default), or @grpc/grpc-js)
       [--keep-versions N] [--log-file FILE] [--log-level info|debug|warn] [--check-invariants] [--bench-noop-txs]
       [--rest-address 127.0.0.1:1317|off] [--rpc http://127.0.0.1:26657] [--rest-public-rpc URL]
       [--rest-rate-limit PER_SECOND[:BURST]|off] [--rest-max-in-flight N] [--rest-cors ORIGIN|off] [--rest-cors-post] [--rest-trust-proxy off|HOPS|loopback,CIDR…] [--rest-metrics-public] [--simulate-gas-limit GAS]
       [--sig-workers N|0]   (threads that verify signatures ahead of their tx's turn; default: cores - 1, at least 1, at most 4)
       [--max-message-bytes N]   (the largest ABCI message taken, default 67108864; a genesis block.max_bytes must fit it)
       node abci-app/src/main.ts --home DIR --export-genesis FILE   (writes the committed state as a genesis; serves nothing)`;

export async function runAppProcess(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      home: { type: "string" },
      address: { type: "string", default: "tcp://127.0.0.1:26658" },
      transport: { type: "string", default: "socket" },
      "grpc-server": { type: "string", default: DEFAULT_GRPC_SERVER },
      "keep-versions": { type: "string", default: "100" },
      "log-file": { type: "string" },
      "log-level": { type: "string", default: "info" },
      "check-invariants": { type: "boolean", default: false },
      "bench-noop-txs": { type: "boolean", default: false },
      "rest-address": { type: "string", default: "127.0.0.1:1317" },
      rpc: { type: "string", default: "http://127.0.0.1:26657" },
      "rest-public-rpc": { type: "string" },
      "rest-rate-limit": { type: "string", default: `${DEFAULT_LIMITS.ratePerSecond}:${DEFAULT_LIMITS.rateBurst}` },
      "rest-max-in-flight": { type: "string", default: String(DEFAULT_LIMITS.maxInFlight) },
      "rest-cors": { type: "string", default: "*" },
      "rest-cors-post": { type: "boolean", default: false },
      "rest-trust-proxy": { type: "string", default: "off" },
      "rest-metrics-public": { type: "boolean", default: false },
      "simulate-gas-limit": { type: "string" },
      "sig-workers": { type: "string", default: String(SigVerifyPool.defaultSize()) },
      "max-message-bytes": { type: "string", default: String(DEFAULT_MAX_MESSAGE_BYTES) },
      "export-genesis": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || !values.home) {
    process.stderr.write(USAGE + "\n");
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (values.transport !== "socket" && values.transport !== "grpc") throw new Error(`--transport must be socket or grpc, got ${values.transport}`);
  const grpcServer = values["grpc-server"];
  if (grpcServer !== "grpc-js" && grpcServer !== "native") throw new Error(`--grpc-server must be grpc-js or native, got ${grpcServer}`);
  const keep = Number(values["keep-versions"]);
  if (!Number.isSafeInteger(keep) || keep < 0) throw new Error(`--keep-versions must be a non-negative integer`);
  const simGas = values["simulate-gas-limit"];
  if (simGas !== undefined && !/^[1-9]\d{0,18}$/.test(simGas)) throw new Error(`--simulate-gas-limit must be a positive integer, got ${simGas}`);
  const sigWorkers = Number(values["sig-workers"]);
  if (!/^\d{1,2}$/.test(values["sig-workers"]) || sigWorkers > 64) throw new Error(`--sig-workers must be 0..64, got ${values["sig-workers"]}`);
  const maxMessageBytes = Number(values["max-message-bytes"]);
  if (!/^\d{1,10}$/.test(values["max-message-bytes"]) || maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > LARGEST_MESSAGE_BYTES) {
    throw new Error(`--max-message-bytes must be an integer in [${MIN_MESSAGE_BYTES}, ${LARGEST_MESSAGE_BYTES}], got ${values["max-message-bytes"]}`);
  }
  const logger = jsonLogger(
    { name: "trustnet-app", level: values["log-level"], base: { pid: process.pid } },
    values["log-file"] ? pino.destination({ dest: values["log-file"], mkdir: true, sync: true }) : pino.destination(2),
  );
  const dataDir = join(values.home, "data");
  const exportTo = values["export-genesis"];
  if (exportTo !== undefined) return exportGenesisFile(join(dataDir, "state.db"), exportTo);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = StateStore.open(join(dataDir, "state.db"), { keepVersions: keep });
  const node = new CometRpc(values.rpc, 2000);
  // A worker that fails leaves the pool down: every signature is then verified inline, as with --sig-workers 0.
  const sigPool = sigWorkers === 0 ? undefined : new SigVerifyPool(sigWorkers, (err) => logger.error({ err }, "signature pool down; verifying inline"));
  const leasing = new LeasingViewKeeper();
  const metrics = createMetrics(APP_VERSION, {
    stateKeys: () => store.countKeys(),
    leasesActive: () => Number([...leasing.providers(store)].reduce((n, [, p]) => n + p.openLeases, 0n)),
    ...(sigPool ? { signaturesPreverified: () => sigPool.verified } : {}),
    validatorsBonded: async () => Number((await node.call<{ total: string }>("validators", { per_page: "1" })).total),
  });
  instrumentStore(store, metrics);
  const app = new TrustNetApp({ store, logger, checkInvariants: values["check-invariants"], benchNoopTxs: values["bench-noop-txs"], simulateGasLimit: simGas === undefined ? undefined : BigInt(simGas), sigPool, maxMessageBytes });
  metrics.height.set(Number(store.lastHeight));
  const server = await serveAbci({ app: instrument(app, metrics, () => store.lastHeight), address: values.address, transport: values.transport, grpcServer, logger, maxMessageBytes });
  let rest: Server | undefined;
  if (values["rest-address"] !== "off") {
    const m = /^(.+):(\d{1,5})$/.exec(values["rest-address"]);
    if (!m) throw new Error(`--rest-address must be host:port or off, got ${values["rest-address"]}`);
    const inFlight = Number(values["rest-max-in-flight"]);
    if (!Number.isSafeInteger(inFlight) || inFlight < 1) throw new Error("--rest-max-in-flight must be a positive integer");
    const limits = { ...parseRateLimit(values["rest-rate-limit"]), maxInFlight: inFlight, corsOrigin: values["rest-cors"] === "off" ? undefined : values["rest-cors"], corsPost: values["rest-cors-post"], trustProxy: parseTrustProxy(values["rest-trust-proxy"]), metricsPublic: values["rest-metrics-public"] };
    rest = await startRestServer({
      query: (req) => app.query(req), modules: app.modules, rpcUrl: values.rpc, metrics, appVersion: APP_VERSION, host: m[1] as string, port: Number(m[2]), limits, logger,
      explorerRpcUrl: values["rest-public-rpc"] ?? values.rpc,
    })
      .catch((err: unknown) => { throw new Error(`cannot listen for REST on ${values["rest-address"]}: ${(err as Error).message}`); });
    logger.info({ address: values["rest-address"] }, "REST API, /metrics and explorer listening");
  }
  logger.info({ address: values.address, transport: values.transport, grpcServer, height: store.lastHeight.toString(), sigWorkers }, "ABCI app listening");
  const stop = (sig: string): void => {
    logger.info({ sig }, "shutting down");
    rest?.close();
    void server.close().finally(() => {
      void sigPool?.close();
      store.close();
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/**
 * `--export-genesis FILE`: the committed state as the genesis of a new chain (chain_id, initial_height = H + 1,
 * genesis_time = the last block's time, app_state). The CometBFT genesis around it (consensus_params, and
 * validators, which may stay empty: InitChain answers the exported set) is the operator's to keep from the old chain.
 * Written whole (writeFileAtomicSync: a private temp file, fsync, rename): an export cut short leaves FILE as it was,
 * and a symbolic link planted at FILE is replaced, never written through.
 */
function exportGenesisFile(dbPath: string, out: string): void {
  if (!existsSync(dbPath)) throw new Error(`no state to export: ${dbPath} does not exist`);
  const store = StateStore.open(dbPath);
  try {
    const g = new TrustNetApp({ store }).exportGenesis();
    const doc = { genesis_time: g.time.toISOString(), chain_id: g.chainId, initial_height: String(g.height + 1n), app_state: g.appState };
    writeFileAtomicSync(out, JSON.stringify(doc, null, 2) + "\n", "replace");
  } finally {
    store.close();
  }
}

if (import.meta.main) {
  runAppProcess(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`trustnet-app: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
