// `trustnet devnet up|start|generate|status|down|reset|faucet|keplr`: the embedded devnet (CometBFT + app processes
// on this host; or, generated with --p2p-hosts, one validator per machine started with `devnet start --node I`).
import { BECH32_PREFIX, DENOM, protoJson } from "@trustnet/abci-app";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Argv, CommandModule } from "yargs";
import { resolveAddressArg } from "../address-arg.ts";
import { formatTrust, parseAmount } from "../coins.ts";
import { genesisFacts, keplrChainInfo, writeChainRegistry } from "../devnet/chain-info.ts";
import { devnetDown, devnetGenerate, devnetReset, devnetStartForeground, devnetUp, runningSupervisor, type UpResult } from "../devnet/control.ts";
import { readFaucet } from "../devnet/devnet-keys.ts";
import { readManifest, REGISTRY_PORT } from "../devnet/generate.ts";
import { DEFAULT_ABCI_TRANSPORT, devnetLayout, type DevnetManifest, MAX_VALIDATORS, PORT_STRIDE } from "../devnet/layout.ts";
import { DEFAULT_HOSTS_RPC_LADDR, hostPort, isMultiHost, parseP2pHosts, statusRpcUrl } from "../devnet/network.ts";
import { nodeStatus, peerCount } from "../devnet/rpc.ts";
import { PROMETHEUS_PORT, startMonitoring } from "../devnet/monitoring.ts";
import { getTomlString } from "../devnet/toml.ts";
import { CliError, UsageError } from "../errors.ts";
import { DEFAULT_NODE, homeArg, printerFor, type GlobalOptions } from "../global-options.ts";
import { type FeeOptions, withFeeOptions } from "./chain-options.ts";
import { sendTxAs } from "./tx-options.ts";

type UpArgs = GlobalOptions & {
  "port-offset": number; validators: number; "block-time": string; transport: "socket" | "grpc"; timeout: number; "app-arg"?: string[];
  "unbonding-time"?: string; monitoring: boolean; "prometheus-bin"?: string; inflation?: string; "leasing-ready-timeout"?: number;
};

async function up(a: UpArgs): Promise<void> {
  const p = printerFor(a);
  const r = await devnetUp({
    home: a.home, validators: a.validators, blockTime: a["block-time"], transport: a.transport, timeoutMs: a.timeout * 1000, portOffset: a["port-offset"],
    appArgs: a["app-arg"] ?? [], log: (l) => p.info(l), ...(a["unbonding-time"] !== undefined ? { unbondingTime: a["unbonding-time"] } : {}),
    ...(a.inflation !== undefined ? { inflation: a.inflation } : {}),
    ...(a["leasing-ready-timeout"] !== undefined ? { leasingReadyTimeout: a["leasing-ready-timeout"] } : {}),
  });
  const rpc = `http://127.0.0.1:${r.manifest.nodes[0]?.ports.rpc}`;
  const mon = a.monitoring
    ? await startMonitoring({ home: a.home, manifest: r.manifest, port: PROMETHEUS_PORT + a["port-offset"], log: (l) => p.info(l), ...(a["prometheus-bin"] ? { prometheusBin: a["prometheus-bin"] } : {}) })
    : undefined;
  p.result(
    { prometheus: mon?.url, chain_id: r.manifest.chainId, validators: r.manifest.validators, rpc, registry: r.manifest.registry ? `http://127.0.0.1:${r.manifest.registry.port}` : undefined, height: r.height, supervisor_pid: r.supervisorPid, created: r.created, already_running: r.alreadyRunning, faucet: r.manifest.faucetAddress, home: a.home },
    () => upText(a.home, r, rpc, mon?.url),
  );
}

