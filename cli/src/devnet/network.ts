// Where each validator of a devnet listens and how the others reach it. Two shapes:
//  - one machine (the default): every node on 127.0.0.1, node i on each contract port + PORT_STRIDE·i (+ offset);
//  - separate machines (`devnet generate --p2p-hosts H0,H1,…`): node i on its own host Hi, every node on the
//    contract ports (each machine has its own loopback), peers dialled at Hi:26656.
// Pure functions: the generator, the supervisor and `devnet status` share them, and the specs test them.
import { isIP } from "node:net";
import { UsageError } from "../errors.ts";
import { BASE_PORTS, type DevnetManifest, MAX_VALIDATORS, type NodePorts, portsFor } from "./layout.ts";

/** The RPC listen address of separate-machine nodes when `--rpc-laddr` is not given. */
export const DEFAULT_HOSTS_RPC_LADDR = `tcp://127.0.0.1:${BASE_PORTS.rpc}`;

/** The canonical form of an IPv4/IPv6 literal (lower case, `::` compressed), or undefined when `s` is not one. */
export function canonicalIp(s: string): string | undefined {
  if (s.includes("%")) return undefined; // a zone id (fe80::1%eth0) cannot be put in a peer address
  const v = isIP(s);
  if (v === 4) return s;
  if (v === 6) return new URL(`http://[${s}]/`).hostname.slice(1, -1);
  return undefined;
}

const isWildcard = (host: string): boolean => host === "0.0.0.0" || host === "::";
const isLoopback = (host: string): boolean => host === "::1" || (isIP(host) === 4 && host.startsWith("127."));

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * `--p2p-hosts`: comma-separated IPv4/IPv6 literals (IPv6 without brackets), one per validator, all distinct.
 * Returned in canonical form, so `fd00:0::1` and `fd00::1` count as the same host.
 */
export function parseP2pHosts(csv: string): string[] {
  const example = "e.g. --p2p-hosts fd12:3456:789a::1,fd12:3456:789a::3 (IPv6 without brackets) or 10.0.0.1,10.0.0.2";
  const items = csv.split(",").map((s) => s.trim());
  const seen = new Map<string, number>();
  return items.map((raw, i) => {
    if (raw === "") throw new UsageError(`--p2p-hosts: entry ${i} is empty in "${csv}"`, example);
    const host = canonicalIp(raw);
    if (host === undefined) throw new UsageError(`--p2p-hosts: "${raw}" is not an IPv4 or IPv6 address`, example);
    if (isWildcard(host)) throw new UsageError(`--p2p-hosts: "${raw}" is the unspecified address; give each validator's own address`, example);
    const dup = seen.get(host);
    if (dup !== undefined) throw new UsageError(`--p2p-hosts: "${raw}" is given twice (entries ${dup} and ${i}); every validator needs its own address`, example);
    seen.set(host, i);
    return host;
  });
}

/** A CometBFT listen address `tcp://HOST:PORT` (HOST an IPv4 literal or a bracketed IPv6 literal). */
export function parseTcpLaddr(flag: string, s: string): { host: string; port: number } {
  const m = /^tcp:\/\/(?:\[([^\]]+)\]|([0-9.]+)):(\d{1,5})$/.exec(s);
  const bracketed = m?.[1];
  const host = bracketed !== undefined ? (isIP(bracketed) === 6 ? canonicalIp(bracketed) : undefined) : m?.[2] !== undefined && isIP(m[2]) === 4 ? m[2] : undefined;
  const port = Number(m?.[3]);
  if (host === undefined || !(port >= 1 && port <= 65535)) {
    throw new UsageError(`${flag}: "${s}" is not a listen address of the form tcp://HOST:PORT`, "e.g. tcp://127.0.0.1:26657, tcp://0.0.0.0:26657 or tcp://[::]:26657");
  }
  return { host, port };
}

/** Where one node listens, and the address its peers dial. */
export interface NodeNetwork {
  readonly index: number;
  readonly ports: NodePorts;
  readonly p2pLaddr: string;
  readonly rpcLaddr: string;
  /** `host:port` the other validators put in persistent_peers. */
  readonly p2pAddress: string;
  /** Separate machines only: the node's own address. */
  readonly p2pHost?: string;
}

export interface NetworkOptions {
  readonly validators: number;
  /** One address per validator: the devnet spans separate machines. */
  readonly p2pHosts?: readonly string[];
  /** Separate machines only: every node's RPC listen address (default tcp://127.0.0.1:26657). */
  readonly rpcLaddr?: string;
  /** One machine only: added to every port. */
  readonly portOffset?: number;
}

