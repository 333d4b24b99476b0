/**
 * The provider daemon's engine (`trustnet provider run`): for every block, it brings the machine in line with the
 * chain. New leases naming this provider get a VM (one task per lease, never two VMs: the provisioner claims the
 * lease's directory before QEMU starts); once the VM's sshd answers with the injected host key and accepts the
 * tenant's public key, MsgLeaseReady is sent; closed leases lose their VM; ready leases are withdrawn every
 * `withdrawEvery` blocks. Reconciliation (on start and every `reconcileEvery` blocks) also kills QEMU processes that
 * belong to no open lease or duplicate a lease's own, restarts stopped VMs of open leases, and drains the running
 * VMs' consoles into their capped serial.log (in the background, one sweep at a time), so that what a VM printed
 * before it stopped is on disk for `provider lease-logs`.
 */
import { InvalidConfigError, LeaseVmExistsError, validateLeaseVmSpec, type LeaseVmSpec } from "@trustnet/provisioner";
import { inBatches, MSGS_PER_TX } from "../leasing/batches.ts";
import type { ChainLease, LeaseChain } from "./lease-chain.ts";
import type { LeaseVmHost, LocalLeaseVm } from "./vm-host.ts";

export interface DaemonOptions {
  readonly sshHost: string;
  /** The address the VMs' SSH forwards bind (127.0.0.1 unless tenants connect from elsewhere). */
  readonly sshBind?: string;
  readonly portRange: { readonly from: number; readonly to: number };
  readonly reconcileEvery: number;
  readonly withdrawEvery: number;
  /** How long to wait for a booted VM to become ready before trying again at the next reconciliation. */
  readonly readyTimeoutMs: number;
  readonly probeIntervalMs: number;
}

export interface DaemonDeps {
  readonly chain: LeaseChain;
  readonly vms: LeaseVmHost;
  readonly portFree: (port: number) => Promise<boolean>;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

export type LeaseTask = "provision" | "ready";

/** Reconciliations that may fail to restart a ready lease's VM before the lease is closed with a refund. */
export const MAX_RESTART_FAILURES = 3;

/**
 * The longest wait, in blocks, between two attempts to start a pending lease's VM (provision, or resume and probe).
 * After the n-th failure in a row the next attempt waits min(2^(n−1), this) blocks: 1, 2, 4 … instead of a new disk
 * and a QEMU every block until the chain's ready timeout refunds the lease.
 */
export const MAX_START_BACKOFF_BLOCKS = 32;

/** Withdrawals per transaction: as many as the chain takes messages in one (leasing/batches.ts). */
export const WITHDRAWALS_PER_TX = MSGS_PER_TX;

export class ProviderDaemon {
  private readonly tasks = new Map<string, Promise<void>>();
  private open = new Map<string, ChainLease>();
  private lastWithdraw = 0;
  private reconcileDue = false;
  private withdrawDue = false;
  /** The block being handled (the clock of the start backoff). */
  private height = 0;
  /** Pending leases whose VM failed to start or become ready: failures in a row, and the height to try again at. */
  private readonly startFailures = new Map<string, { readonly failures: number; readonly retryAt: number }>();
  /** Consecutive failed restarts of a ready lease's stopped VM, by lease. */
  private readonly restartFailures = new Map<string, number>();
  /** Ports handed to provisioning tasks whose VM record may not exist yet (tasks run concurrently). */
  private readonly reservedPorts = new Set<number>();
  /** The console sweep in flight, if any (reconcile starts one when none runs). */
  private drains: Promise<void> | undefined;
  private readonly deps: DaemonDeps;
  private readonly opts: DaemonOptions;

  constructor(deps: DaemonDeps, opts: DaemonOptions) {
    this.deps = deps;
    this.opts = opts;
  }

  /** Leases with a provisioning or readiness task in flight. */
  inFlight(): readonly string[] {
    return [...this.tasks.keys()].sort();
  }

  /** Resolves once every task in flight has finished (tests; a clean shutdown). */
  async idle(): Promise<void> {
    while (this.tasks.size > 0 || this.drains !== undefined) await Promise.allSettled([...this.tasks.values(), this.drains]);
  }

