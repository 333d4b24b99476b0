/**
 * Starts QEMU detached (its own session, as -daemonize would) WITHOUT -daemonize: QEMU 7.2 installs its seccomp
 * filter before -daemonize's fork() and setsid(), so with `spawn=deny,elevateprivileges=deny` a daemonized QEMU dies
 * at start. Resolves with the pid once QEMU greets on its QMP socket (it serves QMP only from its main loop, so
 * its devices, forwards and sockets are up: what -daemonize's parent waited for); with QEMU's exit code and stderr
 * when it exits first. Its stderr is a pipe read until then and closed after: QEMU ignores SIGPIPE, so later
 * messages are dropped (-daemonize sent them to /dev/null) and no file on the host grows with them.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { qmpExecute } from "./qmp.ts";

export type LaunchResult = { readonly pid: number } | { readonly exitCode: number; readonly stderr: string };

const STDERR_KEPT = 64 * 1024;

export async function launchQemu(binary: string, argv: readonly string[], qmpSocket: string, timeoutMs = 120_000): Promise<LaunchResult> {
  const child = spawn(binary, [...argv], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += d.toString("utf8");
  });
  let exit: number | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on("error", (e) => {
      exit ??= 127;
      stderr += `${binary}: ${e.message}`;
      resolve();
    });
    child.on("close", (code, signal) => {
      exit ??= code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
      if (signal !== null) stderr += `${binary} ended by ${signal}`;
      resolve();
    });
  });
  const deadline = Date.now() + timeoutMs;
  while (exit === undefined && Date.now() < deadline) {
    const greeted = await qmpExecute(qmpSocket, [], Math.min(5000, Math.max(1, deadline - Date.now()))).then(() => true, () => false);
    if (greeted && exit === undefined && child.pid !== undefined) {
      child.stderr.destroy();
      child.unref();
      return { pid: child.pid };
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
  }
  if (exit === undefined) {
    child.kill("SIGKILL");
    await exited;
    return { exitCode: 1, stderr: `${stderr}${binary} did not answer on ${qmpSocket} within ${Math.round(timeoutMs / 1000)}s` };
  }
  await exited;
  return { exitCode: exit, stderr };
}
