// The daemon engine against a fake chain and a fake machine: boot on a new lease, MsgLeaseReady only once the
// tenant's key is accepted (with the injected host key's fingerprint), destroy on close, withdraw on schedule,
// reconciliation (orphan VMs destroyed, strays killed, stopped VMs restarted, impossible leases closed) and a
// restart that finds a half-provisioned VM and finishes it without a second one.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { camelCaseKeys } from "@trustnet/abci-app";
import { InvalidConfigError, LeaseVmExistsError, type LeaseVmSpec, type ReadyProbeResult } from "@trustnet/provisioner";
import { MAX_RESTART_FAILURES, MAX_START_BACKOFF_BLOCKS, ProviderDaemon, WITHDRAWALS_PER_TX, type DaemonOptions } from "./daemon.ts";
import type { ChainLease, LeaseChain, ReadyAnnouncement } from "./lease-chain.ts";
import type { LeaseVmHost, LocalLeaseVm } from "./vm-host.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPmEmx2mCNrr7DOyG0a/5VwWeZ6XZd1wQ0rr6n0SZo2l tenant";

class FakeChain implements LeaseChain {
  readonly provider = "trust1provider";
  leases = new Map<string, ChainLease>();
  readies: [string, ReadyAnnouncement][] = [];
  withdrawals: string[][] = [];
  closes: string[] = [];
  /** The node is catching up: it answers an old height's state (here: no open lease at all). */
  syncing = false;
  async catchingUp(): Promise<boolean> {
    return this.syncing;
  }
  async openLeases(): Promise<readonly ChainLease[]> {
    return [...this.leases.values()];
  }
  async leaseReady(id: string, r: ReadyAnnouncement): Promise<void> {
    this.readies.push([id, r]);
    const l = this.leases.get(id);
    if (l) this.leases.set(id, { ...l, state: "ready", hostKeyFingerprint: r.hostKeyFingerprint });
  }
  async withdraw(ids: readonly string[]): Promise<void> {
    this.withdrawals.push([...ids]);
  }
  async closeLease(id: string): Promise<void> {
    this.closes.push(id);
    this.leases.delete(id);
  }
  add(id: string, patch: Partial<ChainLease> = {}): void {
    this.leases.set(id, { id, tenant: "trust1tenant", image: "alpine-3.22", resources: { millicores: 1000, memoryMiB: 256, diskGiB: 1, bandwidthMbps: 10 }, sshPubkeys: [KEY], state: "pending", hostKeyFingerprint: "", ...patch });
  }
}

class FakeVms implements LeaseVmHost {
  readonly leasesDir = "/home/p/.trustnet/provider/leases";
  /** This machine has hosted lease VMs before (their directory exists). */
  hosted = true;
  async leasesDirExists(): Promise<boolean> {
    return this.hosted || this.vms.size > 0;
  }
  vms = new Map<string, LocalLeaseVm & { spec?: LeaseVmSpec }>();
  procs: { pid: number; leaseId: string }[] = [];
  provisions: string[] = [];
  killed: number[] = [];
  /** Leases whose sshd accepts the tenant's key (the VM "finished booting"). */
  booted = new Set<string>();
  failProvision: Error | undefined;
  private nextPid = 100;
  async list(): Promise<readonly LocalLeaseVm[]> {
    return [...this.vms.values()];
  }
  async provision(spec: LeaseVmSpec): Promise<void> {
    if (this.vms.has(spec.leaseId)) throw new LeaseVmExistsError("exists");
    this.provisions.push(spec.leaseId);
    this.vms.set(spec.leaseId, { leaseId: spec.leaseId, phase: "provisioning", sshPort: spec.sshPort, hostKey: `ssh-ed25519 HOST${spec.leaseId}`, hostKeyFingerprint: `SHA256:fp${spec.leaseId}`, user: undefined, running: false, spec });
    if (this.failProvision) throw this.failProvision;
    await this.resume(spec.leaseId);
  }
  failResume: Error | undefined;
  async resume(id: string): Promise<void> {
    if (this.failResume) throw this.failResume;
    const vm = this.vms.get(id);
    if (!vm) throw new Error("no record");
    if (vm.running) return;
    const pid = this.nextPid++;
    this.procs.push({ pid, leaseId: id });
    this.vms.set(id, { ...vm, phase: "prepared", user: "tenant", running: true });
  }
  async destroy(id: string): Promise<void> {
    this.vms.delete(id);
    this.procs = this.procs.filter((p) => p.leaseId !== id);
  }
  async processes(): Promise<readonly { pid: number; leaseId: string }[]> {
    return this.procs;
  }
  async ownedPid(id: string): Promise<number | undefined> {
    return this.vms.get(id)?.running ? this.procs.find((p) => p.leaseId === id)?.pid : undefined;
  }
  async kill(pid: number): Promise<void> {
    this.killed.push(pid);
    this.procs = this.procs.filter((p) => p.pid !== pid);
  }
  /** Consoles drained, in order. */
  drained: string[] = [];
  async drainConsole(id: string): Promise<void> {
    this.drained.push(id);
  }
  async probeReady(vm: LocalLeaseVm, keys: readonly string[]): Promise<ReadyProbeResult> {
    assert.deepEqual(keys, [KEY], "the probe offers the tenant's keys");
    return this.booted.has(vm.leaseId) ? { ready: true, acceptedKey: "SHA256:tenant", hostKeyFingerprint: vm.hostKeyFingerprint } : { ready: false, reason: "booting", hostKeyMismatch: false };
  }
}