/** What `devnet up` prints for people: where everything listens, and the commands to use it (for this home). */
export function upText(homeDir: string, r: Pick<UpResult, "alreadyRunning" | "supervisorPid" | "manifest" | "height">, rpc: string, prometheus: string | undefined): string {
  const home = homeArg(homeDir); // the commands printed below act on this devnet, not the default home's
  return [
    r.alreadyRunning ? `devnet already running (supervisor pid ${r.supervisorPid})` : `devnet ${r.manifest.chainId} is up: ${r.manifest.validators} validator(s), height ${r.height}`,
    `  RPC       ${rpc}   (P2P ${r.manifest.nodes[0]?.ports.p2p}, ABCI 127.0.0.1:${r.manifest.nodes[0]?.ports.abci}; validator i adds ${PORT_STRIDE}·i)`,
    ...(rpc === DEFAULT_NODE ? [] : [`  wallet    export TRUSTNET_NODE=${rpc}   (balance, send, query … ask ${DEFAULT_NODE} otherwise)`]),
    `  faucet    ${r.manifest.faucetAddress}   (trustnet devnet faucet${home} <key or address> [amount])`,
    ...(r.manifest.registry ? [`  registry  127.0.0.1:${r.manifest.registry.port}   (trustnet registry login${home}${r.manifest.registry.port === REGISTRY_PORT ? "" : ` --registry 127.0.0.1:${r.manifest.registry.port}`}; docker push 127.0.0.1:${r.manifest.registry.port}/<namespace>/<repo>:<tag>)`] : []),
    ...(r.manifest.nodes[0]?.ports.rest ? [`  REST      http://127.0.0.1:${r.manifest.nodes[0].ports.rest}   (Cosmos REST, /metrics, explorer at /)`] : []),
    ...(prometheus !== undefined ? [`  Prometheus ${prometheus}   (scrapes the app, CometBFT and the registry; Grafana dashboard: config/grafana/trustnet.json)`] : []),
    `  logs      ${devnetLayout(homeDir).logs}`,
    `  query     curl -s localhost:${r.manifest.nodes[0]?.ports.rpc}/status | jq .result.sync_info.latest_block_height`,
    `  stop      trustnet devnet down${home}`,
  ].join("\n");
}

/** The validators the running supervisor of this home runs (all of them unless it was started with --node). */
function supervisedNodes(home: string, manifest: DevnetManifest): Set<number> {
  try {
    const st = JSON.parse(readFileSync(devnetLayout(home).state, "utf8")) as { pairs?: { index?: number }[] };
    return new Set((st.pairs ?? []).map((p) => p.index).filter((i): i is number => typeof i === "number"));
  } catch {
    return new Set(manifest.nodes.map((n) => n.index));
  }
}

/** The RPC listen address in node i's config.toml (it may differ from the manifest after `start --rpc-laddr`). */
function configuredRpcLaddr(home: string, index: number): string | undefined {
  try {
    return getTomlString(readFileSync(join(devnetLayout(home).node(index).cometHome, "config", "config.toml"), "utf8"), "rpc", "laddr");
  } catch {
    return undefined;
  }
}

async function status(a: GlobalOptions): Promise<void> {
  const manifest = await readManifest(a.home);
  if (!manifest) throw new CliError(`no devnet in ${devnetLayout(a.home).root}`, { hint: "create and start one with 'trustnet devnet up'" });
  const pid = runningSupervisor(a.home);
  const multiHost = isMultiHost(manifest);
  // Separate machines: the node(s) this home's supervisor runs are asked locally, the others at their own address.
  const local = pid === undefined ? new Set<number>() : supervisedNodes(a.home, manifest);
  const nodes = await Promise.all(manifest.nodes.map(async (n) => {
    const here = local.has(n.index);
    const rpc = statusRpcUrl(manifest, n.index, here, here ? configuredRpcLaddr(a.home, n.index) : undefined);
    const s = rpc === undefined ? undefined : await nodeStatus(rpc).catch(() => undefined);
    const peers = s && rpc ? await peerCount(rpc).catch(() => undefined) : undefined;
    return {
      index: n.index, rpc, up: s !== undefined, height: s?.height, app_hash: s?.appHash, catching_up: s?.catchingUp, peers, version: s?.version,
      ...(multiHost ? { p2p_host: n.p2pHost, local: here } : {}),
    };
  }));
  const top = multiHost ? (nodes.find((n) => n.local && n.up) ?? nodes.find((n) => n.up) ?? nodes[0]) : nodes[0];
  const localNode = multiHost && local.size === 1 ? [...local][0] : undefined;
  printerFor(a).result(
    { chain_id: manifest.chainId, running: pid !== undefined, supervisor_pid: pid, ...(localNode !== undefined ? { node: localNode } : {}), height: top?.height, app_hash: top?.app_hash, peers: top?.peers, nodes },
    () => [
      `devnet ${manifest.chainId}: ${pid !== undefined ? `running (supervisor pid ${pid}${localNode !== undefined ? `, validator ${localNode} only` : ""})` : "stopped"}`,
      ...nodes.map((n) => {
        const where = multiHost ? `  ${n.p2p_host}${n.local ? " (here)" : ""}` : "";
        const state = n.up ? `height ${n.height}  app hash ${n.app_hash}  peers ${n.peers}${n.catching_up ? "  (catching up)" : ""}`
          : n.rpc === undefined ? "not reachable from here (its RPC listens on its own machine's loopback)" : multiHost ? "down or unreachable" : "down";
        return `  node${n.index}${where}  ${n.rpc ?? "-"}  ${state}`;
      }),
    ].join("\n"),
  );
}

