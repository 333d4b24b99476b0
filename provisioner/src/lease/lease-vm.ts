/**
 * Lease VM lifecycle under <home>/leases/<lease id>/. The directory is created exclusively (mkdir, not recursive)
 * and lease.json is written BEFORE QEMU starts: it is the per-lease lock and record, so a daemon killed at any
 * point (even with kill -9 mid-provisioning) finds the VM again on restart and never starts a second one.
 */
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { CommandFailedError, InvalidConfigError, ProvisionError, VmStateError } from "../errors.ts";
import { FILES } from "../lifecycle/layout.ts";
import { currentBootId, hostProcesses, listProcesses, pidAlive, type CommandLine, type ProcessSource } from "../lifecycle/proc.ts";
import { qmpExecute } from "../lifecycle/qmp.ts";
import { serialTail } from "../lifecycle/ready.ts";
import { followSerialLog, type FollowEnd, type FollowOptions } from "../lifecycle/serial-follow.ts";
import { appendCapped, drainSerial } from "../lifecycle/serial-log.ts";
import { clearRunFiles, runState, type VmRunState } from "../lifecycle/state.ts";
import { ensureVarsStore, type LifecycleDeps } from "../lifecycle/vm.ts";
import { ed25519FromSeed, generateEd25519, openSshPublicLine, type Ed25519Key } from "../ssh/keys.ts";
import { argvUsesFirmware, argvWithFirmware, leaseQemuArgv } from "./argv.ts";
import type { LeaseBootSource, PreparedBoot } from "./boot-source.ts";
import { hostKeyFingerprint, leaseVmName, validateLeaseVmSpec, type LeaseVmSpec } from "./spec.ts";

export const LEASE_RECORD = "lease.json";
const HOST_KEY_SEED = "hostkey.seed";

export interface LeaseVmRecord {
  readonly version: 1;
  readonly spec: LeaseVmSpec;
  /** "ssh-ed25519 AAAA..." injected as the VM's host key. */
  readonly hostKey: string;
  readonly hostKeyFingerprint: string;
  /** provisioning: the record exists, QEMU may not; prepared: disk and seed written, argv known. */
  readonly phase: "provisioning" | "prepared";
  readonly user: string | undefined;
  readonly argv: readonly string[] | undefined;
}

export const leasesRoot = (home: string): string => join(home, "leases");
/** Where the console logs of closed leases are kept (`<id>.serial.log`, 0600): the KEPT_CLOSED_LOGS highest ids. */
export const closedLogsRoot = (home: string): string => join(home, "closed-logs");
export const KEPT_CLOSED_LOGS = 20;
export const leaseDir = (home: string, leaseId: string): string => (leaseVmName(leaseId), join(leasesRoot(home), leaseId));

export class LeaseVmExistsError extends ProvisionError {
  override readonly name: string = "LeaseVmExistsError";
}

async function writeRecord(dir: string, r: LeaseVmRecord): Promise<void> {
  await writeFileAtomic(join(dir, LEASE_RECORD), JSON.stringify(r, null, 2) + "\n", "replace");
}