/** Validates the options (UsageError, exit code 2) and returns every node's listen and peer addresses. */
export function planNetwork(o: NetworkOptions): NodeNetwork[] {
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > MAX_VALIDATORS) {
    throw new UsageError(`--validators must be a whole number from 1 to ${MAX_VALIDATORS}, got ${o.validators}`);
  }
  const offset = o.portOffset ?? 0;
  const maxOffset = 65535 - (portsFor(o.validators - 1, 0).metrics ?? 0); // the highest port of the last node
  if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) {
    throw new UsageError(`--port-offset must be a whole number from 0 to ${maxOffset}, got ${offset}`);
  }
  if (o.p2pHosts === undefined) {
    if (o.rpcLaddr !== undefined) {
      throw new UsageError("--rpc-laddr applies to devnets on separate machines (--p2p-hosts)", "on one machine, move node 0's RPC with 'trustnet devnet start --foreground --rpc-laddr …'");
    }
    return Array.from({ length: o.validators }, (_, index) => {
      const ports = portsFor(index, offset);
      return { index, ports, p2pLaddr: `tcp://127.0.0.1:${ports.p2p}`, rpcLaddr: `tcp://127.0.0.1:${ports.rpc}`, p2pAddress: `127.0.0.1:${ports.p2p}` };
    });
  }
  if (o.p2pHosts.length !== o.validators) {
    throw new UsageError(`--validators is ${o.validators} but --p2p-hosts lists ${o.p2pHosts.length} address(es); give exactly one address per validator`);
  }
  if (offset !== 0) throw new UsageError("--port-offset cannot be combined with --p2p-hosts: on separate machines every node uses the contract ports");
  const hosts = parseP2pHosts(o.p2pHosts.join(",")); // re-checked here so that library callers get the same validation
  const rpcLaddr = o.rpcLaddr ?? DEFAULT_HOSTS_RPC_LADDR;
  const rpc = parseTcpLaddr("--rpc-laddr", rpcLaddr);
  if (!isWildcard(rpc.host) && !isLoopback(rpc.host)) {
    throw new UsageError(`--rpc-laddr: ${rpcLaddr} names one machine's address, but every node uses the same RPC listen address`, "use tcp://127.0.0.1:PORT (local clients only), tcp://0.0.0.0:PORT or tcp://[::]:PORT (every interface)");
  }
  const ports: NodePorts = { ...portsFor(0, 0), rpc: rpc.port };
  if (rpc.port === ports.p2p || rpc.port === ports.abci || rpc.port === ports.rest || rpc.port === ports.metrics) {
    throw new UsageError(`--rpc-laddr: port ${rpc.port} is already used by the node's P2P, ABCI or REST listener`);
  }
  return hosts.map((host, index) => ({
    index, ports, p2pHost: host, p2pLaddr: `tcp://${hostPort(host, ports.p2p)}`, rpcLaddr: `tcp://${hostPort(rpc.host, rpc.port)}`, p2pAddress: hostPort(host, ports.p2p),
  }));
}

/** CometBFT's persistent_peers for node `index`: every other node as `<id>@host:port`. */
export function persistentPeers(plan: readonly NodeNetwork[], nodeIds: readonly string[], index: number): string {
  return plan.filter((n) => n.index !== index).map((n) => `${nodeIds[n.index]}@${n.p2pAddress}`).join(",");
}

/** True when the devnet was generated for separate machines (`devnet generate --p2p-hosts`). */
export function isMultiHost(m: DevnetManifest): boolean {
  return m.nodes.some((n) => n.p2pHost !== undefined);
}

/**
 * The RPC URL `devnet status` queries for node `index`, or undefined when it cannot be reached from here.
 * One machine: 127.0.0.1 and the node's port. Separate machines: a node running on this machine (`local`) at its
 * listen address (`localLaddr`, read from its config.toml, else the manifest's); another machine's node at its own
 * address when the RPC listens on every interface, and not at all when it listens on its machine's loopback.
 */
export function statusRpcUrl(m: DevnetManifest, index: number, local: boolean, localLaddr?: string): string | undefined {
  const node = m.nodes[index];
  if (!node) return undefined;
  if (node.p2pHost === undefined) return `http://127.0.0.1:${node.ports.rpc}`;
  const parse = (s: string | undefined): { host: string; port: number } | undefined => {
    try {
      return s === undefined ? undefined : parseTcpLaddr("rpc laddr", s);
    } catch {
      return undefined; // e.g. a unix socket set by hand: fall back to what the manifest says
    }
  };
  const { host, port } = (local ? parse(localLaddr) : undefined) ?? parse(m.rpcLaddr) ?? { host: "127.0.0.1", port: node.ports.rpc };
  if (local) return `http://${isWildcard(host) ? (host === "::" ? "[::1]" : "127.0.0.1") + `:${port}` : hostPort(host, port)}`;
  return isWildcard(host) ? `http://${hostPort(node.p2pHost, port)}` : undefined;
}