  /**
   * One block. While catching up (height < tip) the work is only noted; at the tip it is done once: the chain is
   * read as of its latest state, so nothing a missed block did is lost.
   */
  async onHeight(height: number, tip: number = height): Promise<void> {
    this.height = height;
    if (height % this.opts.reconcileEvery === 0) this.reconcileDue = true;
    if (this.lastWithdraw === 0) this.lastWithdraw = height;
    if (height - this.lastWithdraw >= this.opts.withdrawEvery) {
      this.lastWithdraw = height;
      this.withdrawDue = true;
    }
    if (height < tip) return;
    if (this.reconcileDue) await this.reconcile();
    else await this.sync();
    this.reconcileDue = false;
    if (this.withdrawDue) await this.withdrawReady();
    this.withdrawDue = false;
  }

  /**
   * New leases get a VM, pending leases with a VM get a readiness check, VMs of closed leases are destroyed. Nothing
   * is done while the node catches up (false): its open leases are an old height's, and acting on them would destroy
   * the VMs (disks included) of every lease created since, and close ready leases whose VMs are "gone".
   */
  async sync(): Promise<boolean> {
    if (await this.deps.chain.catchingUp()) {
      this.deps.log("wait", { reason: "the node is catching up: its open leases are not the chain's yet" });
      return false;
    }
    const open = new Map((await this.deps.chain.openLeases()).map((l) => [l.id, l]));
    const local = new Map((await this.deps.vms.list()).map((v) => [v.leaseId, v]));
    // Ready leases have VMs somewhere. With none here and no lease directory at all, this is not where they run (a
    // wrong --home): closing them as "VM gone" would end every tenant's lease. Act on nothing until it exists.
    const unseen = [...open.values()].filter((l) => l.state === "ready" && !local.has(l.id)).map((l) => l.id);
    if (unseen.length > 0 && !(await this.deps.vms.leasesDirExists())) {
      this.deps.log("wait", {
        reason: `ready lease(s) ${unseen.join(", ")} have no VM here, and ${this.deps.vms.leasesDir} does not exist: is --home the one the VMs run under? If their VMs are really gone, create that directory and they are closed with a refund`,
      });
      return false;
    }
    this.open = open;
    for (const id of [...this.startFailures.keys()]) if (!open.has(id)) this.startFailures.delete(id);
    for (const id of [...local.keys()]) {
      if (!this.open.has(id) && !this.tasks.has(id)) {
        this.deps.log("destroy", { lease: id, reason: "lease not open" });
        await this.deps.vms.destroy(id);
        local.delete(id);
      }
    }
    for (const lease of this.open.values()) {
      if (this.tasks.has(lease.id)) continue;
      const vm = local.get(lease.id);
      // A ready lease whose VM is gone cannot be re-provisioned: its pinned host key died with it. Refund it.
      if (vm === undefined && lease.state === "ready") this.spawn(lease.id, "provision", () => this.refuse(lease, "the VM of a ready lease is gone (its pinned host key with it)"));
      else if (lease.state === "pending" && (this.startFailures.get(lease.id)?.retryAt ?? 0) > this.height) continue;
      else if (vm === undefined) {
        // Ports are picked here, in lease id order, before the (concurrent) provisioning tasks start.
        const port = await this.allocatePort(local);
        if (port === undefined) this.spawn(lease.id, "provision", () => this.refuse(lease, `no free SSH port in ${this.opts.portRange.from}-${this.opts.portRange.to}`));
        else this.spawn(lease.id, "provision", this.backingOff(lease.id, () => this.provision(lease, port)));
      }
      else if (lease.state === "pending") this.spawn(lease.id, "ready", this.backingOff(lease.id, () => this.finishAndAnnounce(lease, vm)));
    }
    return true;
  }