type GenerateArgs = GlobalOptions & {
  validators?: number; "p2p-hosts"?: string | string[]; "rpc-laddr"?: string; "registry-endpoint"?: string;
  "block-time": string; transport: "socket" | "grpc"; "port-offset": number; "unbonding-time"?: string;
};

async function generate(a: GenerateArgs): Promise<void> {
  const p = printerFor(a);
  const rawHosts = a["p2p-hosts"];
  if (Array.isArray(rawHosts)) throw new UsageError("--p2p-hosts is given more than once", "list every address once, separated by commas");
  const hosts = rawHosts === undefined ? undefined : parseP2pHosts(rawHosts);
  const m = await devnetGenerate({
    home: a.home, validators: a.validators ?? hosts?.length ?? 1, blockTime: a["block-time"], transport: a.transport, portOffset: a["port-offset"],
    ...(hosts ? { p2pHosts: hosts } : {}), ...(a["rpc-laddr"] !== undefined ? { rpcLaddr: a["rpc-laddr"] } : {}),
    ...(a["registry-endpoint"] !== undefined ? { registryEndpoint: a["registry-endpoint"] } : {}),
    ...(a["unbonding-time"] !== undefined ? { unbondingTime: a["unbonding-time"] } : {}),
    log: (l) => p.info(l),
  });
  const root = devnetLayout(a.home).root;
  // The manifest as devnet.json holds it, its keys snake_case (every key is a field name: no data map).
  p.result(protoJson(m), () => [
    `devnet ${m.chainId} generated in ${root}: ${m.validators} validator(s), block time ${m.blockTime}, ABCI ${m.transport}`,
    ...m.nodes.map((n) => `  node${n.index}  ${n.nodeId}  P2P ${hostPort(n.p2pHost ?? "127.0.0.1", n.ports.p2p)}  RPC ${n.p2pHost !== undefined ? (m.rpcLaddr ?? DEFAULT_HOSTS_RPC_LADDR) : `127.0.0.1:${n.ports.rpc}`}`),
    `  registry  ${m.registry?.endpoint ?? "-"}   (operator ${m.registry?.operator ?? "-"})`,
    `  faucet    ${m.faucetAddress}`,
    ...(isMultiHost(m)
      ? [
          `  machine I needs, under its --home: devnet/devnet.json, devnet/faucet.json, devnet/registry-operator.json and devnet/nodeI/`,
          `  and runs:  trustnet devnet start --foreground --home <its home> --node I`,
        ]
      : [`  start     trustnet devnet up --validators ${m.validators} --home ${a.home}`]),
  ].join("\n"));
}

async function chainInfo(a: GlobalOptions & { out?: string }): Promise<void> {
  const manifest = await readManifest(a.home);
  if (!manifest) throw new CliError(`no devnet in ${devnetLayout(a.home).root}`, { hint: "create one with 'trustnet devnet up' (or 'devnet generate')" });
  const genesisFile = join(devnetLayout(a.home).node(0).cometHome, "config", "genesis.json");
  let facts;
  try {
    facts = genesisFacts(JSON.parse(readFileSync(genesisFile, "utf8")));
  } catch (err) {
    throw new CliError(`cannot read the devnet's genesis ${genesisFile}: ${(err as Error).message}`);
  }
  const out = resolve(a.out ?? fileURLToPath(new URL("../../../config/chain-registry/", import.meta.url)));
  const files = await writeChainRegistry(out, manifest, facts);
  printerFor(a).result({ dir: out, files, chain_id: facts.chainId }, () => `wrote ${files.join(", ")} for ${facts.chainId} to ${out}`);
}

async function down(a: GlobalOptions): Promise<void> {
  const r = await devnetDown(a.home);
  printerFor(a).result({ stopped: r.wasRunning }, () => (r.wasRunning ? "devnet stopped" : "devnet was not running"));
}

