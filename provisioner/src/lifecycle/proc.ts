/** Process facts from /proc: is a pid our QEMU (cmdline + boot id), and who holds a TCP port. */
import { execFile } from "node:child_process";
import { access, readdir, readFile, readlink } from "node:fs/promises";

export async function currentBootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "unknown")).trim();
}

/**
 * A process's command line: its arguments, from /proc/<pid>/cmdline (Linux); or, where there is no /proc (macOS),
 * the one line `ps -ww -o command=` prints, the arguments joined by spaces.
 */
export type CommandLine = { readonly argv: readonly string[] } | { readonly line: string };

/** Does the command line run qemu-system-* with `-pidfile <pidfile>`? (Pure.) */
export function namesOurQemu(cmd: CommandLine, pidfile: string): boolean {
  if ("argv" in cmd) return cmd.argv.some((a) => a.includes("qemu-system")) && cmd.argv.includes(pidfile);
  const line = cmd.line.replace(/\n+$/u, "");
  const flag = `-pidfile ${pidfile}`;
  return line.includes("qemu-system") && (line.endsWith(` ${flag}`) || line.includes(` ${flag} `));
}

/** `ps -ww -o command= -p <pid>` (procps and BSD ps alike): undefined when no such process. */
export function psCommandLine(pid: number): Promise<CommandLine | undefined> {
  return new Promise((resolve) => {
    execFile("ps", ["-ww", "-o", "command=", "-p", String(pid)], (err, stdout) => resolve(err !== null || stdout.trim() === "" ? undefined : { line: stdout }));
  });
}

/** The command line of `pid` (undefined when it is gone): /proc where there is one, else ps. */
export async function commandLineOf(pid: number): Promise<CommandLine | undefined> {
  const text = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (text !== undefined) return { argv: text.split("\0") };
  if (await access("/proc/self/cmdline").then(() => true, () => false)) return undefined; // Linux: the process is gone
  return psCommandLine(pid);
}

/**
 * True when `pid` is alive and its command line names `pidfile` (so a reused PID is not mistaken for our VM). On
 * macOS, with no /proc, every running VM read as stale ("not this VM's QEMU"): `vm stop` then cleared its pidfile
 * and left QEMU running, holding its ports.
 */
export async function isOurQemu(pid: number, pidfile: string, read: (pid: number) => Promise<CommandLine | undefined> = commandLineOf): Promise<boolean> {
  const cmd = await read(pid);
  return cmd !== undefined && namesOurQemu(cmd, pidfile);
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