  /** sync, plus: stray QEMU processes killed, stopped VMs of open leases started again. */
  async reconcile(): Promise<void> {
    if (!(await this.sync())) return;
    const local = new Map((await this.deps.vms.list()).map((v) => [v.leaseId, v]));
    for (const p of await this.deps.vms.processes()) {
      const owned = local.has(p.leaseId) ? await this.deps.vms.ownedPid(p.leaseId) : undefined;
      if (owned !== p.pid && !this.tasks.has(p.leaseId)) {
        this.deps.log("kill-stray", { lease: p.leaseId, pid: p.pid });
        await this.deps.vms.kill(p.pid);
      }
    }
    this.drainConsoles([...local.values()].filter((vm) => vm.running).map((vm) => vm.leaseId));
    for (const vm of local.values()) {
      const lease = this.open.get(vm.leaseId);
      if (lease?.state === "ready" && !vm.running && !this.tasks.has(vm.leaseId)) {
        this.spawn(vm.leaseId, "provision", async () => {
          this.deps.log("restart", { lease: vm.leaseId });
          try {
            await this.deps.vms.resume(vm.leaseId);
            this.restartFailures.delete(vm.leaseId);
          } catch (e) {
            // The tenant pays for a VM that is not there: after a few failed restarts the lease is closed (refund).
            const n = (this.restartFailures.get(vm.leaseId) ?? 0) + 1;
            this.restartFailures.set(vm.leaseId, n);
            if (n < MAX_RESTART_FAILURES) throw e;
            this.restartFailures.delete(vm.leaseId);
            await this.refuse(lease, `its VM failed to restart ${n} times (${(e as Error).message})`);
          }
        });
      }
    }
  }

  /** One QMP read per VM, in turn, beside the block loop; a sweep still running when the next is due is not doubled. */
  private drainConsoles(leaseIds: readonly string[]): void {
    if (this.drains !== undefined || leaseIds.length === 0) return;
    this.drains = (async () => {
      for (const id of leaseIds) await this.deps.vms.drainConsole(id).catch((e: unknown) => this.deps.log("error", { lease: id, task: "console", error: (e as Error).message }));
    })().finally(() => {
      this.drains = undefined;
    });
  }

  /** A start attempt: its failure puts off the next one (MAX_START_BACKOFF_BLOCKS), its success forgets the failures. */
  private backingOff(leaseId: string, work: () => Promise<void>): () => Promise<void> {
    return async () => {
      try {
        await work();
        this.startFailures.delete(leaseId);
      } catch (e) {
        const failures = (this.startFailures.get(leaseId)?.failures ?? 0) + 1;
        const retryAt = this.height + Math.min(2 ** (failures - 1), MAX_START_BACKOFF_BLOCKS);
        this.startFailures.set(leaseId, { failures, retryAt });
        this.deps.log("backoff", { lease: leaseId, failures, retry_at: retryAt });
        throw e;
      }
    };
  }

  private spawn(leaseId: string, kind: LeaseTask, work: () => Promise<void>): void {
    const p = work().catch((e: unknown) => this.deps.log("error", { lease: leaseId, task: kind, error: (e as Error).message }))
      .finally(() => this.tasks.delete(leaseId));
    this.tasks.set(leaseId, p);
  }

  private async allocatePort(local: ReadonlyMap<string, LocalLeaseVm>): Promise<number | undefined> {
    const taken = new Set([...local.values()].map((v) => v.sshPort));
    for (const vm of await this.deps.vms.list()) taken.add(vm.sshPort);
    for (let port = this.opts.portRange.from; port <= this.opts.portRange.to; port++) {
      if (taken.has(port) || this.reservedPorts.has(port)) continue;
      this.reservedPorts.add(port);
      if (await this.deps.portFree(port)) return port;
      this.reservedPorts.delete(port);
    }
    return undefined;
  }

