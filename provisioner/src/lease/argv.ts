/** A lease VM's QEMU spec (pure): -smp from millicores, -m from MiB, the leased disk, one user-mode NIC, no ULA. */
import { join } from "node:path";
import { FILES } from "../lifecycle/layout.ts";
import { buildQemuArgv, firmwareArgs } from "../qemu/argv.ts";
import type { Firmware, HostFeatures, VmSpec } from "../qemu/types.ts";
import type { PreparedBoot } from "./boot-source.ts";
import { leaseMac, leaseVmName, vcpusFor, type LeaseVmSpec } from "./spec.ts";

export function leaseQemuSpec(spec: LeaseVmSpec, dir: string, prepared: PreparedBoot): VmSpec {
  return {
    name: leaseVmName(spec.leaseId), arch: "aarch64",
    cpus: vcpusFor(spec.resources.millicores), memoryMiB: spec.resources.memoryMiB, dir,
    boot: prepared.boot.kind === "uefi" ? { kind: "uefi", varsPath: join(dir, FILES.efiVars) } : prepared.boot,
    disk: { path: join(dir, FILES.disk), format: "qcow2" },
    cidata: prepared.cidata ? join(dir, FILES.cidata) : undefined,
    ssh: { hostPort: spec.sshPort }, forwards: [], userNicMac: leaseMac(spec.leaseId),
    ula: undefined, daemonize: false, extraArgs: [],
  };
}

/**
 * The lease VM's argv: the provisioner's builder (its serial console is a bounded in-memory ring, no file on the
 * host's disk), with two changes for a guest the provider does not control:
 * - the SSH forward bound to `spec.sshBind` (default loopback), so that remote tenants can reach it when the provider
 *   binds a public address;
 * - `restrict=on`: QEMU's user network maps the host's loopback to 10.0.2.2, so an unrestricted guest could reach
 *   every service the host keeps on 127.0.0.1 (ABCI, RPC, REST, the registry, other leases' SSH forwards). Restricted,
 *   the guest reaches nothing beyond the forwards into it (docs/leasing.md, "Lease VMs").
 */
export function leaseQemuArgv(spec: LeaseVmSpec, dir: string, prepared: PreparedBoot, host: HostFeatures): readonly string[] {
  const argv = buildQemuArgv(leaseQemuSpec(spec, dir, prepared), host);
  const bind = spec.sshBind ?? "127.0.0.1";
  const from = `hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`;
  return argv.map((a) => (a.startsWith("user,") ? `${a.replace(from, `hostfwd=tcp:${bind}:${spec.sshPort}-:22`)},restrict=on` : a));
}

/** Is `argv[i]` (with its value) a firmware argument: `-bios <file>`, or a `-drive if=pflash,…` (code or vars)? */
function isFirmwareArg(argv: readonly string[], i: number): boolean {
  return argv[i] === "-bios" || (argv[i] === "-drive" && (argv[i + 1] ?? "").startsWith("if=pflash,"));
}

/** Does the written argv boot through UEFI firmware? (Pure.) */
export function argvUsesFirmware(argv: readonly string[]): boolean {
  return argv.some((_, i) => isFirmwareArg(argv, i));
}

/**
 * The written argv with its firmware arguments (-bios, or the pflash code and vars drives) replaced by those of `fw`,
 * the firmware found now, at the place of the first (pure). The lease's argv is written at prepare; a firmware
 * package upgraded, moved or replaced since (AAVMF ↔ qemu-efi-aarch64, a descriptor's other paths) made QEMU stop
 * with its raw "Could not open" or pflash size error at the next start.
 */
export function argvWithFirmware(argv: readonly string[], fw: Firmware, varsPath: string): readonly string[] {
  const out: string[] = [];
  let placed = false;
  for (let i = 0; i < argv.length; i++) {
    if (isFirmwareArg(argv, i)) {
      if (!placed) out.push(...firmwareArgs(fw, varsPath));
      placed = true;
      i++;
      continue;
    }
    out.push(argv[i] as string);
  }
  return out;
}
