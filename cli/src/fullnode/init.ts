// `trustnet node init`: a full node of an existing chain under `<home>/fullnode` — its own CometBFT home (fresh node key
// and consensus key from `cometbft init`), the chain's genesis (genesis.ts), the peers to sync from, and the ports it
// listens on (the contract ports + an offset) with CometBFT's networking defaults (config.ts). `node start` runs it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { CliError } from "../errors.ts";
import { type AbciTransport, DEFAULT_ABCI_TRANSPORT, type NodePorts, portsFor } from "../devnet/layout.ts";
import { renderCometConfig } from "../devnet/cometbft-config.ts";
import { childEnv } from "../child-env.ts";
import { currentStateFormat, type StateFormatMarker } from "../state-format.ts";
import { loadGenesis } from "./genesis.ts";
import { fullNodeConfig, parseHostPort, parsePeerAddress, parsePeerList } from "./config.ts";
import { parseTcpLaddr } from "../devnet/network.ts";

const run = promisify(execFile);

/**
 * Where a full node lives under the TrustNet home: `<home>/fullnode`. Not `<home>/node`, which is the installer's
 * private Node.js runtime (install.sh replaces that directory on every update); a node that an older release made
 * there (its `node.json` says so) is still found there.
 */
export function fullNodeLayout(home: string) {
  const legacy = join(home, "node");
  const root = existsSync(join(legacy, "node.json")) ? legacy : join(home, "fullnode");
  return { root, manifest: join(root, "node.json"), cometHome: join(root, "cometbft"), appHome: join(root, "app"), logs: join(home, "logs") };
}

/** `<home>/fullnode/node.json`: what `node init` set up; read by `node start` and `validator join`. */
export interface FullNodeManifest extends StateFormatMarker {
  readonly chainId: string;
  readonly moniker: string;
  readonly nodeId: string;
  readonly peer: string;
  readonly ports: NodePorts;
  /** sha256 of config/genesis.json's bytes; `node start` passes it to CometBFT (--genesis_hash). Absent in older nodes. */
  readonly genesisSha256?: string;
  /** The ABCI transport config.toml was written for; absent in nodes initialised before it was recorded (socket). */
  readonly transport?: AbciTransport;
}

export interface InitOptions {
  readonly home: string;
  readonly cometbft: string;
  /** `<node id>@host:port` of a node of the chain. */
  readonly peer: string;
  /** A genesis.json path or URL (`….json`), or a CometBFT RPC URL to fetch it from (`/genesis_chunked`). */
  readonly genesis: string;
  /** Pins: the genesis must have this sha256 / name this chain (at least one is required for a URL). */
  readonly genesisSha256?: string | undefined;
  readonly chainId?: string | undefined;
  readonly portOffset: number;
  readonly moniker: string;
  readonly blockTime: string;
  /** P2P listen address; default tcp://0.0.0.0:<26656 + offset>. */
  readonly p2pLaddr?: string | undefined;
  /** host:port peers dial; default "" (CometBFT derives it from the listen address). */
  readonly externalAddress?: string | undefined;
  /** Comma-separated <node id>@host:port; default none. */
  readonly seeds?: string | undefined;
  /** Comma-separated <node id>@host:port; default the --peer. */
  readonly persistentPeers?: string | undefined;
  readonly log?: (line: string) => void;
}

export function parsePeer(p: string): string {
  return parsePeerAddress("--peer", p);
}

/** Creates `<home>/fullnode` (atomically: a failure leaves nothing behind); refuses to overwrite an existing node. */
export async function initFullNode(o: InitOptions): Promise<FullNodeManifest> {
  const layout = fullNodeLayout(o.home);
  if (existsSync(layout.root)) throw new CliError(`a node already exists at ${layout.root}`, { hint: "use another --home, or remove that directory to start over" });
  parsePeer(o.peer);
  const p2pLaddr = o.p2pLaddr ?? `tcp://0.0.0.0:${portsFor(0, o.portOffset).p2p}`;
  const { port: p2pPort } = parseTcpLaddr("--p2p-laddr", p2pLaddr);
  const net = {
    p2pLaddr,
    externalAddress: o.externalAddress === undefined || o.externalAddress === "" ? "" : parseHostPort("--external-address", o.externalAddress),
    seeds: parsePeerList("--seeds", o.seeds ?? ""),
    persistentPeers: parsePeerList("--persistent-peers", o.persistentPeers ?? o.peer),
  };
  const genesis = await loadGenesis(o.genesis, { sha256: o.genesisSha256, chainId: o.chainId });
  const chainId = genesis.chainId;
  const ports: NodePorts = { ...portsFor(0, o.portOffset), p2p: p2pPort };
  await mkdir(dirname(layout.root), { recursive: true, mode: 0o700 });
  const tmp = await mkdtemp(`${layout.root}.tmp-`);
  try {
    const cometHome = join(tmp, "cometbft");
    o.log?.("cometbft init (new node key and consensus key)");
    await run(o.cometbft, ["init", "--home", cometHome], { env: childEnv() });
    const nodeId = (await run(o.cometbft, ["show-node-id", "--home", cometHome], { env: childEnv() })).stdout.trim();
    // The bytes as received: their sha256 is what the operator pinned and what CometBFT checks at start.
    await writeFile(join(cometHome, "config", "genesis.json"), genesis.bytes);
    const config = fullNodeConfig({ moniker: o.moniker, ports, transport: DEFAULT_ABCI_TRANSPORT, blockTime: o.blockTime, net });
    const toml = await readFile(join(cometHome, "config", "config.toml"), "utf8");
    await writeFile(join(cometHome, "config", "config.toml"), renderCometConfig(toml, config));
    await mkdir(join(tmp, "app"), { recursive: true, mode: 0o700 });
    const manifest: FullNodeManifest = { ...currentStateFormat(), chainId, genesisSha256: genesis.sha256, moniker: o.moniker, nodeId, peer: o.peer, ports, transport: DEFAULT_ABCI_TRANSPORT };
    await writeFile(join(tmp, "node.json"), JSON.stringify(manifest, null, 2) + "\n");
    await rename(tmp, layout.root);
    return manifest;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export async function readFullNode(home: string): Promise<FullNodeManifest> {
  const layout = fullNodeLayout(home);
  try {
    return JSON.parse(await readFile(layout.manifest, "utf8")) as FullNodeManifest;
  } catch {
    throw new CliError(`no node at ${layout.root}`, { hint: `run: trustnet node init --home ${home} --peer <id@host:port> --genesis <file|rpc-url> --chain-id <id>` });
  }
}

/** The node's CometBFT RPC URL. */
export const nodeRpcUrl = (m: FullNodeManifest): string => `http://127.0.0.1:${m.ports.rpc}`;
