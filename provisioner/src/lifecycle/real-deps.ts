/** LifecycleDeps on the real machine. */
import { realRun } from "../exec.ts";
import { probeHost } from "../qemu/probe.ts";
import { realProbeDeps } from "../qemu/probe-deps.ts";
import type { LifecycleDeps } from "./vm.ts";

export function realLifecycleDeps(env: Readonly<Record<string, string | undefined>> = process.env): LifecycleDeps {
  return {
    run: realRun,
    probe: (opts) => probeHost(realProbeDeps(), opts),
    qemuBinary: (arch) => env[`QEMU_SYSTEM_${arch.toUpperCase()}`] ?? `qemu-system-${arch}`,
  };
}