const opts: DaemonOptions = { sshHost: "203.0.113.7", portRange: { from: 40000, to: 40002 }, reconcileEvery: 10, withdrawEvery: 5, readyTimeoutMs: 60_000, probeIntervalMs: 1 };

/** Every line the daemons of these specs logged, checked last (its fields are snake_case, as the CLI's JSON). */
const logged: [string, Record<string, unknown>][] = [];

function setup(o: Partial<DaemonOptions> = {}, taken: readonly number[] = []) {
  const chain = new FakeChain();
  const vms = new FakeVms();
  const log: [string, Record<string, unknown>][] = [];
  const daemon = new ProviderDaemon({ chain, vms, portFree: async (p) => !taken.includes(p), log: (e, f) => { log.push([e, f]); logged.push([e, f]); }, sleep: () => new Promise((r) => setImmediate(r)) }, { ...opts, ...o });
  return { chain, vms, daemon, log };
}

describe("provider daemon engine", () => {
  test("a new lease gets one VM; ready is sent only once the tenant's key is accepted, with the VM's host key", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("7");
    await daemon.onHeight(1);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(vms.provisions, ["7"]);
    assert.equal(vms.vms.get("7")?.sshPort, 40000);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(chain.readies, [], "not ready while the VM boots");
    await daemon.onHeight(2);
    assert.deepEqual(vms.provisions, ["7"], "no second VM while the first one boots");
    vms.booted.add("7");
    await daemon.idle();
    assert.deepEqual(chain.readies, [["7", { sshHost: "203.0.113.7", sshPort: 40000, hostKeyFingerprint: "SHA256:fp7", hostPublicKey: "ssh-ed25519 HOST7" }]]);
  });

  test("closing the lease destroys the VM", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("7");
    vms.booted.add("7");
    await daemon.onHeight(1);
    await daemon.idle();
    chain.leases.delete("7");
    await daemon.onHeight(2);
    assert.equal(vms.vms.size, 0);
    assert.deepEqual(vms.procs, []);
  });

  test("ports come from the range, skipping ports in use; an exhausted range closes the lease", async () => {
    const { chain, vms, daemon } = setup({}, [40000]);
    for (const id of ["1", "2", "3"]) chain.add(id);
    vms.booted.add("1").add("2").add("3");
    await daemon.onHeight(1);
    await daemon.idle();
    assert.deepEqual([...vms.vms.values()].map((v) => [v.leaseId, v.sshPort]).sort(), [["1", 40001], ["2", 40002]]);
    assert.deepEqual(chain.closes, ["3"]);
  });

  test("an image this host cannot boot, or bad resources: the lease is closed (refund), no VM", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("8", { image: "windows-11" });
    chain.add("9", { resources: { millicores: 1000, memoryMiB: 16, diskGiB: 1, bandwidthMbps: 0 } });
    await daemon.onHeight(1);
    await daemon.idle();
    assert.deepEqual(chain.closes.sort(), ["8", "9"]);
    assert.equal(vms.vms.size, 0);
  });

  test("a lease the host can never serve (its disk smaller than the image) is closed at once, not retried every block", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("4");
    vms.failProvision = new InvalidConfigError("disk size 1 GiB is smaller than the image ubuntu-24.04 (3.50 GiB)");
    await daemon.onHeight(1);
    await daemon.idle();
    await daemon.onHeight(2);
    await daemon.idle();
    assert.deepEqual(chain.closes, ["4"], "closed once, with a refund");
    assert.deepEqual(vms.provisions, ["4"], "tried once");
    assert.equal(vms.vms.size, 0, "nothing left behind");
  });

  test("a failed provisioning leaves nothing behind and is retried", async () => {
    const { chain, vms, daemon, log } = setup();
    chain.add("4");
    vms.failProvision = new Error("qemu-img: disk full");
    await daemon.onHeight(1);
    await daemon.idle();
    assert.equal(vms.vms.size, 0);
    assert.ok(log.some(([e, f]) => e === "error" && /disk full/.test(String(f.error))));
    vms.failProvision = undefined;
    vms.booted.add("4");
    await daemon.onHeight(2);
    await daemon.idle();
    assert.deepEqual(chain.readies.map(([id]) => id), ["4"]);
  });

  test("a VM that cannot start is retried with a bounded backoff (1, 2, 4 … blocks), not every block until the ready timeout", async () => {
    const { chain, vms, daemon, log } = setup({ reconcileEvery: 1000, readyTimeoutMs: 0 });
    chain.add("4");
    vms.failProvision = new Error("qemu-system-aarch64: -accel kvm: failed to initialize kvm: Permission denied");
    const tried: number[] = [];
    for (let h = 1; h <= 100; h++) {
      const before = vms.provisions.length;
      await daemon.onHeight(h);
      await daemon.idle();
      if (vms.provisions.length > before) tried.push(h);
    }
    assert.deepEqual(tried, [1, 2, 4, 8, 16, 32, 64, 96], `tried at these heights; the wait is capped at ${MAX_START_BACKOFF_BLOCKS} blocks`);
    assert.equal(vms.vms.size, 0, "nothing left behind by any attempt");
    assert.ok(log.some(([e, f]) => e === "backoff" && f.lease === "4" && f.failures === 8 && f.retry_at === 128));
    vms.failProvision = undefined;
    vms.booted.add("4");
    for (let h = 101; h <= 128; h++) await daemon.onHeight(h);
    await daemon.idle();
    assert.deepEqual([tried.length, vms.provisions.length, chain.readies.length], [8, 9, 1], "the 9th attempt, at height 128, boots it and sends ready");
    // a VM that starts but never gets ready is probed again on the same schedule (its disk kept), and a close forgets it
    chain.add("5");
    const probes = () => log.filter(([e, f]) => e === "error" && f.lease === "5" && /not ready after 0 ms/u.test(String(f.error))).length;
    for (let h = 129; h <= 140; h++) {
      await daemon.onHeight(h);
      await daemon.idle();
    }
    assert.deepEqual([probes(), vms.provisions.filter((id) => id === "5").length], [4, 1], "probed at 129, 130, 132 and 136; one VM");
    chain.leases.delete("5");
    await daemon.onHeight(141);
    await daemon.idle();
    assert.equal(vms.vms.has("5"), false);
  });

  test("withdraws the ready leases every withdrawEvery blocks", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("1");
    chain.add("2", { state: "ready" });
    vms.vms.set("2", { leaseId: "2", phase: "prepared", sshPort: 40002, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    vms.booted.add("1");
    for (let h = 1; h <= 11; h++) {
      await daemon.onHeight(h);
      await daemon.idle();
    }
    assert.deepEqual(chain.withdrawals, [["1", "2"], ["1", "2"]], "at heights 6 and 11, the ready leases in one transaction");
  });

  test("more ready leases than a transaction may hold are withdrawn in several transactions, a failed one not stopping the rest", async () => {
    const { chain, vms, daemon } = setup({ portRange: { from: 40000, to: 40300 } });
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    for (const [i, id] of ids.entries()) {
      chain.add(id, { state: "ready" });
      vms.vms.set(id, { leaseId: id, phase: "prepared", sshPort: 40000 + i, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    }
    const withdraw = chain.withdraw.bind(chain);
    chain.withdraw = async (batch) => {
      if (batch.length > 100) throw new Error(`tx has ${batch.length} messages; the limit is 100`);
      if (batch.includes("1")) throw new Error("out of gas");
      return withdraw(batch);
    };
    for (let h = 1; h <= 6; h++) await daemon.onHeight(h);
    await daemon.idle();
    assert.deepEqual(chain.withdrawals.map((b) => b.length), [WITHDRAWALS_PER_TX, 50], "leases 101-250, after the batch of 1-100 failed");
    assert.deepEqual(chain.withdrawals.flat(), ids.slice(100));
  });

  test("withdrawal batches end exactly at the limit: WITHDRAWALS_PER_TX leases in one transaction, one more in a second", async () => {
    for (const [count, sizes] of [[WITHDRAWALS_PER_TX, [WITHDRAWALS_PER_TX]], [WITHDRAWALS_PER_TX + 1, [WITHDRAWALS_PER_TX, 1]]] as const) {
      const { chain, vms, daemon } = setup({ portRange: { from: 40000, to: 40300 } });
      const ids = Array.from({ length: count }, (_, i) => String(i + 1));
      for (const [i, id] of ids.entries()) {
        chain.add(id, { state: "ready" });
        vms.vms.set(id, { leaseId: id, phase: "prepared", sshPort: 40000 + i, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
      }
      for (let h = 1; h <= 6; h++) await daemon.onHeight(h);
      await daemon.idle();
      assert.deepEqual(chain.withdrawals.map((b) => b.length), sizes, `${count} ready leases`);
      assert.deepEqual(chain.withdrawals.flat(), ids, "each lease once, in order");
    }
  });

  test("restart: a VM claimed but never prepared (kill -9 mid-provisioning) is finished, not duplicated", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("5");
    vms.vms.set("5", { leaseId: "5", phase: "provisioning", sshPort: 40001, hostKey: "ssh-ed25519 HOST5", hostKeyFingerprint: "SHA256:fp5", user: undefined, running: false });
    vms.booted.add("5");
    await daemon.reconcile();
    await daemon.idle();
    assert.deepEqual(vms.provisions, [], "no new claim");
    assert.equal(vms.procs.filter((p) => p.leaseId === "5").length, 1);
    assert.deepEqual(chain.readies, [["5", { sshHost: "203.0.113.7", sshPort: 40001, hostKeyFingerprint: "SHA256:fp5", hostPublicKey: "ssh-ed25519 HOST5" }]]);
  });

  test("restart: a running VM of a pending lease is only probed; a directory with no record is removed and redone", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("5");
    chain.add("6");
    await vms.provision({ leaseId: "5", image: "alpine-3.22", resources: { millicores: 1000, memoryMiB: 256, diskGiB: 1, bandwidthMbps: 0 }, sshPubkeys: [KEY], sshPort: 40001 });
    vms.vms.set("6", { leaseId: "6", phase: "provisioning", sshPort: 0, hostKey: "", hostKeyFingerprint: "", user: undefined, running: false });
    vms.provisions = [];
    vms.booted.add("5").add("6");
    await daemon.reconcile();
    await daemon.idle();
    await daemon.sync();
    await daemon.idle();
    assert.deepEqual(vms.provisions, ["6"]);
    assert.deepEqual(vms.procs.map((p) => p.leaseId).sort(), ["5", "6"]);
    assert.deepEqual(chain.readies.map(([id]) => id).sort(), ["5", "6"]);
  });

  test("reconciliation: VMs with no open lease destroyed, stray and duplicate QEMUs killed, stopped ready VMs restarted", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("1", { state: "ready" });
    chain.add("2", { state: "ready" });
    vms.vms.set("1", { leaseId: "1", phase: "prepared", sshPort: 40000, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    vms.procs.push({ pid: 11, leaseId: "1" }, { pid: 12, leaseId: "1" }, { pid: 13, leaseId: "9" });
    vms.vms.set("2", { leaseId: "2", phase: "prepared", sshPort: 40001, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: false });
    vms.vms.set("3", { leaseId: "3", phase: "prepared", sshPort: 40002, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    await daemon.onHeight(10);
    await daemon.idle();
    assert.equal(vms.vms.has("3"), false, "the VM of a closed lease is destroyed");
    assert.deepEqual(vms.killed.sort(), [12, 13], "the duplicate of lease 1 and the orphan of lease 9");
    assert.equal(vms.vms.get("2")?.running, true, "the stopped VM of a ready lease is started again");
    assert.deepEqual(vms.procs.map((p) => p.leaseId).sort(), ["1", "2"]);
  });

  test("reconciliation drains the running VMs' consoles; a readiness timeout drains that VM's and names provider lease-logs", async () => {
    const { chain, vms, daemon, log } = setup({ readyTimeoutMs: 0 });
    chain.add("1", { state: "ready" });
    chain.add("2", { state: "ready" });
    vms.vms.set("1", { leaseId: "1", phase: "prepared", sshPort: 40000, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    vms.procs.push({ pid: 11, leaseId: "1" });
    vms.vms.set("2", { leaseId: "2", phase: "prepared", sshPort: 40001, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: false });
    await daemon.onHeight(10);
    await daemon.idle();
    assert.deepEqual(vms.drained, ["1"], "only a running QEMU has a ring to drain");
    chain.add("3");
    vms.drained = [];
    await daemon.onHeight(11);
    await daemon.idle();
    assert.deepEqual(vms.drained, ["3"]);
    assert.ok(log.some(([e, f]) => e === "error" && /not ready after 0 ms .*trustnet provider lease-logs 3/u.test(String(f.error))));
  });

  test("a ready lease whose stopped VM fails to restart MAX_RESTART_FAILURES times is closed, not billed on", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("2", { state: "ready" });
    vms.vms.set("2", { leaseId: "2", phase: "prepared", sshPort: 40001, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: false });
    vms.failResume = new Error("qemu: could not set up host forwarding rule 'tcp:127.0.0.1:40001-:22'");
    for (let i = 1; i < MAX_RESTART_FAILURES; i++) {
      await daemon.onHeight(10 * i);
      await daemon.idle();
      assert.deepEqual(chain.closes, [], `still retried after ${i} failure(s)`);
    }
    await daemon.onHeight(10 * MAX_RESTART_FAILURES);
    await daemon.idle();
    assert.deepEqual(chain.closes, ["2"], "closed with a refund");
  });

  test("while the node catches up nothing is destroyed, provisioned or closed: its open leases are an old height's", async () => {
    const { chain, vms, daemon, log } = setup();
    vms.vms.set("1", { leaseId: "1", phase: "prepared", sshPort: 40000, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    vms.procs.push({ pid: 11, leaseId: "1" });
    chain.syncing = true;
    chain.add("2", { state: "ready" });
    await daemon.reconcile();
    await daemon.onHeight(10);
    await daemon.onHeight(11);
    await daemon.idle();
    assert.equal(vms.vms.get("1")?.running, true, "the VM of a lease the lagging node does not list is kept");
    assert.deepEqual([chain.closes, vms.provisions, vms.killed], [[], [], []]);
    assert.ok(log.some(([e, f]) => e === "wait" && /catching up/u.test(String(f.reason))));
    chain.syncing = false;
    chain.leases.clear();
    chain.add("1", { state: "ready" });
    await daemon.onHeight(20);
    await daemon.idle();
    assert.equal(vms.vms.get("1")?.running, true, "caught up: lease 1 is open, its VM stays");
  });

  test("ready leases with no VM on a machine that never hosted one (a wrong --home) are not closed; nothing is done", async () => {
    const { chain, vms, daemon, log } = setup();
    vms.hosted = false;
    chain.add("3", { state: "ready" });
    chain.add("4");
    vms.booted.add("4");
    await daemon.reconcile();
    await daemon.onHeight(1);
    await daemon.idle();
    assert.deepEqual([chain.closes, vms.provisions], [[], []], "no lease closed, no VM made in the wrong place");
    assert.ok(log.some(([e, f]) => e === "wait" && String(f.reason).includes(vms.leasesDir)));
    vms.hosted = true;
    await daemon.onHeight(2);
    await daemon.idle();
    assert.deepEqual([chain.closes, vms.provisions], [["3"], ["4"]], "the directory exists: the lost VM's lease is refunded");
  });

  test("a ready lease whose VM is gone is closed (its pinned host key cannot be restored)", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("3", { state: "ready" });
    await daemon.onHeight(1);
    await daemon.idle();
    assert.deepEqual(chain.closes, ["3"]);
    assert.deepEqual(vms.provisions, []);
  });
});

describe("provider daemon catching up", () => {
  test("missed blocks are noted, and the work is done once at the tip", async () => {
    const { chain, vms, daemon } = setup();
    chain.add("1", { state: "ready" });
    vms.vms.set("1", { leaseId: "1", phase: "prepared", sshPort: 40000, hostKey: "k", hostKeyFingerprint: "f", user: "tenant", running: true });
    let lists = 0;
    const orig = chain.openLeases.bind(chain);
    chain.openLeases = async () => (lists++, orig());
    for (let h = 1; h <= 12; h++) await daemon.onHeight(h, 12);
    assert.equal(lists, 1, "one reconciliation at the tip, not one chain read per block");
    assert.deepEqual(chain.withdrawals, [["1"]], "the withdrawal due at height 6 and 11 is made once");
  });
});

describe("provider daemon log lines", () => {
  test("every field of every line logged above is snake_case (ssh_port, retry_at, memory_mib), as every JSON the CLI prints", () => {
    for (const event of ["provision", "ready", "backoff", "destroy", "error"]) assert.ok(logged.some(([e]) => e === event), `no ${event} line logged`);
    assert.deepEqual(logged.flatMap(([e, f]) => camelCaseKeys(f).map((k) => `${e}: ${k}`)), []);
  });
});
