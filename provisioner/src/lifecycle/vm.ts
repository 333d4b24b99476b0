/** VM lifecycle: create (atomic: a temp dir renamed into place), start, stop (QMP power-down), destroy, status. */
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { CommandFailedError, ProvisionError, VmStateError } from "../errors.ts";
import type { Shell } from "../shell.ts";
import { buildQemuArgv } from "../qemu/argv.ts";
import type { ProbeOptions } from "../qemu/probe.ts";
import type { Firmware, GuestArch, HostFeatures } from "../qemu/types.ts";
import { blobFromPublicLine } from "../ssh/keys.ts";
import { FILES, checkSocketPath, isVmName, netDir, startScriptName, stopScriptName, vmDir, vmsRoot } from "./layout.ts";
import { checkPortPlan, ensurePortsFree } from "./ports.ts";
import { currentBootId, pidAlive } from "./proc.ts";
import type { LaunchResult } from "./launch.ts";
import { qmpExecute, qmpQuery } from "./qmp.ts";
import { drainSerial } from "./serial-log.ts";
import { parseRecord, toVmSpec, type VmRecord } from "./record.ts";
import { startScript, stopScript } from "./scripts.ts";
import { clearRunFiles, runState, type VmRunState } from "./state.ts";

export interface LifecycleDeps {
  readonly $: Shell;
  readonly probe: (opts: ProbeOptions) => Promise<HostFeatures>;
  /** qemu-system-<arch>, or $QEMU_SYSTEM_<ARCH>. */
  readonly qemuBinary: (arch: GuestArch) => string;
  /** Starts QEMU detached and waits for its QMP greeting (launch.ts). */
  readonly launch: (binary: string, argv: readonly string[], qmpSocket: string) => Promise<LaunchResult>;
}

export async function readRecord(home: string, name: string): Promise<VmRecord> {
  const dir = vmDir(home, name);
  const file = join(dir, FILES.record);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) throw new VmStateError(name, `no VM named ${name} (${dir})`, "create it with 'trustnet vm create' or 'trustnet vm up'");
  return parseRecord(text, file);
}

/**
 * The VMs of a home: the directories under `vms/` with a VM's name that hold its record (what readRecord reads). A
 * stray directory (made by hand, or left by an interrupted `rm`) is no VM: it made `vm status` and `vm stop` (all
 * VMs) fail with "no VM named <it>" and report none of the real ones.
 */
export async function listVms(home: string): Promise<readonly string[]> {
  const entries = await readdir(vmsRoot(home), { withFileTypes: true }).catch(() => []);
  const named = entries.filter((e) => e.isDirectory() && isVmName(e.name)).map((e) => e.name);
  const vms = await Promise.all(named.map(async (n) => ((await holdsRecord(join(vmsRoot(home), n))) ? [n] : [])));
  return vms.flat().sort();
}

async function holdsRecord(dir: string): Promise<boolean> {
  return (await stat(join(dir, FILES.record)).catch(() => undefined))?.isFile() === true;
}

function probeOptions(r: VmRecord, deps: LifecycleDeps): ProbeOptions {
  return { guestArch: r.arch, needFirmware: r.boot.kind === "uefi", qemuBinary: deps.qemuBinary(r.arch) };
}

function localSocket(r: VmRecord): string | undefined {
  return r.ula.transport.kind === "unix-pair" ? r.ula.transport.localSocket : undefined;
}

async function writeScripts(home: string, r: VmRecord, targetDir: string, writeDir: string, host: HostFeatures, deps: LifecycleDeps): Promise<void> {
  // The script's own QEMU line (no CLI on PATH) daemonizes, so it gets the sandbox -daemonize allows (qemu/argv.ts).
  const argv = buildQemuArgv({ ...toVmSpec(r, targetDir), daemonize: true }, host);
  const start = join(writeDir, startScriptName(r.name));
  const stop = join(writeDir, stopScriptName(r.name));
  // Whole files (rewritten on every start): a script cut short, or written through a link planted at its path, never.
  await writeFileAtomic(start, startScript(r.name, home, deps.qemuBinary(r.arch), argv, targetDir, localSocket(r)), "replace", 0o755);
  await writeFileAtomic(stop, stopScript(r.name, home, targetDir), "replace", 0o755);
}

