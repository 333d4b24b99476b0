// `npm run bench -- lease-ready [runs]`: how long a lease takes from "the daemon sees it" to "SSH-ready" (the VM's
// sshd answers with the injected host key and accepts the tenant's key), through the provider daemon's own path:
// claim the lease directory, write the disk and seed, start QEMU, probe. The provisioner's ARM64 test guest boots
// under TCG here; with KVM where the host is aarch64 and /dev/kvm opens (an x86_64 host cannot accelerate an
// aarch64 guest). On chain, create → ready adds about two blocks (the create tx's block, then MsgLeaseReady's);
// the provider-daemon e2e prints that full figure.
import { mkdtemp, rm } from "node:fs/promises";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import {
  claimLeaseVm, destroyLeaseVm, kernelBootSource, prepareLeaseVm, probeLeaseReady, realLifecycleDeps, realShell, startLeaseVm,
} from "@trustnet/provisioner";
import { freePort } from "../provisioner/src/lifecycle/ports.ts";
import { generateEd25519, openSshPublicLine } from "../provisioner/src/ssh/keys.ts";
import { testGuest } from "../test/provisioner/guest.ts";

async function oneBoot(home: string, id: string): Promise<{ prepare: number; start: number; ready: number; accel: string }> {
  const deps = realLifecycleDeps();
  const guest = testGuest();
  const tenant = openSshPublicLine(generateEd25519(), "bench");
  const spec = { leaseId: id, image: "alpine-3.22" as const, resources: { millicores: 1000, memoryMiB: 256, diskGiB: 1, bandwidthMbps: 0 }, sshPubkeys: [tenant], sshPort: await freePort() };
  const t0 = performance.now();
  const r = await prepareLeaseVm(home, await claimLeaseVm(home, spec), kernelBootSource(guest.kernel, guest.initrd, realShell), deps);
  const t1 = performance.now();
  await startLeaseVm(home, r, deps);
  const t2 = performance.now();
  try {
    for (;;) {
      const p = await probeLeaseReady({ port: spec.sshPort, user: "root", hostKey: r.hostKey, tenantKeys: [tenant] }, 5000);
      if (p.ready) break;
      if (performance.now() - t2 > 600_000) throw new Error(`lease VM not ready after 600 s: ${p.reason}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  } finally {
    await destroyLeaseVm(home, id).catch(() => undefined);
  }
  const t3 = performance.now();
  const accelArg = r.argv?.[(r.argv?.indexOf("-accel") ?? -2) + 1] ?? "?";
  return { prepare: t1 - t0, start: t2 - t1, ready: t3 - t2, accel: accelArg.split(",")[0] ?? "?" };
}

export async function run(args: readonly string[]): Promise<void> {
  const runs = Number(args[0] ?? 3);
  const home = await mkdtemp(join(tmpdir(), "tn-bench-lease-"));
  try {
    console.log(`lease-ready: ${runs} boot(s) of the ARM64 test guest (1 vCPU, 256 MiB, 1 GiB disk) on a ${arch()} host`);
    const rows: { prepare: number; start: number; ready: number; accel: string }[] = [];
    for (let i = 1; i <= runs; i++) {
      const r = await oneBoot(home, String(i));
      rows.push(r);
      console.log(`  run ${i} (${r.accel}): prepare ${r.prepare.toFixed(0)} ms, QEMU start ${r.start.toFixed(0)} ms, boot → SSH-ready ${(r.ready / 1000).toFixed(1)} s; total ${((r.prepare + r.start + r.ready) / 1000).toFixed(1)} s`);
    }
    const totals = rows.map((r) => r.prepare + r.start + r.ready).sort((a, b) => a - b);
    console.log(`lease-ready (${rows[0]?.accel ?? "?"}): median ${((totals[Math.floor(totals.length / 2)] ?? 0) / 1000).toFixed(1)} s, min ${((totals[0] ?? 0) / 1000).toFixed(1)} s, max ${((totals.at(-1) ?? 0) / 1000).toFixed(1)} s`);
    if (arch() !== "arm64") console.log("KVM: not applicable on this host (an aarch64 guest on an x86_64 host is emulated: TCG)");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
