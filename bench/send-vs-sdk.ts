// `npm run bench -- send-vs-sdk [--txs 20000] [--keys 100] [--in-flight 64] [--batch 10] [--shapes a,b,c]
//                                 [--chains trustnet,null,simd] [--transport grpc|socket] [--port-offset 0] [--cpu-prof DIR]
//                                 [--max-gas -1] [--app-arg=--sig-workers=0 …] (extra TrustNet app flags, repeatable)
//                                 [--comet-pprof DIR] (Go CPU profiles of CometBFT / simd during each shape)
//                                 [--results after|per-block|skip] (when block_results is read: bench/lib/chain-load.ts ResultsMode)
//                                 [--grpc-server native|grpc-js] (the gRPC server of TrustNet and null; default: the app's)`
// Signed bank sends on TrustNet and on the Cosmos SDK (simd v0.50.15 from ibc-go v8.8.0's test simapp), same load,
// one run: (a) one key, --txs sends in order, broadcast_tx_sync in JSON-RPC batches of --batch over one connection;
// (b) --keys keys, --in-flight single broadcast_tx_sync outstanding, --txs sends in all; (c) the same keys paced at
// half of (b)'s committed tx/s for 30 s (the latency goal: p50 ≤ timeout_commit + 200 ms at half the peak rate). Both chains: one validator,
// timeout_commit 1s, mempool sized to hold the whole load, txs signed offline by cosmjs with fees.
// Prints committed tx/s, p50/p99 broadcast→commit latency, CheckTx acceptance time and TrustNet/simd ratios, and
// TrustNet's time per phase from its own /metrics, and each chain's CPU per committed tx by process
// (bench/lib/proc-cpu.ts). The chains run one after the other (TrustNet, null, simd). The TrustNet transport
// defaults to the devnet's (gRPC). `null` (in --chains) is the same CometBFT with the same generated config, ports
// and transport behind the null app (bench/lib/null-app.ts: accepts every tx, executes nothing): the ceiling of
// CometBFT plus the out-of-process ABCI hop, with ratios null/simd and TrustNet/null.
// TrustNet and null bind the contract ports (+ --port-offset): run it under `flock /tmp/trustnet-e2e.lock`.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { devnetDown, devnetUp } from "../cli/src/devnet/control.ts";
import { readFaucet } from "../cli/src/devnet/devnet-keys.ts";
import { BASE_PORTS, DEFAULT_ABCI_TRANSPORT } from "../cli/src/devnet/layout.ts";
import { sendMsg, signTx, testKey, type TestKey } from "../abci-app/src/app/testing/tx-builder.ts";
import { DEFAULT_GRPC_SERVER } from "../abci-app/src/abci/index.ts";
import { cometAbciDelta, formatCometAbci, formatPhases, phaseDelta, scrape, type PhaseTimes } from "./lib/app-phases.ts";
import { RESULTS_MODES, type ResultsMode, rpcClient, runConcurrent, runInOrder, type ShapeResult, type WatchOptions } from "./lib/chain-load.ts";
import { attributeToProjectFrame, selfTimeByFile, selfTimes, type CpuProfile } from "./lib/cpuprofile.ts";
import { cpuDelta, type CpuByRole, formatCpuPerTx, processCpu } from "./lib/proc-cpu.ts";
import { generateBenchDevnet } from "./lib/bench-devnet.ts";
import { NULL_APP_MAIN, startNullChain } from "./lib/null-chain.ts";
import { cometWork, pprofPortFor, pprofTop, profileWhile } from "./lib/go-pprof.ts";
import { ensureSimd, IBC_GO_VERSION, SDK_VERSION, startSimdChain } from "./lib/simd.ts";
import { BECH32_PREFIX, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM } from "@trustnet/abci-app";

const GAS = 100_000n;
const FEE = "2500";
const log = (l: string): void => void process.stderr.write(`${l}\n`);

interface ChainUnderTest {
  name: string; rpc: string; chainId: string; denom: string; prefix: string; metrics?: string;
  /** CometBFT's Prometheus endpoint: its own timing of each ABCI call. */
  cometMetrics?: string;
  /** The chain's home directory: its processes' command lines mention it (CPU accounting from /proc). */
  home: string;
  /** CometBFT's Go pprof listener (http://127.0.0.1:PORT), when --comet-pprof asked for one. */
  pprof?: string;
  /** Every account's number when the chain answers no auth queries (the null app, which checks no signature). */
  fixedAccountNumber?: bigint;
}
type CometAbci = ReturnType<typeof cometAbciDelta>;
interface ShapeRow { chain: string; shape: string; r: ShapeResult; phases?: PhaseTimes; comet?: CometAbci; cpu: CpuByRole; pprof?: string[] }