async function writeRecordFiles(r: VmRecord, dir: string): Promise<void> {
  // `vm start --ssh-port` rewrites both in place of the old ones: a record cut short would leave a VM no command can read.
  await writeFileAtomic(join(dir, FILES.record), JSON.stringify(r, null, 2) + "\n", "replace");
  await writeFileAtomic(join(dir, FILES.knownHosts), `${knownHostsEntry(r.sshPort, r.hostKey)}\n`, "replace", 0o644);
}

/** "[127.0.0.1]:2222 ssh-ed25519 AAAA..." for the VM's pinned key. */
export function knownHostsEntry(port: number, hostKey: string): string {
  if (blobFromPublicLine(hostKey) === undefined) throw new ProvisionError(`the pinned host key is not an OpenSSH public key: ${hostKey.slice(0, 40)}`);
  const [type, b64] = hostKey.trim().split(/\s+/);
  return `${port === 22 ? "127.0.0.1" : `[127.0.0.1]:${port}`} ${type ?? ""} ${b64 ?? ""}`;
}

/**
 * Creates the VM directory. `populate(tmpDir)` writes the disk, seed or initrd into a temp directory that is
 * renamed into place only when everything succeeded; on any failure it is removed (no half-created VM).
 */
export async function createVm(home: string, r: VmRecord, populate: (tmpDir: string) => Promise<void>, deps: LifecycleDeps): Promise<string> {
  const dir = vmDir(home, r.name);
  for (const p of [join(dir, FILES.qmp), ...(localSocket(r) ? [localSocket(r) ?? ""] : [])]) checkSocketPath(p);
  if ((await readdir(dir).catch(() => undefined)) !== undefined) {
    // A directory without the record is no VM (listVms): `vm destroy` would say "no VM named …".
    if (!(await holdsRecord(dir))) throw new VmStateError(r.name, `${dir} is in the way of VM ${r.name}: it holds no VM record (vm.json)`, `move it away or remove it (rm -r ${dir}), then try again`);
    throw new VmStateError(r.name, `VM ${r.name} already exists (${dir})`, `destroy it first: trustnet vm destroy ${r.name}`);
  }
  await mkdir(vmsRoot(home), { recursive: true, mode: 0o700 });
  await mkdir(netDir(home), { recursive: true, mode: 0o700 });
  await removeLeftovers(home);
  const tmp = join(vmsRoot(home), `.${r.name}.${LEFTOVER_KINDS[0]}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { mode: 0o700 });
  try {
    const host = await deps.probe(probeOptions(r, deps));
    if (r.boot.kind === "uefi" && host.firmware?.vars !== undefined) {
      await copyFile(host.firmware.vars, join(tmp, FILES.efiVars));
      await chmod(join(tmp, FILES.efiVars), 0o600);
    }
    await populate(tmp);
    await writeRecordFiles(r, tmp);
    await writeScripts(home, r, dir, tmp, host, deps);
    await rename(tmp, dir);
    return dir;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

export interface VarsStoreWords {
  /** "VM node1", "lease 42's VM" (the message's subject) */
  readonly vm: string;
  /** after "replaced or removed since": "" (vm create is implied), " the lease VM was prepared" */
  readonly since: string;
  /** how the owner starts it again after removing the store */
  readonly startAgain: string;
}

/**
 * The VM's UEFI variable store (efi-vars.fd, a copy of the firmware's variable template made at create) against the
 * firmware `vm start` (or a lease VM's start) found now. A store that is missing while that firmware has a template is made again from it
 * (as create does: the VM's UEFI boot entries start afresh). A raw store of another size than the template was made
 * from another firmware, replaced or removed since: refused with what to do, where QEMU would stop with its raw
 * pflash message ("device requires N bytes, block backend provides M bytes"). A qcow2 store grows as the guest
 * writes it, so its size tells nothing.
 */
export async function ensureVarsStore(name: string, dir: string, fw: Firmware | undefined, what: VarsStoreWords = { vm: `VM ${name}`, since: "", startAgain: `trustnet vm start ${name}` }): Promise<void> {
  if (fw === undefined || fw.mode !== "pflash" || fw.vars === undefined) return;
  const store = join(dir, FILES.efiVars);
  const have = await stat(store).then((st) => st.size, () => undefined);
  if (have === undefined) {
    await copyFile(fw.vars, store);
    await chmod(store, 0o600);
    return;
  }
  if (fw.format !== "raw") return;
  const want = await stat(fw.vars).then((st) => st.size, () => undefined);
  if (want === undefined || want === have) return;
  throw new VmStateError(
    name,
    `${what.vm}'s UEFI variable store ${store} (${have} bytes) does not fit the UEFI firmware found now, ${fw.code} whose variable template ${fw.vars} is ${want} bytes: the firmware the VM was created with was replaced or removed since${what.since}`,
    `reinstall the firmware the VM was created with; or give the VM a new store from the one found now: rm ${store} (its UEFI boot entries start afresh), then ${what.startAgain}`,
  );
}