async function reset(a: GlobalOptions & { yes: boolean }): Promise<void> {
  if (!a.yes) throw new CliError("reset deletes the devnet's chain data, validator keys and faucet key", { hint: "re-run with --yes to confirm", exitCode: 2 });
  const r = await devnetReset(a.home);
  printerFor(a).result({ reset: true, dropped_tag_queue: r.droppedTagQueue }, () =>
    `devnet deleted from ${devnetLayout(a.home).root} (logs, keys/ and the registry's images kept${r.droppedTagQueue ? "; the registry's tag records still queued for the old chain were dropped" : ""})`);
}

/** `node`: --node as given on the line (the faucet's --node has no default: see faucetNode). */
type FaucetArgs = Omit<GlobalOptions, "node"> & FeeOptions & { readonly node?: string; readonly address: string; readonly amount: string };

/**
 * Where the faucet sends: --node when it is on the line (whatever its value, the default's included), else
 * $TRUSTNET_NODE (empty counts as unset, as defaultNode), else this home's devnet's node 0, wherever --port-offset put
 * its RPC (a devnet spread over machines: the default node).
 */
function faucetNode(given: string | undefined, manifest: DevnetManifest, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) return given;
  if (env.TRUSTNET_NODE) return env.TRUSTNET_NODE;
  return (isMultiHost(manifest) ? undefined : statusRpcUrl(manifest, 0, true)) ?? DEFAULT_NODE;
}

/**
 * A MsgSend from the devnet's faucet key, sent like every tx command (tx-options.ts sendTxAs): the fee flags and the
 * --max-fee ceiling, the fee shown before it is sent and in the result.
 */
async function faucet(a: FaucetArgs): Promise<void> {
  // Everything is checked before the node is contacted: an unknown key name sends nothing.
  const { address: to, key } = await resolveAddressArg(a.home, a.address, { what: "recipient" });
  const amount = parseAmount(a.amount);
  const manifest = await readManifest(a.home);
  if (!manifest) throw new CliError("no devnet here", { hint: "start one with 'trustnet devnet up'" });
  const recipient = key === undefined ? to : `${key} (${to})`;
  const g: GlobalOptions = { ...a, node: faucetNode(a.node, manifest) };
  const { res, from, fee } = await sendTxAs({ ...a, node: g.node, memo: "devnet faucet" }, async () => {
    const f = await readFaucet(a.home);
    return { label: "the devnet faucet", address: f.address, signer: () => DirectSecp256k1HdWallet.fromMnemonic(f.mnemonic, { prefix: BECH32_PREFIX }) };
  }, (f) => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: f, toAddress: to, amount: [{ denom: DENOM, amount: amount.toString() }] } }),
  { summary: `Sending ${formatTrust(amount)} from the devnet faucet to ${recipient}`, chainId: manifest.chainId });
  printerFor(g).result({ txhash: res.hash, height: String(res.height), from, to, utrust: amount.toString(), fee },
    () => `sent ${formatTrust(amount)} to ${recipient} (tx ${res.hash}, height ${res.height})`);
}

