/** LifecycleDeps on the real machine. */
import { realShell } from "../shell.ts";
import { probeHost } from "../qemu/probe.ts";
import { realProbeDeps } from "../qemu/probe-deps.ts";
import { launchQemu } from "./launch.ts";
import type { LifecycleDeps } from "./vm.ts";

export function realLifecycleDeps(env: Readonly<Record<string, string | undefined>> = process.env): LifecycleDeps {
  return {
    $: realShell,
    probe: (opts) => probeHost(realProbeDeps(), opts),
    qemuBinary: (arch) => env[`QEMU_SYSTEM_${arch.toUpperCase()}`] ?? `qemu-system-${arch}`,
    launch: (binary, argv, qmpSocket) => launchQemu(binary, argv, qmpSocket),
  };
}