export interface StartResult {
  readonly pid: number;
  readonly argv: readonly string[];
}

/** Starts QEMU detached (launch.ts): returns once QEMU initialised, with its pid. `sshPort` overrides the record. */
export async function startVm(home: string, name: string, deps: LifecycleDeps, opts: { readonly sshPort?: number } = {}): Promise<StartResult> {
  let r = await readRecord(home, name);
  const dir = vmDir(home, name);
  const st = await runState(dir);
  if (st.state === "running") throw new VmStateError(name, `VM ${name} is already running (pid ${st.pid})`);
  const sshPort = opts.sshPort ?? r.sshPort;
  if (sshPort !== r.sshPort) {
    // Checked before the record changes: a refused --ssh-port leaves the VM as it was.
    const others = await Promise.all((await listVms(home)).filter((n) => n !== name).map((n) => readRecord(home, n).catch(() => undefined)));
    checkPortPlan([{ vm: name, sshPort, forwards: r.forwards }], others.flatMap((o) => (o === undefined ? [] : [{ vm: o.name, sshPort: o.sshPort, forwards: o.forwards }])));
  }
  await ensurePortsFree([
    { port: sshPort, flag: "--ssh-port" },
    ...r.forwards.map((f) => ({ port: f.hostPort, flag: "config/vm.json (forwardRpc / forwardRegistry: false)" })),
  ]);
  // The firmware is found again at each start (it may have been upgraded or moved since the VM was created); the
  // VM's variable store must still fit it. Checked before anything changes.
  const host = await deps.probe(probeOptions(r, deps));
  if (r.boot.kind === "uefi") await ensureVarsStore(name, dir, host.firmware);
  await clearRunFiles(dir);
  if (sshPort !== r.sshPort) {
    r = { ...r, sshPort };
    await writeRecordFiles(r, dir);
  }
  const argv = buildQemuArgv(toVmSpec(r, dir), host);
  await writeScripts(home, r, dir, dir, host, deps);
  const sock = localSocket(r);
  if (sock !== undefined) await rm(sock, { force: true });
  await writeFile(join(dir, FILES.serialLog), "");
  const res = await deps.launch(deps.qemuBinary(r.arch), argv, join(dir, FILES.qmp));
  if (!("pid" in res)) {
    await clearRunFiles(dir);
    throw new CommandFailedError(`${deps.qemuBinary(r.arch)} (VM ${name})`, res.exitCode, res.stderr);
  }
  const pid = res.pid;
  await writeFile(join(dir, FILES.bootId), `${await currentBootId()}\n`);
  return { pid, argv };
}

export type StopMethod = "not-running" | "powerdown" | "quit" | "kill";