export const devnetCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "devnet <command>",
  describe: "run a local devnet (CometBFT + the TrustNet app as host processes)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .command({
        command: "up",
        describe: "create (first time) and start the devnet; returns once block 1 is committed",
        builder: (b: Argv<GlobalOptions>) => b
          .option("validators", { type: "number", default: 1, describe: `validators (1-${MAX_VALIDATORS}); validator i uses ports base+${PORT_STRIDE}·i` })
          .option("block-time", { type: "string", default: "1s", describe: "CometBFT timeout_commit (new devnets only)" })
          .option("transport", { choices: ["socket", "grpc"] as const, default: DEFAULT_ABCI_TRANSPORT, describe: "ABCI transport (new devnets only)" })
          .option("timeout", { type: "number", default: 90, describe: "seconds to wait for the first block" })
          .option("unbonding-time", { type: "string", describe: "staking unbonding period written to genesis, e.g. 20s, 5m (default 5m; new devnets only)" })
          .option("inflation", { type: "string", describe: "a fixed annual inflation written to genesis, e.g. 0 or 0.1 (default: x/mint's 7–20% band from 13%; new devnets only)" })
          .option("port-offset", { type: "number", default: 0, describe: "added to every port (new devnets only; to run beside another devnet)" })
          .option("leasing-ready-timeout", { type: "number", describe: "blocks a lease may stay not ready before it is closed with a full refund (default 600; new devnets only)" })
          .option("app-arg", { type: "string", array: true, hidden: true })
          .option("monitoring", { type: "boolean", default: false, describe: `also start Prometheus on 127.0.0.1:${PROMETHEUS_PORT} (+ port offset) scraping the app, CometBFT and the registry` })
          .option("prometheus-bin", { type: "string", describe: "Prometheus binary for --monitoring (default /usr/bin/prometheus, Debian's package)" })
          .example("$0 devnet up", "one validator: RPC 26657, P2P 26656, ABCI 26658")
          .example("$0 devnet up --validators 4", "four validators on loopback (RPC 26657, 26667, 26677, 26687)") as unknown as Argv<UpArgs>,
        handler: (a) => up(a as unknown as UpArgs),
      })
      .command({
        command: "generate",
        describe: "write a devnet without starting it; with --p2p-hosts, one chain whose validators run on separate machines",
        builder: (b: Argv<GlobalOptions>) => b
          .option("validators", { type: "number", describe: `validators (1-${MAX_VALIDATORS}); default: the number of --p2p-hosts, else 1` })
          .option("p2p-hosts", { type: "string", describe: "one IPv4/IPv6 address per validator, comma-separated (IPv6 without brackets): node i listens for P2P on Hi:26656, every node on the contract ports" })
          .option("rpc-laddr", { type: "string", describe: `with --p2p-hosts: every node's CometBFT RPC listen address (default ${DEFAULT_HOSTS_RPC_LADDR})` })
          .option("registry-endpoint", { type: "string", describe: "registry URL registered at genesis (default http://127.0.0.1:8000)" })
          .option("unbonding-time", { type: "string", describe: "staking unbonding period written to genesis, e.g. 20s, 5m (default 5m; new devnets only)" })
          .option("block-time", { type: "string", default: "1s", describe: "CometBFT timeout_commit" })
          .option("transport", { choices: ["socket", "grpc"] as const, default: DEFAULT_ABCI_TRANSPORT, describe: "ABCI transport" })
          .option("port-offset", { type: "number", default: 0, describe: "without --p2p-hosts: added to every port" })
          .example("$0 devnet generate --home /tmp/net --validators 3 --p2p-hosts fd12:3456:789a::1,fd12:3456:789a::3,fd12:3456:789a::4 --rpc-laddr tcp://0.0.0.0:26657 --registry-endpoint http://[fd12:3456:789a::2]:8000", "one chain for three VMs on a ULA segment")
          .example("$0 devnet generate --validators 4", "a loopback devnet like 'devnet up', without starting it"),
        handler: (a) => generate(a as unknown as GenerateArgs),
      })
      .command({
        command: "start",
        describe: "run the devnet in the foreground until SIGTERM (for systemd/OpenRC services, e.g. in the node VM)",
        builder: (b: Argv<GlobalOptions>) => b
          .option("foreground", { type: "boolean", default: false, describe: "required: stay attached (use 'devnet up' to detach)" })
          .option("validators", { type: "number", default: 1 })
          .option("block-time", { type: "string", default: "1s" })
          .option("transport", { choices: ["socket", "grpc"] as const, default: DEFAULT_ABCI_TRANSPORT })
          .option("port-offset", { type: "number", default: 0 })
          .option("node", { type: "string", default: undefined, describe: "run only validator I of the existing devnet in --home (no registry; never generates): one machine of a 'devnet generate --p2p-hosts' devnet" })
          .option("p2p-laddr", { type: "string", describe: "CometBFT P2P listen address of the node run here (node 0, or --node I), e.g. tcp://[fd12:3456:789a::1]:26656" })
          .option("rpc-laddr", { type: "string", describe: "CometBFT RPC listen address of the node run here (node 0, or --node I), e.g. tcp://0.0.0.0:26657" })
          .option("init", { type: "boolean", default: false, describe: "generate a new devnet (new keys and genesis) when --home has none; without it a missing devnet is an error (not with --node)" })
          .option("app-arg", { type: "string", array: true, hidden: true })
          .example("$0 devnet start --foreground --home /var/lib/trustnet --rpc-laddr tcp://0.0.0.0:26657", "as a service's ExecStart (the devnet must exist: devnet generate)")
          .example("$0 devnet start --foreground --init --home /tmp/net", "generate a devnet on this first start, then run it")
          .example("$0 devnet start --foreground --home /var/lib/trustnet --node 1", "validator 1 of a devnet made by 'devnet generate --p2p-hosts'"),
        handler: async (raw) => {
          const a = raw as unknown as UpArgs & { foreground: boolean; init: boolean; node?: string | string[]; "p2p-laddr"?: string; "rpc-laddr"?: string };
          if (!a.foreground) throw new CliError("'devnet start' runs in the foreground: pass --foreground (or use 'devnet up' to start it in the background)", { exitCode: 2 });
          if (Array.isArray(a.node)) throw new UsageError("--node is given more than once", "one machine runs one validator");
          await devnetStartForeground({
            home: a.home, validators: a.validators, blockTime: a["block-time"], transport: a.transport, portOffset: a["port-offset"],
            appArgs: a["app-arg"] ?? [], log: (l) => process.stderr.write(l + "\n"),
            ...(a["p2p-laddr"] ? { p2pLaddr: a["p2p-laddr"] } : {}), ...(a["rpc-laddr"] ? { rpcLaddr: a["rpc-laddr"] } : {}),
            ...(a.node !== undefined ? { node: a.node } : {}), init: a.init === true,
          });
          process.stderr.write(`devnet ${a.node !== undefined ? `validator ${a.node} ` : ""}running in the foreground (pid ${process.pid}); logs in ${devnetLayout(a.home).logs}; stop with SIGTERM\n`);
        },
      })
      .command({
        command: "status",
        describe: "height, app hash and peers of every node",
        builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet status --output json", "machine-readable status"),
        handler: (a) => status(a),
      })
      .command({ command: "down", describe: "stop the devnet (keeps its data)", builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet down", "stop all processes"), handler: (a) => down(a) })
      .command({
        command: "reset",
        describe: "stop the devnet and delete its chain data and keys",
        builder: (b: Argv<GlobalOptions>) => b.option("yes", { type: "boolean", default: false, describe: "confirm" }).example("$0 devnet reset --yes", "start over"),
        handler: (a) => reset(a as GlobalOptions & { yes: boolean }),
      })
      .command({
        command: "faucet <address> [amount]",
        describe: "send test tokens from the devnet faucet",
        builder: (b: Argv<GlobalOptions>) => withFeeOptions(b)
          // No default here (the global --node's would hide whether it was given): faucetNode applies them.
          .option("node", { type: "string", default: undefined, describe: `CometBFT RPC endpoint (default: $TRUSTNET_NODE, else this home's devnet node 0, else ${DEFAULT_NODE})` })
          .positional("address", { type: "string", demandOption: true, describe: "recipient: a key name or a trust1… address" })
          .positional("amount", { type: "string", default: "100TRUST", describe: "amount, e.g. 100TRUST or 5000000utrust" })
          .example("$0 devnet faucet alice 100TRUST", "fund key alice")
          .example("$0 devnet faucet trust1… 50TRUST", "fund an address"),
        handler: (a) => faucet(a as unknown as FaucetArgs),
      })
      .command({
        command: "chain-info",
        describe: "write the devnet's chain-registry chain.json, assetlist.json and Keplr suggest-chain JSON (from its genesis)",
        builder: (b: Argv<GlobalOptions>) => b
          .option("out", { type: "string", describe: "directory to write into (default: config/chain-registry of this checkout)" })
          .example("$0 devnet chain-info --out ./chain-registry", "regenerate the files"),
        handler: (a) => chainInfo(a as GlobalOptions & { out?: string }),
      })
      .command({
        command: "keplr",
        describe: "print the devnet's Keplr ChainInfo (for window.keplr.experimentalSuggestChain)",
        builder: (b: Argv<GlobalOptions>) => b.example("$0 devnet keplr > trustnet-devnet.json", "save it for a dApp"),
        handler: async (a) => {
          const manifest = await readManifest(a.home);
          if (!manifest) throw new CliError("no devnet here", { hint: "start one with 'trustnet devnet up'" });
          const genesisFile = join(devnetLayout(a.home).node(0).cometHome, "config", "genesis.json");
          let facts;
          try {
            facts = genesisFacts(JSON.parse(readFileSync(genesisFile, "utf8")));
          } catch {
            facts = undefined;
          }
          printerFor({ ...a, output: "json" }).result(keplrChainInfo(manifest, facts));
        },
      })
      .demandCommand(1, "name a devnet command: up, start, generate, status, down, reset, faucet, keplr or chain-info"),
  handler: () => undefined,
};
