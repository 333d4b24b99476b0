// The config.toml of a full node joining a network (`node init`): CometBFT's own networking defaults — P2P on all
// interfaces, a strict address book, one connection per IP, no RPC CORS — not the devnet's loopback profile
// (`devnet generate` keeps that one). The rest — RPC, ABCI and metrics on loopback — is the base every node shares
// (devnet/cometbft-config.ts). The operator's flags are validated here before anything is written.
import { isIP } from "node:net";
import { UsageError } from "../errors.ts";
import { parseTcpLaddr } from "../devnet/network.ts";
import type { AbciTransport, NodePorts } from "../devnet/layout.ts";
import type { CometNodeConfig, NetworkingProfile } from "../devnet/cometbft-config.ts";

// A hostname, an IPv4 address or a bracketed IPv6 address, then a port.
const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)):(\d{1,5})$/;

/** `host:port` (a DNS name, IPv4, or [IPv6]) with a port in 1..65535. */
export function parseHostPort(flag: string, s: string): string {
  const m = HOST_PORT.exec(s);
  const port = Number(m?.[3]);
  if (!m || (m[1] !== undefined && isIP(m[1]) !== 6) || !(port >= 1 && port <= 65535)) {
    throw new UsageError(`${flag}: "${s}" is not host:port`, "e.g. 203.0.113.7:26656, node1.example.org:26656 or [2001:db8::7]:26656");
  }
  return s;
}

/** `<node id>@host:port`: the node id is 40 lower-case hex characters. */
export function parsePeerAddress(flag: string, s: string): string {
  const at = s.indexOf("@");
  if (!/^[0-9a-f]{40}$/.test(s.slice(0, at)) || !HOST_PORT.test(s.slice(at + 1))) {
    throw new UsageError(`${flag}: "${s}" is not <node id>@host:port`, "the node id is 40 hex characters: 'cometbft show-node-id', or node_info.id of the peer's /status");
  }
  parseHostPort(flag, s.slice(at + 1));
  return s;
}

/** A comma-separated list of `<node id>@host:port` ("" = none), returned without blanks around the commas. */
export function parsePeerList(flag: string, csv: string): string {
  if (csv.trim() === "") return "";
  return csv.split(",").map((p) => parsePeerAddress(flag, p.trim())).join(",");
}

export interface FullNodeNetwork {
  /** P2P listen address (tcp://HOST:PORT); CometBFT's default host 0.0.0.0. */
  readonly p2pLaddr: string;
  /** The address peers are told to dial (host:port); "" = CometBFT's guess from the listen address. */
  readonly externalAddress: string;
  readonly seeds: string;
  readonly persistentPeers: string;
}

/** CometBFT's own networking defaults with the operator's flags: a strict address book, one connection per IP, no RPC CORS. */
export function fullNodeNetworking(net: FullNodeNetwork): NetworkingProfile {
  return {
    p2p: [["external_address", net.externalAddress], ["seeds", net.seeds], ["addr_book_strict", true], ["allow_duplicate_ip", false]],
    corsAllowedOrigins: [],
  };
}

/** The config.toml settings `node init` writes (everything else stays as `cometbft init` wrote it). */
export function fullNodeConfig(o: { moniker: string; ports: NodePorts; transport: AbciTransport; blockTime: string; net: FullNodeNetwork }): CometNodeConfig {
  parseTcpLaddr("--p2p-laddr", o.net.p2pLaddr);
  return {
    moniker: o.moniker, ports: o.ports, transport: o.transport, blockTime: o.blockTime, rpcLaddr: `tcp://127.0.0.1:${o.ports.rpc}`,
    p2pLaddr: o.net.p2pLaddr, persistentPeers: o.net.persistentPeers, networking: fullNodeNetworking(o.net),
  };
}