async function waitExit(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

/**
 * Waits for the guest to power off after system_powerdown. QEMU, told to pause at the guest's shutdown instead of
 * exiting (`set-action`), then stays with its console ring: drained, then `quit`.
 */
async function waitPoweredOff(pid: number, dir: string, ms: number): Promise<boolean> {
  const qmp = join(dir, FILES.qmp);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    const st = (await qmpQuery(qmp, { execute: "query-status" }, 2000).catch(() => undefined)) as { status?: unknown } | undefined;
    if (st?.status === "shutdown") {
      await drainSerial(dir); // what the guest printed while shutting down
      await qmpExecute(qmp, ["quit"]).catch(() => undefined);
      return waitExit(pid, 5000);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

/**
 * ACPI power-down over QMP, then (after `timeoutMs`) QMP quit, then SIGKILL. The console is drained before the
 * power-down and once more when the guest has powered off (QEMU paused there, `set-action shutdown=pause`).
 */
export async function stopVm(home: string, name: string, opts: { readonly timeoutMs?: number } = {}): Promise<StopMethod> {
  await readRecord(home, name);
  const dir = vmDir(home, name);
  const st = await runState(dir);
  if (st.state !== "running") {
    await clearRunFiles(dir);
    return "not-running";
  }
  const qmp = join(dir, FILES.qmp);
  await drainSerial(dir); // what the console holds now is kept on disk; the ring goes with QEMU
  // set-action: QEMU >= 6.0 (MIN_QEMU is 7.2). Refused (it cannot be), the guest's power-off ends QEMU as before.
  await qmpQuery(qmp, { execute: "set-action", arguments: { shutdown: "pause" } }).catch(() => undefined);
  let method: StopMethod = "powerdown";
  const powered = await qmpExecute(qmp, ["system_powerdown"]).then(() => true, () => false);
  if (!powered || !(await waitPoweredOff(st.pid, dir, opts.timeoutMs ?? 60_000))) {
    method = "quit";
    await qmpExecute(qmp, ["quit"]).catch(() => undefined);
    if (!(await waitExit(st.pid, 5000))) {
      method = "kill";
      try {
        process.kill(st.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await waitExit(st.pid, 5000);
    }
  }
  await clearRunFiles(dir);
  return method;
}

/** Deletes the VM directory; a running VM needs `force` (it is killed first). */
export async function destroyVm(home: string, name: string, opts: { readonly force: boolean }): Promise<void> {
  const dir = vmDir(home, name);
  await readRecord(home, name);
  const st = await runState(dir);
  if (st.state === "running") {
    if (!opts.force) throw new VmStateError(name, `VM ${name} is running (pid ${st.pid})`, `stop it first (trustnet vm stop ${name}) or use --force`);
    await stopVm(home, name, { timeoutMs: 0 });
  }
  // Renamed out of the VM's place first (one step): an interrupted rm leaves a leftover the next create or destroy
  // removes, never a half-deleted directory under the VM's name (no vm.json: "no VM named", "in the way").
  const doomed = join(vmsRoot(home), `.${name}.${LEFTOVER_KINDS[1]}-${process.pid}`);
  await rm(doomed, { recursive: true, force: true });
  await rename(dir, doomed);
  await rm(doomed, { recursive: true, force: true });
  await removeLeftovers(home);
}

/** The temp directories of a create (`.<name>.creating-<pid>`) and a destroy (`.<name>.destroying-<pid>`). */
const LEFTOVER_KINDS = ["creating", "destroying"] as const;
const LEFTOVER = new RegExp(`^\\.(.+)\\.(?:${LEFTOVER_KINDS.join("|")})-([1-9][0-9]{0,6})$`, "u");

/**
 * Removes the temp directories that a create or destroy killed part-way (Ctrl-C, kill -9, a reboot) left under
 * `vms/`: a create's holds a whole disk image. Only those whose process is gone: a live one is another command's.
 */
async function removeLeftovers(home: string): Promise<readonly string[]> {
  const entries = await readdir(vmsRoot(home), { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const e of entries) {
    const m = LEFTOVER.exec(e.name);
    if (!e.isDirectory() || m === null || !isVmName(m[1] ?? "") || pidAlive(Number(m[2]))) continue;
    await rm(join(vmsRoot(home), e.name), { recursive: true, force: true });
    removed.push(e.name);
  }
  return removed;
}

export interface VmStatus {
  readonly name: string;
  readonly kind: string;
  readonly state: VmRunState["state"];
  readonly pid: number | undefined;
  readonly staleReason: string | undefined;
  readonly ssh: { readonly host: string; readonly port: number; readonly user: string };
  readonly forwards: readonly { readonly hostPort: number; readonly guestPort: number }[];
  readonly ula: { readonly address: string; readonly mac: string };
  readonly dir: string;
}

export async function vmStatus(home: string, name: string): Promise<VmStatus> {
  const r = await readRecord(home, name);
  const dir = vmDir(home, name);
  const st = await runState(dir);
  return {
    name, kind: r.kind, state: st.state,
    pid: st.state === "stopped" ? undefined : st.pid,
    staleReason: st.state === "stale" ? st.reason : undefined,
    ssh: { host: "127.0.0.1", port: r.sshPort, user: r.user },
    forwards: r.forwards,
    ula: { address: r.ula.address, mac: r.ula.mac },
    dir,
  };
}
