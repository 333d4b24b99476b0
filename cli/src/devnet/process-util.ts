import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";

/**
 * True while `pid` runs. A zombie (exited, not yet reaped by its parent: a detached supervisor killed with SIGKILL
 * stays one until init reaps it) answers `kill(pid, 0)` but runs nothing, so on Linux it counts as gone.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" && !isZombie(pid);
  }
  return !isZombie(pid);
}

/** True once no process has the PID at all: not running and, if it was a zombie, reaped by its parent. */
export function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Linux: the process's state in /proc/<pid>/stat is Z. Elsewhere (or when unreadable): false. */
export function isZombie(pid: number): boolean {
  if (process.platform !== "linux") return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "<pid> (<comm>) <state> …": comm may hold spaces and parentheses, so the state follows the last ")"
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/**
 * The process's command line, or undefined when it is gone (Linux /proc: a zombie's is empty, and it is gone;
 * elsewhere only liveness is known, and a live process answers "").
 */
export function pidCmdline(pid: number): string | undefined {
  if (process.platform === "linux") {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      return cmd === "" ? undefined : cmd;
    } catch {
      return undefined;
    }
  }
  return pidAlive(pid) ? "" : undefined;
}

/** True when `pid` is alive AND is the process we started (guards against recycled PIDs). */
export function pidIs(pid: number, marker: string): boolean {
  const cmd = pidCmdline(pid);
  return cmd !== undefined && (cmd === "" || cmd.includes(marker));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(intervalMs);
  }
  return cond();
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

export function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once("exit", () => r()));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stopChild(p: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), graceMs);
  await exited(p);
  clearTimeout(t);
}

/**
 * Spawns a supervised child (the app, CometBFT, the registry) in its own process group (and session), so that a
 * Ctrl-C in the terminal, which signals the whole foreground group, reaches only the supervisor (`devnet start
 * --foreground`, `node start`), which then stops CometBFT first and the app after it. A systemd unit's
 * KillMode=mixed still kills what is left in its cgroup; `stopChild` stops each child by its pid.
 */
export function spawnSupervised(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}
