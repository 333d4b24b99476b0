/**
 * Readiness: an SSH handshake with the pinned host key (a TCP connect proves nothing under slirp), then
 * `cloud-init status --wait`, then the service's health command. On timeout: the serial console's tail.
 */
import { dirname } from "node:path";
import { VmTimeoutError } from "../errors.ts";
import { consoleLines, drainSerial, readLogTail, SERIAL_LOG_MAX_BYTES } from "./serial-log.ts";
import { ClientKeyError, HostKeyMismatchError, sshExec, type SshTarget } from "./ssh-exec.ts";
import type { Spinner } from "./spinner.ts";

export interface ReadinessPlan {
  readonly cloudInit: boolean;
  readonly health: string | undefined;
}

/**
 * The last lines of a VM's serial.log (`file`, in the VM's directory), after draining its console ring into it.
 * Only the file's last SERIAL_LOG_MAX_BYTES are read: a VM started before the cap (a QEMU logfile) may have grown it
 * past what fits in memory (over 2 GiB, readFile threw and the tail came back empty).
 */
export async function serialTail(file: string, lines = 25): Promise<string> {
  return (await serialLines(file, lines)).join("\n") || SERIAL_EMPTY;
}

/** What serialTail says for a console that printed nothing (a note, not a line of the console). */
export const SERIAL_EMPTY = "(the serial console printed nothing)";

/** The last `lines` lines of the console (drained first), cleaned as serialTail's; none when it printed nothing. */
export async function serialLines(file: string, lines: number): Promise<readonly string[]> {
  await drainSerial(dirname(file));
  return consoleLines((await readLogTail(file, SERIAL_LOG_MAX_BYTES)).toString("utf8")).slice(-lines);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitReady(vm: string, target: SshTarget, plan: ReadinessPlan, serialLog: string, timeoutMs: number, spinner: Spinner): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let phase = "waiting for SSH (handshake with the pinned host key)";
  let lastError: unknown;
  const left = (): number => deadline - Date.now();
  const timeout = async (): Promise<never> => {
    spinner.stop();
    throw new VmTimeoutError(vm, phase, Math.round(timeoutMs / 1000), await serialTail(serialLog), lastError);
  };
  spinner.phase(phase);
  for (;;) {
    if (left() <= 0) return timeout();
    try {
      const r = await sshExec(target, "true", { readyTimeoutMs: Math.max(1000, Math.min(10_000, left())), execTimeoutMs: Math.max(1000, left()) });
      if (r.code === 0) break;
    } catch (e) {
      if (e instanceof HostKeyMismatchError || e instanceof ClientKeyError) {
        spinner.stop();
        throw e;
      }
      lastError = e;
    }
    await sleep(Math.min(1000, Math.max(0, left())));
  }
  if (plan.cloudInit) {
    phase = "waiting for cloud-init to finish";
    spinner.phase(phase);
    const r = await sshExec(target, "cloud-init status --wait >/dev/null 2>&1; echo $?", { execTimeoutMs: Math.max(1000, left()) }).catch((e: unknown) => (lastError = e, undefined));
    if (r === undefined) return timeout();
    const code = Number(r.stdout.trim());
    // 0: done; 2: done with recoverable errors (cloud-init >= 23.4). 1: crashed.
    if (code !== 0 && code !== 2) {
      lastError = new Error(`cloud-init status exited ${code}`);
      phase = `cloud-init failed (status ${code})`;
      return timeout();
    }
  }
  if (plan.health !== undefined) {
    phase = "waiting for the service's health check";
    spinner.phase(phase);
    for (;;) {
      if (left() <= 0) return timeout();
      const r = await sshExec(target, plan.health, { execTimeoutMs: Math.max(1000, Math.min(30_000, left())) }).catch((e: unknown) => (lastError = e, undefined));
      if (r?.code === 0) break;
      await sleep(Math.min(2000, Math.max(0, left())));
    }
  }
  spinner.stop("ready");
}
