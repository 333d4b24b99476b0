// The config.toml settings every TrustNet node gets (`devnet generate` and `node init`): the ABCI app on loopback,
// the RPC with room for the largest tx, the block time, the tx index, CometBFT's metrics on loopback. How the node
// meets its peers and who may call its RPC from a browser is a networking profile the caller passes in: the devnet's
// lab profile (devnetNetworking) or CometBFT's own defaults for a node joining a network (fullnode/config.ts).
// Everything else stays as `cometbft init` wrote it.
import { readFileSync, statSync } from "node:fs";
import { MAX_TX_JSON_BODY_BYTES } from "@trustnet/abci-app";
import { writeFileAtomic } from "@trustnet/installer";
import type { AbciTransport, NodePorts } from "./layout.ts";
import { setTomlKeys } from "./toml.ts";

export type TomlEntry = readonly [section: string, key: string, value: string | number | boolean];

export interface NetworkingProfile {
  /** The [p2p] keys beyond laddr and persistent_peers (address book, duplicate IPs, seeds …). */
  readonly p2p: readonly (readonly [key: string, value: string | number | boolean])[];
  /** rpc.cors_allowed_origins. */
  readonly corsAllowedOrigins: readonly string[];
}

export interface CometNodeConfig {
  readonly moniker: string;
  readonly ports: NodePorts;
  readonly transport: AbciTransport;
  /** CometBFT timeout_commit, e.g. "1s". */
  readonly blockTime: string;
  readonly rpcLaddr: string;
  readonly p2pLaddr: string;
  readonly persistentPeers: string;
  readonly networking: NetworkingProfile;
}

/** The devnet's lab profile: any address book entry (loopback, private ranges), many nodes per IP, RPC CORS open. */
export const devnetNetworking: NetworkingProfile = {
  p2p: [["addr_book_strict", false], ["allow_duplicate_ip", true]],
  corsAllowedOrigins: ["*"],
};

// setTomlKey writes strings, numbers and booleans; the CORS list is swapped in for this placeholder afterwards.
const CORS_PLACEHOLDER = "__CORS__";

/** The config.toml keys set for one node. */
export function cometConfigEntries(c: CometNodeConfig): TomlEntry[] {
  return [
    ["", "moniker", c.moniker],
    // CometBFT's gRPC client wants a bare host:port; the socket client a tcp:// URL.
    ["", "proxy_app", c.transport === "grpc" ? `127.0.0.1:${c.ports.abci}` : `tcp://127.0.0.1:${c.ports.abci}`],
    ["", "abci", c.transport],
    ["rpc", "laddr", c.rpcLaddr],
    ["rpc", "cors_allowed_origins", CORS_PLACEHOLDER],
    // Room for the largest tx base64-encoded in a JSON-RPC broadcast (CometBFT's 1,000,000 is too small).
    ["rpc", "max_body_bytes", MAX_TX_JSON_BODY_BYTES],
    ["p2p", "laddr", c.p2pLaddr],
    ["p2p", "persistent_peers", c.persistentPeers],
    ...c.networking.p2p.map(([key, value]): TomlEntry => ["p2p", key, value]),
    ["consensus", "timeout_commit", c.blockTime],
    ["tx_index", "indexer", "kv"],
    // CometBFT's own metrics, on loopback only (scraped by `devnet up --monitoring`).
    ["instrumentation", "prometheus", true],
    ["instrumentation", "prometheus_listen_addr", `127.0.0.1:${c.ports.metrics ?? 26660}`],
  ];
}

/** `cometbft init`'s config.toml with the node's keys set. */
export function renderCometConfig(initToml: string, c: CometNodeConfig): string {
  return setTomlKeys(initToml, cometConfigEntries(c))
    .replace(`cors_allowed_origins = "${CORS_PLACEHOLDER}"`, `cors_allowed_origins = ${JSON.stringify(c.networking.corsAllowedOrigins)}`);
}

/**
 * Sets `entries` in an existing config.toml (`devnet start --foreground --p2p-laddr/--rpc-laddr`), writing it whole
 * (writeFileAtomic: a symbolic link planted at `file` is replaced, never written through; a rewrite cut short leaves
 * the old file) with the mode it had (CometBFT's own 0644, or whatever its owner chose).
 */
export async function rewriteCometConfig(file: string, entries: readonly TomlEntry[]): Promise<void> {
  const mode = statSync(file).mode & 0o777;
  await writeFileAtomic(file, setTomlKeys(readFileSync(file, "utf8"), entries), "replace", mode);
}
