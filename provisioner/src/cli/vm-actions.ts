/** `trustnet vm stop|restart|status|ssh|logs|destroy`: thin shells over lifecycle/. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FILES, lockFile, vmDir } from "../lifecycle/layout.ts";
import { withLock } from "../lifecycle/lock.ts";
import { serialLines } from "../lifecycle/ready.ts";
import { followSerialLog, type FollowEnd, type FollowOptions } from "../lifecycle/serial-follow.ts";
import { sshExec } from "../lifecycle/ssh-exec.ts";
import { sshOptionPath } from "../ssh/option-path.ts";
import type { Shell } from "../shell.ts";
import { VmStateError } from "../errors.ts";
import { runState } from "../lifecycle/state.ts";
import { destroyVm, listVms, readRecord, stopVm, vmStatus, type StopMethod, type VmStatus } from "../lifecycle/vm.ts";

export interface StatusWithHealth extends VmStatus {
  /** ok / failing (the service's health command over SSH), unknown when not running or not reachable. */
  readonly health: "ok" | "failing" | "unknown";
}

export async function statusAll(home: string, names: readonly string[], checkHealth: boolean): Promise<readonly StatusWithHealth[]> {
  const list = names.length > 0 ? names : await listVms(home);
  return Promise.all(list.map(async (n) => {
    const s = await vmStatus(home, n);
    let health: StatusWithHealth["health"] = "unknown";
    if (checkHealth && s.state === "running") {
      const r = await readRecord(home, n);
      const key = await readFile(r.clientKey, "utf8").catch(() => undefined);
      if (key !== undefined && r.readiness.health !== undefined) {
        const res = await sshExec({ port: r.sshPort, user: r.user, privateKey: key, hostKey: r.hostKey }, r.readiness.health, { readyTimeoutMs: 5000, execTimeoutMs: 15_000 }).catch(() => undefined);
        if (res !== undefined) health = res.code === 0 ? "ok" : "failing";
      }
    }
    return { ...s, health };
  }));
}

export function statusText(list: readonly StatusWithHealth[]): string {
  if (list.length === 0) return "no VMs (create them with 'trustnet vm up')";
  return list.map((s) => [
    `${s.name} (${s.kind}): ${s.state}${s.pid !== undefined ? ` pid ${s.pid}` : ""}${s.staleReason ? ` (${s.staleReason})` : ""}`,
    `  ssh ${s.ssh.user}@${s.ssh.host} -p ${s.ssh.port}${s.forwards.map((f) => `, 127.0.0.1:${f.hostPort} -> ${f.guestPort}`).join("")}`,
    `  ULA ${s.ula.address} (mac ${s.ula.mac}), health ${s.health}`,
  ].join("\n")).join("\n");
}

export async function stopMany(home: string, names: readonly string[], timeoutMs: number): Promise<readonly { readonly name: string; readonly method: StopMethod }[]> {
  const list = names.length > 0 ? names : await listVms(home);
  // Every name first: `vm stop node typo` must not power the node off and then fail. Before the lock, whose mkdir made
  // `<home>/vms` (and the home) of a mistyped --home; with no VM at all there is nothing to lock.
  for (const name of list) await requireVm(home, name);
  if (list.length === 0) return [];
  return withLock(lockFile(home), () => Promise.all(list.map(async (name) => ({ name, method: await stopVm(home, name, { timeoutMs }) }))));
}

/** Throws VmStateError (no VM named …) before a vm command takes the lock, whose mkdir would make `<home>/vms`. */
export async function requireVm(home: string, name: string): Promise<void> {
  await readRecord(home, name);
}

export async function destroy(home: string, name: string, force: boolean): Promise<void> {
  await requireVm(home, name);
  await withLock(lockFile(home), () => destroyVm(home, name, { force }));
}

/** The last `lines` console lines: none when the VM printed nothing (`--output json` gave the text note as a line). */
export async function logs(home: string, name: string, lines: number): Promise<readonly string[]> {
  await readRecord(home, name);
  return serialLines(join(vmDir(home, name), FILES.serialLog), lines);
}

/** `vm logs --follow`: the last lines, then what the VM prints next (lifecycle/serial-follow.ts). */
export async function followLogs(home: string, name: string, o: FollowOptions): Promise<FollowEnd> {
  await readRecord(home, name);
  return followSerialLog(join(vmDir(home, name), FILES.serialLog), o);
}

/**
 * Interactive `ssh` with the VM's pinned known_hosts only (strict checking; no system-wide known_hosts, whose entry
 * for [127.0.0.1]:<port> would be accepted too), the recorded key and user, and no ssh config file. `--` ends ssh's options: the command's
 * words reach the guest as they are.
 */
export async function sshInteractive($: Shell, home: string, name: string, command: readonly string[]): Promise<number> {
  const r = await readRecord(home, name);
  // A stopped VM's port answers nothing ("Connection refused"), or another program that took it since: refused first.
  const st = await runState(vmDir(home, name));
  if (st.state !== "running") throw new VmStateError(name, `${name} is not running${st.state === "stale" ? ` (${st.reason})` : ""}: nothing to ssh into`, `start it: trustnet vm start ${name}`);
  const knownHosts = `UserKnownHostsFile=${sshOptionPath(join(vmDir(home, name), FILES.knownHosts))}`;
  const identity = r.clientKey !== "" ? ["-o", `IdentityFile=${sshOptionPath(r.clientKey)}`] : [];
  const ssh = $({ stdio: "inherit", timeout: undefined });
  // -F /dev/null, as Lima's ssh: no ~/.ssh/config or /etc/ssh/ssh_config. A `Host *` ProxyJump/ProxyCommand there sent
  // this loopback connection through a bastion, and a HostKeyAlias looked the pinned key up under another name.
  const res = await ssh`ssh -F /dev/null -o ${knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o PasswordAuthentication=no -o IdentitiesOnly=yes -o ConnectTimeout=15 ${identity} -p ${r.sshPort} -- ${`${r.user}@127.0.0.1`} ${command}`;
  return res.exitCode ?? 255;
}
