import { readdir, readFile, readlink } from "node:fs/promises";
import { createServer } from "node:net";
import { runCommand, type Runner } from "./run-command.ts";

/** A contract port that something already holds, and who (when the OS lets us see it). */
export interface PortInUse {
  readonly port: number;
  readonly pid: number | undefined;
  readonly command: string | undefined;
  /**
   * Set when no listener holds the port but a connection does (its TCP state, e.g. ESTABLISHED): the port is the
   * local end of a connection, typically an outgoing one that the kernel gave an ephemeral port.
   */
  readonly connectionState?: string;
}

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Linux TCP states as /proc/net/tcp writes them (include/net/tcp_states.h). */
const TCP_STATES: Readonly<Record<string, string>> = {
  "01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT",
  "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING",
};

interface SocketRow { readonly state: string; readonly inode: string }

/** TCP sockets whose local port is `port`, from /proc/net/tcp{,6} (Linux); listeners first. */
async function socketsOnPort(port: number): Promise<SocketRow[]> {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const rows: SocketRow[] = [];
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await readFile(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]?.endsWith(`:${hex}`)) rows.push({ state: TCP_STATES[cols[3] ?? ""] ?? `state ${cols[3]}`, inode: cols[9]! });
    }
  }
  return rows.sort((a, b) => Number(b.state === "LISTEN") - Number(a.state === "LISTEN"));
}

/** The process that holds one of the socket inodes, when /proc lets us see it. */
async function processOf(inodes: ReadonlySet<string>): Promise<{ pid: number; command: string } | undefined> {
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m !== null && inodes.has(m[1]!)) {
        const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
        return { pid: Number(pid), command: cmd.split("\0").filter(Boolean).join(" ") };
      }
    }
  }
  return undefined;
}

/** Who holds `port` according to /proc: a listener, else a connection (with its state); undefined if neither. */
async function holderFromProc(port: number): Promise<{ pid?: number; command?: string; connectionState?: string } | undefined> {
  const rows = await socketsOnPort(port);
  const listeners = rows.filter((r) => r.state === "LISTEN");
  if (listeners.length > 0) return { ...(await processOf(new Set(listeners.map((r) => r.inode)))) };
  // A TIME_WAIT socket has no owner and does not stop a listener that sets SO_REUSEADDR (as CometBFT and Node do).
  const live = rows.filter((r) => r.state !== "TIME_WAIT");
  const first = live[0];
  if (first === undefined) return undefined;
  return { ...(await processOf(new Set(live.map((r) => r.inode)))), connectionState: first.state };
}

/**
 * The kernel's ephemeral port range (net.ipv4.ip_local_port_range): the local ports it hands to outgoing
 * connections. A listener placed inside it can find its port taken at any moment by someone's connection.
 * Undefined where it cannot be read (not Linux).
 */
export async function ephemeralPortRange(read: (f: string) => Promise<string> = (f) => readFile(f, "utf8")): Promise<{ low: number; high: number } | undefined> {
  try {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(await read("/proc/sys/net/ipv4/ip_local_port_range"));
    return m === null ? undefined : { low: Number(m[1]), high: Number(m[2]) };
  } catch {
    return undefined;
  }
}

async function ownerFromLsof(port: number, run: Runner): Promise<{ pid: number; command: string } | undefined> {
  const r = await run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpc"]);
  const pid = /^p(\d+)$/m.exec(r.stdout)?.[1];
  const cmd = /^c(.+)$/m.exec(r.stdout)?.[1];
  return pid === undefined ? undefined : { pid: Number(pid), command: cmd ?? "?" };
}

/** Every port of `ports` that is taken, with its owner where visible. */
export async function portsInUse(ports: readonly number[], run: Runner = runCommand): Promise<PortInUse[]> {
  const out: PortInUse[] = [];
  for (const port of ports) {
    const proc = await holderFromProc(port);
    const listener = proc !== undefined && proc.connectionState === undefined; // taken, whichever address it listens on
    if (!listener && (await isPortFree(port))) continue;
    const owner = proc?.pid !== undefined ? proc : process.platform === "linux" ? undefined : await ownerFromLsof(port, run);
    out.push({ port, pid: owner?.pid, command: owner?.command, ...(proc?.connectionState !== undefined ? { connectionState: proc.connectionState } : {}) });
  }
  return out;
}

/**
 * Whether a process's command line names `home`: as a path prefix (`<home>/…`) or a whole argument. A plain
 * substring test would count `~/.trustnet2`'s processes as `~/.trustnet`'s.
 */
export function commandUsesHome(command: string | undefined, home: string): boolean {
  if (command === undefined || home === "") return false;
  const h = home.replace(/\/+$/u, "");
  for (let at = command.indexOf(h); at >= 0; at = command.indexOf(h, at + 1)) {
    const before = at === 0 ? " " : command[at - 1];
    const after = command[at + h.length];
    if ((before === " " || before === "=") && (after === undefined || after === "/" || after === " ")) return true;
  }
  return false;
}

export function describePortInUse(p: PortInUse, ports: readonly number[] = [p.port]): string {
  const who = p.pid === undefined ? "the owning process is not visible to this user" : `pid ${p.pid} (${p.command ?? "?"})`;
  const subject = ports.length === 1 ? `port ${ports[0]} is` : `ports ${ports.join(", ")} are`;
  if (p.connectionState !== undefined) return `${subject} already in use as the local end of a connection (${p.connectionState}; ${who})`;
  return p.pid === undefined ? `${subject} already in use (${who})` : `${subject} already in use by ${who}`;
}

/** Busy ports, one clause per holder: "ports 26656, 26657 are already in use by pid 7 (cometbft …)", not one per port. */
export function describePortsInUse(busy: readonly PortInUse[]): string {
  const holders = new Map<string, { readonly first: PortInUse; readonly ports: number[] }>();
  for (const p of busy) {
    const key = JSON.stringify([p.pid ?? null, p.command ?? null, p.connectionState ?? null]);
    const h = holders.get(key);
    if (h) h.ports.push(p.port);
    else holders.set(key, { first: p, ports: [p.port] });
  }
  return [...holders.values()].map((h) => describePortInUse(h.first, h.ports)).join("; ");
}
