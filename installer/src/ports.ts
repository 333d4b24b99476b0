import { readdir, readFile, readlink } from "node:fs/promises";
import { createServer } from "node:net";
import { runCommand, type Runner } from "./run-command.ts";

/** A contract port that something already listens on, and who (when the OS lets us see it). */
export interface PortInUse {
  readonly port: number;
  readonly pid: number | undefined;
  readonly command: string | undefined;
}

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Socket inodes of TCP listeners on `port`, from /proc/net/tcp{,6} (Linux). */
async function listenInodes(port: number): Promise<Set<string>> {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await readFile(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A") inodes.add(cols[9]!);
    }
  }
  return inodes;
}

async function ownerFromProc(port: number): Promise<{ pid: number; command: string } | undefined> {
  const inodes = await listenInodes(port);
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
    const proc = await ownerFromProc(port);
    if (proc === undefined && (await isPortFree(port))) continue;
    const owner = proc ?? (process.platform === "linux" ? undefined : await ownerFromLsof(port, run));
    out.push({ port, pid: owner?.pid, command: owner?.command });
  }
  return out;
}

export function describePortInUse(p: PortInUse): string {
  return p.pid === undefined
    ? `port ${p.port} is already in use (the owning process is not visible to this user)`
    : `port ${p.port} is already in use by pid ${p.pid} (${p.command ?? "?"})`;
}
