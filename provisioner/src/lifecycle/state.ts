/** Is a VM running? pidfile + /proc/<pid>/cmdline + the boot id recorded at start (stale PIDs are detected). */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { FILES } from "./layout.ts";
import { currentBootId, isOurQemu, sameBoot } from "./proc.ts";

export type VmRunState = { readonly state: "running"; readonly pid: number } | { readonly state: "stopped" } | { readonly state: "stale"; readonly pid: number; readonly reason: string };

export async function runState(dir: string): Promise<VmRunState> {
  const pidfile = join(dir, FILES.pid);
  const text = await readFile(pidfile, "utf8").catch(() => undefined);
  if (text === undefined) return { state: "stopped" };
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return { state: "stale", pid: 0, reason: "unreadable pidfile" };
  const recordedBoot = (await readFile(join(dir, FILES.bootId), "utf8").catch(() => "")).trim();
  if (!sameBoot(recordedBoot, await currentBootId())) return { state: "stale", pid, reason: "the host rebooted since the VM started" };
  if (!(await isOurQemu(pid, pidfile))) return { state: "stale", pid, reason: `pid ${pid} is not this VM's QEMU` };
  return { state: "running", pid };
}

/** Removes the leftovers of a VM that is not running (pidfile, boot id, sockets). */
export async function clearRunFiles(dir: string): Promise<void> {
  await Promise.all([FILES.pid, FILES.bootId, FILES.qmp, "serial.sock"].map((f) => rm(join(dir, f), { force: true })));
}
