// Parsing of ABCI listen addresses, in CometBFT's proxy_app syntax.
import { InvalidAddressError } from "./errors.ts";

/** A parsed listen address. `port` 0 means "any free port" (the bound port is reported by the server). */
export type ListenAddress =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

/**
 * Accepts `tcp://host:port`, `tcp://[::1]:port`, `unix:///abs/path.sock` (also `unix://rel` and `unix:/abs`),
 * and a bare `host:port` (treated as tcp, like CometBFT).
 */
export function parseListenAddress(address: string): ListenAddress {
  if (address.startsWith("unix:")) {
    const path = address.replace(/^unix:(\/\/)?/, "");
    if (path === "") throw new InvalidAddressError(address, "unix socket path is empty");
    return { kind: "unix", path };
  }
  const hostPort = address.startsWith("tcp://") ? address.slice("tcp://".length) : address;
  if (hostPort.includes("://")) throw new InvalidAddressError(address, "only tcp:// and unix:// are supported");
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/]*)):(\d{1,5})$/.exec(hostPort);
  if (!m) throw new InvalidAddressError(address, "expected tcp://host:port or unix:///path.sock");
  const port = Number(m[3]);
  if (port > 65535) throw new InvalidAddressError(address, `port ${port} is out of range`);
  const host = m[1] ?? m[2] ?? "";
  return { kind: "tcp", host: host === "" ? "0.0.0.0" : host, port };
}

/** Formats an address back into proxy_app syntax (what CometBFT's config wants). */
export function formatListenAddress(addr: ListenAddress): string {
  if (addr.kind === "unix") return `unix://${addr.path}`;
  return addr.host.includes(":") ? `tcp://[${addr.host}]:${addr.port}` : `tcp://${addr.host}:${addr.port}`;
}

/** Whether a TCP listen host is a loopback one (127.0.0.0/8, ::1, localhost): reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./i.test(host);
}