async function accountNumber(rpc: string, address: string): Promise<bigint> {
  const c = rpcClient(rpc, 1);
  try {
    const r = await c.abciQuery("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish());
    if (r.code !== 0) throw new Error(`account ${address}: ${r.log}`);
    return BaseAccount.decode(QueryAccountResponse.decode(r.value).account!.value).accountNumber;
  } finally {
    c.close();
  }
}

const withPrefix = (address: string, prefix: string): string => toBech32(prefix, fromBech32(address, 90).data, 90);

/** Pre-signs `n` sends from `key` (sequence 0…n-1) to `to` on `chain`, with cosmjs. */
async function signSends(chain: ChainUnderTest, key: TestKey, to: string, n: number, firstSequence = 0): Promise<Uint8Array[]> {
  const from = withPrefix(key.address, chain.prefix);
  const accountNumber = await accountNumberOf(chain, from);
  const out: Uint8Array[] = [];
  for (let s = firstSequence; s < firstSequence + n; s++) {
    out.push(await signTx(key, [sendMsg(from, withPrefix(to, chain.prefix), "1", chain.denom)], { chainId: chain.chainId, accountNumber, sequence: BigInt(s), gas: GAS, fee: [{ denom: chain.denom, amount: FEE }] }));
  }
  return out;
}
const accountNumberOf = async (chain: ChainUnderTest, address: string): Promise<bigint> => chain.fixedAccountNumber ?? accountNumber(chain.rpc, address);

async function fundTrustnet(rpc: string, home: string, addresses: readonly string[]): Promise<void> {
  const f = await readFaucet(home);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(f.mnemonic, { prefix: BECH32_PREFIX });
  const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300 });
  const each = "10000000000"; // 10,000 TRUST: 20,000 sends with fees from one key
  try {
    for (let i = 0; i < addresses.length; i += 50) {
      const chunk = addresses.slice(i, i + 50);
      const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: f.address, coins: [{ denom: DENOM, amount: String(BigInt(each) * BigInt(chunk.length)) }] }], outputs: chunk.map((a) => ({ address: a, coins: [{ denom: DENOM, amount: each }] })) } };
      const r = await client.signAndBroadcast(f.address, [msg], "auto");
      if (r.code !== 0) throw new Error(`funding failed: ${r.rawLog}`);
    }
  } finally {
    client.disconnect();
  }
}

