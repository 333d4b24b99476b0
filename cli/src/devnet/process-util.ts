import { readFileSync } from "node:fs";

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process's command line, or undefined when it is gone (Linux /proc; elsewhere only liveness is known). */
export function pidCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return pidAlive(pid) && process.platform !== "linux" ? "" : undefined;
  }
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
