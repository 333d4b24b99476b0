/** Process facts from /proc: is a pid our QEMU (cmdline + boot id), and who holds a TCP port. */
import { readdir, readFile, readlink } from "node:fs/promises";

export async function currentBootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "unknown")).trim();
}

/** True when `pid` is alive and its command line names `pidfile` (so a reused PID is not mistaken for our VM). */
export async function isOurQemu(pid: number, pidfile: string): Promise<boolean> {
  const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (cmd === undefined) return false;
  const argv = cmd.split("\0");
  return argv.some((a) => a.includes("qemu-system")) && argv.includes(pidfile);
}

/** Socket inodes in LISTEN state on `port` from /proc/net/tcp{,6} text. */
export function listenInodes(procNetTcp: string, port: number): readonly string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const out: string[] = [];
  for (const line of procNetTcp.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (local === undefined || f[3] !== "0A") continue;
    if (local.slice(local.lastIndexOf(":") + 1) === hexPort && f[9] !== undefined) out.push(f[9]);
  }
  return out;
}

/** "pid 1234 (sshd)" for the process listening on `port`, or undefined when it cannot be seen. */
export async function portHolder(port: number): Promise<string | undefined> {
  const tables = await Promise.all(["/proc/net/tcp", "/proc/net/tcp6"].map((p) => readFile(p, "utf8").catch(() => "")));
  const inodes = new Set(tables.flatMap((t) => listenInodes(t, port)));
  if (inodes.size === 0) return undefined;
  for (const pid of (await readdir("/proc").catch(() => [])).filter((d) => /^\d+$/.test(d))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m?.[1] !== undefined && inodes.has(m[1])) {
        const comm = (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "?")).trim();
        return `pid ${pid} (${comm})`;
      }
    }
  }
  return "another process (not visible to this user)";
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
