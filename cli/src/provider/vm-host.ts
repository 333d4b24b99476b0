/**
 * The daemon's view of the machine's lease VMs (the provisioner's lease API behind an interface, so the engine's
 * unit tests use a fake and the real one boots QEMU).
 */
import { stat } from "node:fs/promises";
import {
  claimLeaseVm, destroyLeaseVm, drainLeaseConsole, leaseQemuProcesses, leasesRoot, leaseVmState, listLeaseVms, prepareLeaseVm, probeLeaseReady, readLeaseRecord, startLeaseVm,
  type LeaseBootSource, type LeaseVmSpec, type LifecycleDeps, type ReadyProbeResult,
} from "@trustnet/provisioner";

export interface LocalLeaseVm {
  readonly leaseId: string;
  /** provisioning: claimed, not yet prepared (a daemon died there); prepared: QEMU's argv is known. */
  readonly phase: "provisioning" | "prepared";
  readonly sshPort: number;
  readonly hostKey: string;
  readonly hostKeyFingerprint: string;
  readonly user: string | undefined;
  readonly running: boolean;
}

export interface LeaseVmHost {
  /** The directory the lease VMs live in (made with the first VM, never removed: each VM removes only its own). */
  readonly leasesDir: string;
  leasesDirExists(): Promise<boolean>;
  /** Every lease VM directory (records that cannot be read are reported with phase "provisioning" and port 0). */
  list(): Promise<readonly LocalLeaseVm[]>;
  /** Claims the lease (the record is written before QEMU starts), prepares disk and seed, starts QEMU. */
  provision(spec: LeaseVmSpec): Promise<void>;
  /** Finishes a claimed VM (prepare when needed) and starts it when it is not running. */
  resume(leaseId: string): Promise<void>;
  destroy(leaseId: string): Promise<void>;
  /** QEMU processes of lease VMs, by lease id (more than one for a lease, or one for no record, is a stray). */
  processes(): Promise<readonly { readonly pid: number; readonly leaseId: string }[]>;
  /** The pid a lease's record owns (its pidfile), when running. */
  ownedPid(leaseId: string): Promise<number | undefined>;
  kill(pid: number): Promise<void>;
  probeReady(vm: LocalLeaseVm, tenantKeys: readonly string[]): Promise<ReadyProbeResult>;
  /** Drains the VM's console ring into its capped serial.log (`provider lease-logs` prints it). */
  drainConsole(leaseId: string): Promise<void>;
}

/** `probeHost`: where the VMs' SSH forwards are reached from this host (the bind address, loopback for 0.0.0.0). */
export function realVmHost(home: string, source: LeaseBootSource, deps: LifecycleDeps, probeHost = "127.0.0.1"): LeaseVmHost {
  return {
    leasesDir: leasesRoot(home),
    leasesDirExists: async () => (await stat(leasesRoot(home)).catch(() => undefined))?.isDirectory() ?? false,
    async list() {
      const out: LocalLeaseVm[] = [];
      for (const id of await listLeaseVms(home)) {
        const r = await readLeaseRecord(home, id);
        const st = await leaseVmState(home, id);
        out.push(r === undefined
          ? { leaseId: id, phase: "provisioning", sshPort: 0, hostKey: "", hostKeyFingerprint: "", user: undefined, running: st.state === "running" }
          : { leaseId: id, phase: r.phase, sshPort: r.spec.sshPort, hostKey: r.hostKey, hostKeyFingerprint: r.hostKeyFingerprint, user: r.user, running: st.state === "running" });
      }
      return out;
    },
    async provision(spec) {
      const r = await claimLeaseVm(home, spec);
      await startLeaseVm(home, await prepareLeaseVm(home, r, source, deps), deps);
    },
    async resume(leaseId) {
      let r = await readLeaseRecord(home, leaseId);
      if (r === undefined) throw new Error(`lease ${leaseId}: no record`);
      if (r.phase === "provisioning") r = await prepareLeaseVm(home, r, source, deps);
      await startLeaseVm(home, r, deps);
    },
    destroy: (leaseId) => destroyLeaseVm(home, leaseId),
    processes: () => leaseQemuProcesses(home),
    async ownedPid(leaseId) {
      const st = await leaseVmState(home, leaseId);
      return st.state === "running" ? st.pid : undefined;
    },
    async kill(pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
    drainConsole: (leaseId) => drainLeaseConsole(home, leaseId),
    probeReady: (vm, tenantKeys) => probeLeaseReady({ host: probeHost, port: vm.sshPort, user: vm.user ?? "root", hostKey: vm.hostKey, tenantKeys }),
  };
}