async function runShapes(chain: ChainUnderTest, keys: readonly TestKey[], o: { txs: number; batch: number; inFlight: number; shapes: readonly string[]; pprofDir?: string; watch: WatchOptions }): Promise<ShapeRow[]> {
  const rows: ShapeRow[] = [];
  const [single, ...many] = keys;
  const phases = async (shape: string, f: () => Promise<ShapeResult>): Promise<[ShapeResult, PhaseTimes | undefined, CpuByRole, CometAbci | undefined, string[]]> => {
    const before = chain.metrics ? await scrape(chain.metrics) : undefined;
    const cometBefore = chain.cometMetrics ? await scrape(chain.cometMetrics) : undefined;
    const cpuBefore = processCpu(chain.home, processRole);
    // With --comet-pprof, CometBFT (simd: the whole process) is CPU-profiled while the shape runs.
    const { result: r, files } = chain.pprof && o.pprofDir ? await profileWhile(chain.pprof, o.pprofDir, `${chain.name}-${shape}`, f) : { result: await f(), files: [] };
    const cpu = cpuDelta(cpuBefore, processCpu(chain.home, processRole));
    const comet = cometBefore && chain.cometMetrics ? cometAbciDelta(cometBefore, await scrape(chain.cometMetrics)) : undefined;
    return [r, before && chain.metrics ? phaseDelta(before, await scrape(chain.metrics)) : undefined, cpu, comet, files];
  };
  const row = (shape: string, [r, p, cpu, comet, files]: [ShapeResult, PhaseTimes | undefined, CpuByRole, CometAbci | undefined, string[]]): ShapeRow =>
    ({ chain: chain.name, shape, r, cpu, ...(p ? { phases: p } : {}), ...(comet ? { comet } : {}), ...(files.length > 0 ? { pprof: files } : {}) });
  if (o.shapes.includes("a")) {
    log(`${chain.name}: signing ${o.txs} sends from one key…`);
    const txs = await signSends(chain, single!, many[0]!.address, o.txs);
    log(`${chain.name}: shape (a) one key, ${o.txs} in order, batches of ${o.batch} over one connection`);
    rows.push(row("a", await phases("a", () => runInOrder(chain.rpc, `${chain.name} (a)`, txs, o.batch, 30_000, o.watch))));
  }
  if (o.shapes.includes("b")) {
    const per = Math.ceil(o.txs / many.length);
    log(`${chain.name}: signing ${per * many.length} sends from ${many.length} keys…`);
    const queues: Uint8Array[][] = [];
    for (let i = 0; i < many.length; i++) queues.push(await signSends(chain, many[i]!, many[(i + 1) % many.length]!.address, per));
    log(`${chain.name}: shape (b) ${many.length} keys, ${o.inFlight} in flight`);
    const b = row("b", await phases("b", () => runConcurrent(chain.rpc, `${chain.name} (b)`, queues, o.inFlight, 30_000, 0, o.watch)));
    rows.push(b);
    const r = b.r;
    if (o.shapes.includes("c") && tps(r) > 0) {
      // (c): the latency goal is stated at half the peak rate: the same keys, paced at half of (b)'s tx/s, 30 s.
      const rate = tps(r) / 2;
      const perKey = Math.max(1, Math.ceil((rate * 30) / many.length));
      log(`${chain.name}: signing ${perKey * many.length} sends for shape (c), paced at ${rate.toFixed(0)} tx/s…`);
      const paced: Uint8Array[][] = [];
      for (let i = 0; i < many.length; i++) paced.push(await signSends(chain, many[i]!, many[(i + 1) % many.length]!.address, perKey, per));
      rows.push(row("c", await phases("c", () => runConcurrent(chain.rpc, `${chain.name} (c)`, paced, o.inFlight, 30_000, rate, o.watch))));
    }
  }
  return rows;
}

/** The app process's profile among the devnet's (supervisor, app, registry): the one that ran abci-app/src/main.ts. */
function appProfile(dir: string): { file: string; profile: CpuProfile } | undefined {
  if (!existsSync(dir)) return undefined;
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".cpuprofile")).sort()) {
    const profile = JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile;
    if (profile.nodes.some((n) => n.callFrame.url.endsWith("/abci-app/src/main.ts"))) return { file: join(dir, f), profile };
  }
  return undefined;
}

/** What a chain process runs: the TrustNet or null app, CometBFT, simd, or the devnet's other processes (supervisor, registry). */
function processRole(argv: readonly string[]): string {
  if (argv.some((a) => a.endsWith("abci-app/src/main.ts") || a === NULL_APP_MAIN)) return "app";
  const exe = argv[0]?.split("/").pop() ?? "";
  return exe === "cometbft" || exe === "simd" ? exe : "other";
}