export async function readLeaseRecord(home: string, leaseId: string): Promise<LeaseVmRecord | undefined> {
  const text = await readFile(join(leaseDir(home, leaseId), LEASE_RECORD), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as LeaseVmRecord;
    return r.version === 1 ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Lease ids with a directory (a record, or the remains of a create that died before writing one). */
export async function listLeaseVms(home: string): Promise<readonly string[]> {
  const entries = await readdir(leasesRoot(home), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9]+$/.test(e.name)).map((e) => e.name).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

async function hostKeyOf(dir: string): Promise<Ed25519Key> {
  const seed = await readFile(join(dir, HOST_KEY_SEED)).catch(() => undefined);
  if (seed?.length === 32) return ed25519FromSeed(seed);
  const k = generateEd25519();
  await writeFileAtomic(join(dir, HOST_KEY_SEED), k.seed, "replace");
  return k;
}

/**
 * Claims the lease's directory and writes its record (phase "provisioning") before anything else. Throws
 * LeaseVmExistsError when the directory exists: the caller reconciles that VM instead of making another.
 */
export async function claimLeaseVm(home: string, spec: LeaseVmSpec): Promise<LeaseVmRecord> {
  validateLeaseVmSpec(spec);
  await mkdir(leasesRoot(home), { recursive: true, mode: 0o700 });
  const dir = leaseDir(home, spec.leaseId);
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new LeaseVmExistsError(`lease ${spec.leaseId} already has a VM directory (${dir})`);
    throw e;
  }
  const key = await hostKeyOf(dir);
  const hostKey = openSshPublicLine(key, "");
  const r: LeaseVmRecord = { version: 1, spec, hostKey, hostKeyFingerprint: hostKeyFingerprint(hostKey), phase: "provisioning", user: undefined, argv: undefined };
  await writeRecord(dir, r);
  return r;
}

/** Writes disk and seed (idempotent: redone from scratch when a previous attempt died half-way), then the argv. */
export async function prepareLeaseVm(home: string, r: LeaseVmRecord, source: LeaseBootSource, deps: LifecycleDeps): Promise<LeaseVmRecord> {
  const dir = leaseDir(home, r.spec.leaseId);
  for (const f of [FILES.disk, FILES.cidata, FILES.initrd]) await rm(join(dir, f), { force: true });
  const prepared: PreparedBoot = await source.prepare(r.spec, await hostKeyOf(dir), dir);
  const host = await deps.probe({ guestArch: "aarch64", needFirmware: prepared.boot.kind === "uefi", qemuBinary: deps.qemuBinary("aarch64") });
  if (prepared.boot.kind === "uefi" && host.firmware?.vars !== undefined) {
    await copyFile(host.firmware.vars, join(dir, FILES.efiVars));
    await chmod(join(dir, FILES.efiVars), 0o600);
  }
  const argv = leaseQemuArgv(r.spec, dir, prepared, host);
  const next: LeaseVmRecord = { ...r, phase: "prepared", user: prepared.user, argv };
  await writeRecord(dir, next);
  return next;
}

/**
 * Starts the prepared VM's QEMU, detached (deps.launch; lifecycle/launch.ts). A VM already running is left alone
 * (never a second QEMU). A record prepared before that (its argv has -daemonize) still starts as it was written.
 */
export async function startLeaseVm(home: string, r: LeaseVmRecord, deps: LifecycleDeps): Promise<number> {
  if (r.argv === undefined) throw new InvalidConfigError(`lease ${r.spec.leaseId}: the VM is not prepared`);
  const dir = leaseDir(home, r.spec.leaseId);
  const st = await runState(dir);
  if (st.state === "running") return st.pid;
  const argv = await firmwareFoundNow(dir, r, r.argv, deps);
  await clearRunFiles(dir);
  // Not truncated: the daemon drains the console while the VM runs, and what a VM that stopped printed last is
  // what its provider needs to see after the restart.
  await appendCapped(join(dir, FILES.serialLog), Buffer.from(`\n--- trustnet: QEMU started (lease ${r.spec.leaseId}) ---\n`));
  const what = `${deps.qemuBinary("aarch64")} (lease ${r.spec.leaseId})`;
  if (argv.includes("-daemonize")) {
    const res = await deps.$`${deps.qemuBinary("aarch64")} ${argv}`;
    if (res.exitCode !== 0) throw new CommandFailedError(what, res.exitCode ?? undefined, res.stderr || res.stdout);
    await writeFile(join(dir, FILES.bootId), `${await currentBootId()}\n`);
    return Number((await readFile(join(dir, FILES.pid), "utf8")).trim());
  }
  const res = await deps.launch(deps.qemuBinary("aarch64"), argv, join(dir, FILES.qmp));
  if (!("pid" in res)) throw new CommandFailedError(what, res.exitCode, res.stderr);
  await writeFile(join(dir, FILES.bootId), `${await currentBootId()}\n`);
  return res.pid;
}

/**
 * The argv to start: the one written at prepare, with the UEFI firmware found again now (as `vm start` does; the
 * package may have been upgraded, moved or removed since), so that QEMU never stops on a firmware path that is gone.
 * No firmware found: the probe's "missing: UEFI firmware" error; a raw variable store that no longer fits the
 * firmware's template: refused with what to do (ensureVarsStore); a missing store is made again. Nothing changes
 * before these checks; a changed argv is written back to the record.
 */
async function firmwareFoundNow(dir: string, r: LeaseVmRecord, written: readonly string[], deps: LifecycleDeps): Promise<readonly string[]> {
  if (!argvUsesFirmware(written)) return written;
  const host = await deps.probe({ guestArch: "aarch64", needFirmware: true, qemuBinary: deps.qemuBinary("aarch64") });
  const fw = host.firmware;
  if (fw === undefined) return written; // needFirmware: the probe throws first
  const id = r.spec.leaseId;
  await ensureVarsStore(leaseVmName(id), dir, fw, { vm: `lease ${id}'s VM`, since: " the lease VM was prepared", startAgain: "let the provider start it again (its next restart try, or trustnet provider run again)" });
  const argv = argvWithFirmware(written, fw, join(dir, FILES.efiVars));
  if (argv.join("\0") !== written.join("\0")) await writeRecord(dir, { ...r, argv });
  return argv;
}

export async function leaseVmState(home: string, leaseId: string): Promise<VmRunState> {
  return runState(leaseDir(home, leaseId));
}

/**
 * The last `lines` lines of the lease VM's serial console, for the provider (`trustnet provider lease-logs`): what
 * its QEMU ring holds is drained into the VM's capped serial.log first, as `vm logs` does (lifecycle/serial-log.ts).
 * A closed lease's VM is gone: its log as kept then (`closed: true`), when it still is. Otherwise refused.
 */
export async function leaseConsoleTail(home: string, leaseId: string, lines: number): Promise<{ readonly text: string; readonly closed: boolean }> {
  const { file, closed } = await leaseConsoleFile(home, leaseId);
  // No QMP socket in closed-logs: serialTail's drain finds no QEMU and only reads the file.
  return { text: await serialTail(file, lines), closed };
}

/**
 * `provider lease-logs --follow`: the last lines, then what the lease VM prints next (lifecycle/serial-follow.ts).
 * A closed lease's kept log is printed and not followed (`not-running`).
 */
export async function followLeaseConsole(home: string, leaseId: string, o: FollowOptions): Promise<{ readonly end: FollowEnd; readonly closed: boolean }> {
  const { file, closed } = await leaseConsoleFile(home, leaseId);
  return { end: await followSerialLog(file, closed ? { ...o, running: async () => false } : o), closed };
}

async function leaseConsoleFile(home: string, leaseId: string): Promise<{ readonly file: string; readonly closed: boolean }> {
  const dir = leaseDir(home, leaseId);
  if (await stat(dir).then((s) => s.isDirectory(), () => false)) return { file: join(dir, FILES.serialLog), closed: false };
  const kept = join(closedLogsRoot(home), `${leaseId}.serial.log`);
  if (await stat(kept).then((s) => s.isFile(), () => false)) return { file: kept, closed: true };
  throw new VmStateError(leaseVmName(leaseId), `lease ${leaseId} has no VM on this machine (no ${dir}) and no kept console log`, "the lease VMs of 'trustnet provider run --home H' live under H/provider/leases (closed leases' logs in H/provider/closed-logs, the last 20): give the same --home");
}

/** Moves the destroyed VM's serial.log to closed-logs, then drops all but the KEPT_CLOSED_LOGS highest lease ids. */
async function keepClosedLog(home: string, leaseId: string): Promise<void> {
  const root = closedLogsRoot(home);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const moved = await rename(join(leaseDir(home, leaseId), FILES.serialLog), join(root, `${leaseId}.serial.log`)).then(() => true, () => false);
  if (!moved) return; // no log (a VM that never started, or a second destroy): a kept one stays as it is
  const ids = (await readdir(root)).map((f) => /^([0-9]{1,20})\.serial\.log$/.exec(f)?.[1]).filter((id) => id !== undefined).map(BigInt);
  ids.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  for (const id of ids.slice(KEPT_CLOSED_LOGS)) await rm(join(root, `${id}.serial.log`), { force: true });
}

/** Moves what the lease VM's console printed since the last drain into its serial.log (nothing when QEMU is gone). */
export async function drainLeaseConsole(home: string, leaseId: string, timeoutMs = 2000): Promise<void> {
  await drainSerial(leaseDir(home, leaseId), timeoutMs);
}

/** The lease id whose pidfile (`<leases root>/<id>/qemu.pid`) a QEMU command line names, or undefined. (Pure.) */
export function leaseOfQemu(cmd: CommandLine, root: string): string | undefined {
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pidfile = `${esc(root)}/([0-9]+)/${esc(FILES.pid)}`;
  if ("argv" in cmd) {
    if (!cmd.argv.some((a) => a.includes("qemu-system"))) return undefined;
    const i = cmd.argv.indexOf("-pidfile");
    return i >= 0 ? new RegExp(`^${pidfile}$`).exec(cmd.argv[i + 1] ?? "")?.[1] : undefined;
  }
  // ps's one line (macOS): the arguments joined by spaces; the pidfile whole, last or followed by more.
  const line = cmd.line.replace(/\n+$/u, "");
  if (!line.includes("qemu-system")) return undefined;
  return new RegExp(` -pidfile ${pidfile}(?: |$)`).exec(line)?.[1];
}

/**
 * QEMU processes of lease VMs under `home` (by their -pidfile argument), running or orphaned: from /proc, or from ps
 * where there is none (macOS), so that destroy's SIGKILL reaches a VM that ignores the power-off there too.
 */
export async function leaseQemuProcesses(home: string, source: ProcessSource = hostProcesses): Promise<readonly { readonly pid: number; readonly leaseId: string }[]> {
  const root = leasesRoot(home);
  const out: { pid: number; leaseId: string }[] = [];
  for (const p of await listProcesses(source)) {
    const leaseId = leaseOfQemu(p.cmd, root);
    if (leaseId !== undefined) out.push({ pid: p.pid, leaseId });
  }
  return out;
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (pidAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return !pidAlive(pid);
}

/**
 * Kills every QEMU of the lease (QMP quit, then SIGKILL; found by leaseQemuProcesses, through `source`) and removes
 * its directory: the tenant's disk is gone. Its console, drained a last time, is kept in closed-logs (the provider's
 * answer to "why did it never become ready").
 */
export async function destroyLeaseVm(home: string, leaseId: string, source: ProcessSource = hostProcesses): Promise<void> {
  const dir = leaseDir(home, leaseId);
  const st = await runState(dir);
  if (st.state === "running") {
    await drainSerial(dir, 2000);
    await qmpExecute(join(dir, FILES.qmp), ["quit"], 2000).catch(() => undefined);
  }
  for (const p of await leaseQemuProcesses(home, source)) {
    if (p.leaseId !== leaseId) continue;
    if (!(await waitGone(p.pid, 3000))) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await waitGone(p.pid, 5000);
    }
  }
  await keepClosedLog(home, leaseId).catch(() => undefined); // the tenant's disk goes even when the log cannot stay
  await rm(dir, { recursive: true, force: true });
}