  private async provision(lease: ChainLease, port: number): Promise<void> {
    const spec: LeaseVmSpec = { leaseId: lease.id, image: lease.image as LeaseVmSpec["image"], resources: lease.resources, sshPubkeys: lease.sshPubkeys, sshPort: port, ...(this.opts.sshBind !== undefined ? { sshBind: this.opts.sshBind } : {}) };
    try {
      validateLeaseVmSpec(spec);
    } catch (e) {
      this.reservedPorts.delete(port);
      if (e instanceof InvalidConfigError) return this.refuse(lease, e.message);
      throw e;
    }
    const { millicores, memoryMiB, diskGiB, bandwidthMbps } = lease.resources;
    this.deps.log("provision", { lease: lease.id, image: lease.image, ssh_port: port, cpu_millis: millicores, memory_mib: memoryMiB, disk_gib: diskGiB, bandwidth_mbps: bandwidthMbps });
    try {
      await this.deps.vms.provision(spec);
    } catch (e) {
      if (!(e instanceof LeaseVmExistsError)) {
        // Leave nothing half-made: the next reconciliation provisions it from scratch.
        await this.deps.vms.destroy(lease.id);
        // A lease this host can never serve (e.g. a disk smaller than its image) is refunded now, not retried
        // every block until the ready timeout.
        if (e instanceof InvalidConfigError) return this.refuse(lease, e.message);
        throw e;
      }
    } finally {
      this.reservedPorts.delete(port);
    }
    const vm = (await this.deps.vms.list()).find((v) => v.leaseId === lease.id);
    if (vm !== undefined && lease.state === "pending") await this.waitReadyAndAnnounce(lease, vm);
  }

  /** A VM found on start (or left by a provisioning that died): finish it, start it, then wait for ready. */
  private async finishAndAnnounce(lease: ChainLease, vm: LocalLeaseVm): Promise<void> {
    if (vm.phase === "provisioning" && vm.sshPort === 0) {
      // Died before the record was written: nothing of value, start over.
      await this.deps.vms.destroy(lease.id);
      return;
    }
    if (!vm.running) {
      this.deps.log("resume", { lease: lease.id, phase: vm.phase });
      await this.deps.vms.resume(lease.id);
    }
    const fresh = (await this.deps.vms.list()).find((v) => v.leaseId === lease.id) ?? vm;
    await this.waitReadyAndAnnounce(lease, fresh);
  }

  private async waitReadyAndAnnounce(lease: ChainLease, vm: LocalLeaseVm): Promise<void> {
    const deadline = Date.now() + this.opts.readyTimeoutMs;
    for (;;) {
      if (!this.open.has(lease.id)) return;
      const r = await this.deps.vms.probeReady(vm, lease.sshPubkeys);
      if (r.ready) {
        this.deps.log("ready", { lease: lease.id, ssh_port: vm.sshPort, host_key_fingerprint: r.hostKeyFingerprint, tenant_key: r.acceptedKey });
        await this.deps.chain.leaseReady(lease.id, { sshHost: this.opts.sshHost, sshPort: vm.sshPort, hostKeyFingerprint: vm.hostKeyFingerprint, hostPublicKey: vm.hostKey });
        return;
      }
      if (r.hostKeyMismatch) throw new Error(`lease ${lease.id}: another machine answers on port ${vm.sshPort} (host key mismatch)`);
      if (Date.now() >= deadline) {
        await this.deps.vms.drainConsole(lease.id).catch(() => undefined);
        throw new Error(`lease ${lease.id}: not ready after ${this.opts.readyTimeoutMs} ms (${r.reason}); its console: trustnet provider lease-logs ${lease.id}`);
      }
      await this.deps.sleep(this.opts.probeIntervalMs);
    }
  }

  private async refuse(lease: ChainLease, reason: string): Promise<void> {
    this.deps.log("close", { lease: lease.id, reason });
    await this.deps.chain.closeLease(lease.id);
  }

  private async withdrawReady(): Promise<void> {
    const ready = [...this.open.values()].filter((l) => l.state === "ready").map((l) => l.id);
    // one transaction per WITHDRAWALS_PER_TX leases: with more in one, the chain refused it, every time. A failed
    // batch is logged and the next one still sent (unlike `provider withdraw`, which stops: the next round retries).
    for (const batch of inBatches(ready, WITHDRAWALS_PER_TX)) {
      this.deps.log("withdraw", { leases: batch });
      await this.deps.chain.withdraw(batch).catch((e: unknown) => this.deps.log("error", { task: "withdraw", error: (e as Error).message }));
    }
  }
}