const tps = (r: ShapeResult): number => (r.commitSeconds > 0 ? r.committed / r.commitSeconds : 0);

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args], options: {
      txs: { type: "string", default: "20000" }, keys: { type: "string", default: "100" }, "in-flight": { type: "string", default: "64" },
      batch: { type: "string", default: "10" }, shapes: { type: "string", default: "a,b,c" }, chains: { type: "string", default: "trustnet,simd" },
      transport: { type: "string", default: DEFAULT_ABCI_TRANSPORT }, "port-offset": { type: "string", default: "0" }, "simd-port": { type: "string", default: "16656" },
      "cpu-prof": { type: "string" }, "comet-pprof": { type: "string" }, results: { type: "string", default: "after" }, "max-gas": { type: "string", default: "-1" }, "app-arg": { type: "string", multiple: true },
      "grpc-server": { type: "string", default: DEFAULT_GRPC_SERVER },
    },
  });
  const txs = Number(values.txs);
  const nKeys = Number(values.keys);
  const inFlight = Number(values["in-flight"]);
  const batch = Number(values.batch);
  const shapes = values.shapes.split(",");
  const chains = values.chains.split(",");
  const portOffset = Number(values["port-offset"]);
  const simdPort = Number(values["simd-port"]);
  for (const [k, v] of [["txs", txs], ["keys", nKeys], ["in-flight", inFlight], ["batch", batch], ["simd-port", simdPort]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
  }
  if (!Number.isSafeInteger(portOffset) || portOffset < 0) throw new Error("--port-offset must be a non-negative integer");
  const maxGas = Number(values["max-gas"]);
  if (!Number.isSafeInteger(maxGas) || maxGas < -1 || maxGas === 0) throw new Error("--max-gas must be -1 (unlimited) or a positive integer");
  if (values.transport !== "socket" && values.transport !== "grpc") throw new Error("--transport must be socket or grpc");
  const grpcServer = values["grpc-server"];
  if (grpcServer !== "grpc-js" && grpcServer !== "native") throw new Error("--grpc-server must be grpc-js or native");
  const appArgs = [...(values["app-arg"] ?? []), `--grpc-server=${grpcServer}`];
  if (!shapes.every((s) => s === "a" || s === "b" || s === "c")) throw new Error("--shapes is a list of a, b and c (c needs b)");
  if (!chains.every((c) => c === "trustnet" || c === "null" || c === "simd")) throw new Error("--chains is a list of trustnet, null and simd");
  if (!RESULTS_MODES.includes(values.results as ResultsMode)) throw new Error(`--results must be one of ${RESULTS_MODES.join(", ")}`);
  const mempoolSize = Math.max(5000, txs + 1000);
  const pprofDir = values["comet-pprof"] === undefined ? undefined : (mkdirSync(values["comet-pprof"], { recursive: true }), mkdtempSync(join(values["comet-pprof"], "comet-")));
  const pprofPort = pprofDir === undefined ? undefined : pprofPortFor(BASE_PORTS.metrics + portOffset);
  const shapeOpts = { txs, batch, inFlight, shapes, watch: { results: values.results as ResultsMode }, ...(pprofDir === undefined ? {} : { pprofDir }) };

  const simd = chains.includes("simd") ? await ensureSimd(log) : undefined;
  const keys = await Promise.all(Array.from({ length: nKeys + 1 }, (_, i) => testKey(7000 + i)));
  const rows: ShapeRow[] = [];
  let profileSummary = "";

  if (chains.includes("trustnet")) {
    const home = mkdtempSync(join(tmpdir(), "bench-vs-sdk-trustnet-"));
    const profDir = values["cpu-prof"] === undefined ? undefined : (mkdirSync(values["cpu-prof"], { recursive: true }), mkdtempSync(join(values["cpu-prof"], "send-vs-sdk-")));
    const savedOptions = process.env.NODE_OPTIONS;
    let keepHome = true; // until every shape has passed: a failed run's logs are what explains it
    try {
      log(`TrustNet: single-node devnet, ${values.transport} ABCI (${grpcServer}), timeout_commit 1s, mempool ${mempoolSize}`);
      // The same block gas limit as simd's genesis (-1, unlimited) unless --max-gas says otherwise.
      await generateBenchDevnet({ home, transport: values.transport, portOffset, mempoolSize, maxGas, ...(pprofPort === undefined ? {} : { pprofPort }) });
      if (profDir) {
        process.env.NODE_OPTIONS = `${savedOptions ?? ""} --cpu-prof --cpu-prof-dir=${profDir}`.trim();
      }
      const up = await devnetUp({ home, validators: 1, blockTime: "1s", transport: values.transport, timeoutMs: 120_000, portOffset, appArgs, log: () => undefined });
      if (profDir) process.env.NODE_OPTIONS = savedOptions;
      const ports = up.manifest.nodes[0]!.ports;
      const chain: ChainUnderTest = { name: "TrustNet", home, rpc: `http://127.0.0.1:${ports.rpc}`, chainId: DEFAULT_CHAIN_ID, denom: DENOM, prefix: BECH32_PREFIX, metrics: `http://127.0.0.1:${ports.rest}/metrics`, cometMetrics: `http://127.0.0.1:${ports.metrics}/metrics`, ...(pprofPort === undefined ? {} : { pprof: `http://127.0.0.1:${pprofPort}` }) };
      log("TrustNet: funding the keys…");
      await fundTrustnet(chain.rpc, home, keys.map((k) => k.address));
      rows.push(...await runShapes(chain, keys, shapeOpts));
      keepHome = false;
    } finally {
      if (profDir) process.env.NODE_OPTIONS = savedOptions;
      await devnetDown(home).catch((err: unknown) => log(`devnet down: ${(err as Error).message}`));
      if (keepHome) log(`TrustNet: the run failed; its home (logs in ${join(home, "logs")}) is kept`);
      else rmSync(home, { recursive: true, force: true });
    }
    if (profDir) {
      const found = appProfile(profDir);
      if (!found) log(`no app CPU profile was written in ${profDir}`);
      if (found) {
        const p = found.profile;
        const { busyMs, totalMs, top } = selfTimes(p);
        profileSummary = [
          `\nTrustNet app CPU profile (${found.file}): ${(busyMs / 1000).toFixed(1)} s busy of ${(totalMs / 1000).toFixed(1)} s profiled; top self time:`,
          ...top.slice(0, 25).map((t) => `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${(t.ms / 1000).toFixed(2).padStart(7)} s  ${t.name}`),
          ...top.slice(0, 6).filter((t) => !/ \S+:\d+$/.test(t.name) && !t.name.startsWith("(")).flatMap((t) => [
            `  ${t.name} (native) is called from:`,
            ...attributeToProjectFrame(p, t.name).slice(0, 4).map((a) => `           ${(a.ms / 1000).toFixed(2).padStart(7)} s  ${a.name}`),
          ]),
          "  by file:",
          ...selfTimeByFile(p).slice(0, 15).map((t) => `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${(t.ms / 1000).toFixed(2).padStart(7)} s  ${t.name}`),
        ].join("\n");
      }
    }
  }

  if (chains.includes("null")) {
    const home = mkdtempSync(join(tmpdir(), "bench-vs-sdk-null-"));
    let stop: (() => Promise<void>) | undefined;
    try {
      log(`null: single-node CometBFT behind the null app, ${values.transport} ABCI (${grpcServer}), timeout_commit 1s, mempool ${mempoolSize}`);
      const c = await startNullChain({ home, transport: values.transport, grpcServer, portOffset, mempoolSize, maxGas, log, ...(pprofPort === undefined ? {} : { pprofPort }) });
      stop = c.stop;
      rows.push(...await runShapes({ name: "null", home, rpc: c.rpc, cometMetrics: c.cometMetrics, chainId: DEFAULT_CHAIN_ID, denom: DENOM, prefix: BECH32_PREFIX, fixedAccountNumber: 0n, ...(pprofPort === undefined ? {} : { pprof: `http://127.0.0.1:${pprofPort}` }) }, keys, shapeOpts));
    } catch (err) {
      // The null chain's CometBFT has been seen to go away mid-shape (ECONNRESET / ECONNREFUSED): keep its last words.
      for (const f of ["cometbft.log", "null-app.log"]) {
        const file = join(home, f);
        if (existsSync(file)) log(`null: the last of ${f}:\n${readFileSync(file, "utf8").slice(-3000)}`);
      }
      throw err;
    } finally {
      await stop?.();
      rmSync(home, { recursive: true, force: true });
    }
  }

  if (simd) {
    const home = mkdtempSync(join(tmpdir(), "bench-vs-sdk-simd-"));
    const ports = { p2p: simdPort, rpc: simdPort + 1, metrics: simdPort + 4, grpc: simdPort + 3434, ...(pprofDir === undefined ? {} : { pprof: pprofPortFor(simdPort + 4) }) };
    let stop: (() => Promise<void>) | undefined;
    try {
      log(`simd: single-validator chain, timeout_commit 1s, mempool ${mempoolSize}, rpc ${ports.rpc}`);
      const s = await startSimdChain({ simd, home, chainId: "simd-bench-1", ports, timeoutCommit: "1s", mempoolSize, accounts: keys.map((k) => withPrefix(k.address, "cosmos")), log });
      stop = s.stop;
      rows.push(...await runShapes({ name: "simd", home, rpc: s.rpc, cometMetrics: s.cometMetrics, chainId: s.chainId, denom: s.denom, prefix: "cosmos", ...(ports.pprof === undefined ? {} : { pprof: `http://127.0.0.1:${ports.pprof}` }) }, keys, shapeOpts));
    } finally {
      await stop?.();
      rmSync(home, { recursive: true, force: true });
    }
  }

  console.log(`\nSigned bank sends, TrustNet vs Cosmos SDK ${SDK_VERSION} simd (ibc-go ${IBC_GO_VERSION} simapp): one validator each, timeout_commit 1s,`);
  console.log(`gas ${GAS} / fee ${FEE} per tx, ${txs} txs per shape; (a) 1 key in order, batches of ${batch} on one connection; (b) ${nKeys} keys, ${inFlight} in flight; TrustNet${chains.includes("null") ? " and null" : ""} ABCI ${values.transport}${values.transport === "grpc" ? ` (${grpcServer} server)` : ""}`);
  const head = ["chain", "shape", "CheckTx accepted", "in s", "committed", "failed", "tx/s", "p50 ms", "p99 ms", "blocks", "max/block", "refused"];
  const table = rows.map((x) => [x.chain, x.shape, String(x.r.accepted), x.r.acceptSeconds.toFixed(1), String(x.r.committed), values.results === "skip" ? "—" : String(x.r.failedInBlock), tps(x.r).toFixed(0), x.r.p50.toFixed(0), x.r.p99.toFixed(0), String(x.r.blocks), String(x.r.maxPerBlock), String(x.r.refused)]);
  const w = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of table) console.log(line(r));
  const msPerAccepted = (r: ShapeResult): string => ((r.acceptSeconds / Math.max(1, r.accepted)) * 1000).toFixed(2);
  for (const s of shapes) {
    // null/simd < 1 means no app behind this CometBFT and transport reaches simd in this shape; TrustNet/null is
    // the share of the ceiling TrustNet's app reaches.
    for (const [a, b] of [["TrustNet", "simd"], ["null", "simd"], ["TrustNet", "null"]] as const) {
      const t = rows.find((x) => x.chain === a && x.shape === s);
      const d = rows.find((x) => x.chain === b && x.shape === s);
      if (t && d && tps(d.r) > 0) {
        console.log(`shape (${s}): ${a}/${b} committed tx/s ${(tps(t.r) / tps(d.r)).toFixed(2)}x; CheckTx acceptance ${(t.r.accepted / t.r.acceptSeconds).toFixed(0)}/s vs ${(d.r.accepted / d.r.acceptSeconds).toFixed(0)}/s (${msPerAccepted(t.r)} vs ${msPerAccepted(d.r)} ms per tx)`);
      }
    }
  }
  console.log("\nCPU per committed tx, every process of the chain (from /proc; the load generator not counted):");
  for (const r of rows) console.log(`  ${r.chain} (${r.shape}): ${formatCpuPerTx(r.cpu, r.r.committed)}`);
  for (const r of rows) if (r.r.firstRefusal) console.log(`${r.chain} (${r.shape}) first refusal: ${r.r.firstRefusal.slice(0, 300)}`);
  for (const r of rows) if (r.comet && r.comet.size > 0) console.log(`\n${r.chain} (${r.shape}): CometBFT's time per ABCI call (its abci_connection metrics; out of process, the whole hop):\n${formatCometAbci(r.comet)}`);
  for (const r of rows) if (r.phases) console.log(`\nTrustNet app time per phase, shape (${r.shape}) (from its /metrics):\n${formatPhases(r.phases)}`);
  if (profileSummary) console.log(profileSummary);
  const profiled = rows.filter((r) => r.pprof);
  if (profiled.length > 0) {
    // simd's profile is the whole process (its app included); TrustNet's and null's are CometBFT's alone.
    const work = await Promise.all(profiled.map((r) => cometWork(r.pprof!, r.r.committed)));
    console.log(`\nCometBFT's CPU by what it does, ms per committed tx (Go CPU profiles in ${pprofDir}; simd: the whole process):`);
    console.log(`| what | ${profiled.map((r) => `${r.chain} (${r.shape})`).join(" | ")} |`);
    console.log(`|---|${profiled.map(() => "---|").join("")}`);
    for (const name of [...work[0]!.by.keys()]) console.log(`| ${name} | ${work.map((w) => w.by.get(name)!.toFixed(3)).join(" | ")} |`);
    console.log(`| total sampled | ${work.map((w) => w.total.toFixed(3)).join(" | ")} |`);
    for (const r of profiled) console.log(`\n${r.chain} (${r.shape}): top functions, ${r.pprof!.length} windows (go tool pprof -top):\n${await pprofTop(r.pprof!, 15)}`);
  }
}
