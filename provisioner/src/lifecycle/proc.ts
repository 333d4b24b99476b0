/**
 * Process facts: is a pid our QEMU (cmdline + boot id), which processes are lease VMs' QEMUs, and who holds a TCP
 * port. From /proc where there is one (Linux); where there is none (macOS), from `ps` and `lsof`.
 */
import { execFile } from "node:child_process";
import { access, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** What a command printed, and its exit status (null: killed by a signal). */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
}

/**
 * Where process facts come from: the /proc root, when it exists; else `run` (ps, lsof), which resolves undefined for
 * a command that could not be started (not installed). Tests give a fake /proc tree, or a missing one and a fake run.
 */
export interface ProcessSource {
  readonly procRoot: string;
  readonly run: (file: string, args: readonly string[]) => Promise<RunResult | undefined>;
}

function runCommand(file: string, args: readonly string[]): Promise<RunResult | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 << 20 }, (err, stdout) => {
      if (err === null) return resolve({ code: 0, stdout });
      if (typeof err.code === "string") return resolve(undefined); // ENOENT, EACCES: it did not run
      resolve({ code: typeof err.code === "number" ? err.code : null, stdout });
    });
  });
}

/** This host: /proc, else ps and lsof from PATH. */
export const hostProcesses: ProcessSource = { procRoot: "/proc", run: runCommand };

/** Is there a /proc (Linux) at the source's root? */
export function hasProc(source: ProcessSource): Promise<boolean> {
  return access(join(source.procRoot, "self")).then(() => true, () => false);
}

/** A boot id that could not be read: it never tells a reboot (sameBoot). */
export const UNKNOWN_BOOT = "unknown";

/**
 * This boot's id, which the VMs' `qemu.boot-id` and the locks record so that a pid from before a reboot is never taken
 * for a live one: /proc/sys/kernel/random/boot_id (Linux); where there is no /proc (macOS), `sysctl -n
 * kern.bootsessionuuid` (a UUID made at each boot; kern.boottime is not used: macOS moves it as the clock is set).
 * UNKNOWN_BOOT when neither answers.
 */
export async function currentBootId(source: ProcessSource = hostProcesses): Promise<string> {
  const id = await readFile(join(source.procRoot, "sys", "kernel", "random", "boot_id"), "utf8").then((t) => t.trim(), () => "");
  if (id !== "") return id;
  if (await hasProc(source)) return UNKNOWN_BOOT;
  const r = await source.run("sysctl", ["-n", "kern.bootsessionuuid"]);
  const uuid = r?.code === 0 ? r.stdout.trim() : "";
  return /^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/u.test(uuid) ? uuid : UNKNOWN_BOOT;
}

/**
 * Were both ids read in the same boot? An id that could not be read (UNKNOWN_BOOT, or a file left empty) tells nothing:
 * treated as the same boot, so that what an older trustnet recorded on macOS ("unknown") is not read as a reboot (a
 * running VM as stale, a held lock as free). (Pure.)
 */
export function sameBoot(recorded: string, now: string): boolean {
  const known = (b: string): boolean => b !== "" && b !== UNKNOWN_BOOT;
  return recorded === now || !known(recorded) || !known(now);
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

const NOT_VISIBLE = "another process (not visible to this user)";

/**
 * "pid 1234 (sshd)" for the first process in `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpc` output (its `p<pid>` and
 * `c<command>` fields), or undefined when it names none. (Pure.)
 */
export function lsofHolder(text: string): string | undefined {
  let pid: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("p") && pid === undefined) pid = line.slice(1);
    else if (line.startsWith("c") && pid !== undefined) return `pid ${pid} (${line.slice(1)})`;
  }
  return pid === undefined ? undefined : `pid ${pid} (?)`;
}

/**
 * "pid 1234 (sshd)" for the process listening on `port`, or undefined when it cannot be seen: from /proc/net/tcp{,6}
 * and each process's fds, or, where there is no /proc (macOS), from lsof (undefined when lsof is not installed).
 */
export async function portHolder(port: number, source: ProcessSource = hostProcesses): Promise<string | undefined> {
  if (!(await hasProc(source))) {
    const r = await source.run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpc"]);
    if (r === undefined) return undefined;
    return (r.code === 0 ? lsofHolder(r.stdout) : undefined) ?? NOT_VISIBLE;
  }
  const proc = source.procRoot;
  const tables = await Promise.all([join(proc, "net", "tcp"), join(proc, "net", "tcp6")].map((p) => readFile(p, "utf8").catch(() => "")));
  const inodes = new Set(tables.flatMap((t) => listenInodes(t, port)));
  if (inodes.size === 0) return undefined;
  for (const pid of (await readdir(proc).catch(() => [])).filter((d) => /^\d+$/.test(d))) {
    const fds = await readdir(join(proc, pid, "fd")).catch(() => []);
    for (const fd of fds) {
      const link = await readlink(join(proc, pid, "fd", fd)).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m?.[1] !== undefined && inodes.has(m[1])) {
        const comm = (await readFile(join(proc, pid, "comm"), "utf8").catch(() => "?")).trim();
        return `pid ${pid} (${comm})`;
      }
    }
  }
  return NOT_VISIBLE;
}

/** Every process's pid and `pid= command=` line from `ps -ax -ww -o pid=,command=` (procps and BSD ps). (Pure.) */
export function psTable(text: string): readonly { readonly pid: number; readonly cmd: CommandLine }[] {
  const out: { pid: number; cmd: CommandLine }[] = [];
  for (const l of text.split("\n")) {
    const m = /^\s*(\d+)\s(.*)$/u.exec(l);
    if (m?.[1] !== undefined && m[2] !== undefined) out.push({ pid: Number(m[1]), cmd: { line: m[2].trim() } });
  }
  return out;
}

/** Every process and its command line: /proc/<pid>/cmdline where there is /proc, else one `ps` run. */
export async function listProcesses(source: ProcessSource = hostProcesses): Promise<readonly { readonly pid: number; readonly cmd: CommandLine }[]> {
  if (!(await hasProc(source))) {
    const r = await source.run("ps", ["-ax", "-ww", "-o", "pid=,command="]);
    return r?.code === 0 ? psTable(r.stdout) : [];
  }
  const out: { pid: number; cmd: CommandLine }[] = [];
  for (const p of (await readdir(source.procRoot).catch(() => [])).filter((d) => /^\d+$/.test(d))) {
    const text = await readFile(join(source.procRoot, p, "cmdline"), "utf8").catch(() => undefined);
    if (text !== undefined) out.push({ pid: Number(p), cmd: { argv: text.split("\0") } });
  }
  return out;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
