// The provider daemon end to end: a real devnet (CometBFT + the app, invariants checked every block), the real
// `trustnet provider run` process, real QEMU booting the provisioner's tiny ARM64 test guest under TCG (direct
// kernel; the guest's dropbear gets the tenant's keys and the daemon's host key), and the system's OpenSSH through
// `trustnet lease ssh` with the on-chain host key pinned.
//  1. lease → VM boots → the tenant (and only the tenant's key) logs in, nproc/free -m match the lease; the daemon's
//     withdrawals grow the provider's balance by exactly rate × ready blocks minus its fees; close → QEMU gone,
//     exact refund.
//  2. a lease funded for 20 blocks is closed by the sweep and the daemon destroys its VM.
//  3. kill -9 the daemon while a lease is being provisioned; after a restart there is exactly one VM for it.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeTxRaw, DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { CLI, type Devnet, sleep, startDevnet } from "../helpers/devnet.ts";
import { faucetClient } from "../helpers/chain-actions.ts";
import { qemuProcessesUnder, testGuest } from "../provisioner/guest.ts";

const ENV = { ...process.env, TRUSTNET_KEYRING_PASSPHRASE: "provider daemon e2e" };
const FEE = 10000n;
const PORTS = "40150-40159";

interface LeaseJson { lease_id: string; state: string; rate_per_block: string; paid: string; refunded: string; balance: string; ready_height: string; closed_height: string; close_reason: string; deposited: string; ssh_port?: string }

describe("provider daemon: leases boot real ARM64 VMs", { timeout: 900_000 }, () => {
  let d: Devnet;
  let q: StargateClient;
  let provider: string;
  let tenant: string;
  let daemon: ChildProcess | undefined;
  let daemonRuns = 0;
  const node: string[] = [];
  const vmsHome = (): string => join(d.home, "provider");
  const cli = async <T>(args: readonly string[]): Promise<T> => JSON.parse((await d.cli([...args, ...node, "--output", "json"], { env: ENV })).stdout) as T;
  const balance = async (a: string): Promise<bigint> => BigInt((await q.getBalance(a, "utrust")).amount);
  const feeOf = async (hash: string): Promise<bigint> => BigInt(decodeTxRaw((await q.getTx(hash))?.tx ?? new Uint8Array()).authInfo.fee?.amount[0]?.amount ?? "0");
  const lease = (id: string) => cli<LeaseJson>(["lease", "show", id]);
  const until = async <T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- daemon log ---\n${readFileSync(join(d.home, "daemon.log"), "utf8").slice(-4000)}`);
      await sleep(500);
    }
  };
  const startDaemon = (): void => {
    const guest = testGuest();
    const log = createWriteStream(join(d.home, "daemon.log"), { flags: "a" });
    daemon = spawn(process.execPath, [CLI, "provider", "run", "--from", "prov", "--home", d.home, ...node, "--ssh-port-range", PORTS,
      "--guest-kernel", guest.kernel, "--guest-initrd", guest.initrd, "--reconcile-every", "10", "--withdraw-every", "15", "--gas", "400000", "--fees", `${FEE}utrust`], { env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    daemon.stdout?.pipe(log);
    daemon.stderr?.pipe(log);
    daemonRuns++;
  };
  const stopDaemon = async (signal: NodeJS.Signals): Promise<void> => {
    const p = daemon;
    if (p === undefined || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill(signal);
    await exited;
    daemon = undefined;
  };
  const leaseQemus = (id: string): number[] => qemuProcessesUnder(join(vmsHome(), "leases", id) + "/");
  const sshOut = (id: string, key: string, command: string): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [CLI, "lease", "ssh", id, "-i", key, "--user", "root", "--home", d.home, ...node, "--", command], { env: ENV, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const sequence = async (a: string): Promise<number> => (await q.getSequence(a)).sequence;

  before(async () => {
    d = await startDevnet({ blockTime: "300ms", upArgs: ["--leasing-ready-timeout", "2000"] });
    node.push("--node", d.rpc);
    q = await StargateClient.connect(d.rpc);
    const words = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    writeFileSync(join(d.home, "provider-words.txt"), words.mnemonic, { mode: 0o600 });
    provider = (await cli<{ address: string }>(["keys", "import", "prov", "--mnemonic-file", join(d.home, "provider-words.txt")])).address;
    tenant = (await cli<{ address: string }>(["keys", "add", "tenant"])).address;
    const faucet = await faucetClient(d);
    for (const to of [provider, tenant]) assert.equal((await faucet.sendTokens(d.faucet.address, to, [{ denom: "utrust", amount: "100000000" }], "auto")).code, 0);
    faucet.disconnect();
    await cli(["provider", "register", "--cpu", "4", "--memory", "2GiB", "--disk", "100GiB", "--bandwidth", "100", "--image", "alpine-3.22,ubuntu-24.04",
      "--price", "cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust", "--region", "e2e", "--from", "prov"]);
    for (const k of ["tenant_key", "stranger_key"]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", k, "-f", join(d.home, k)]);
    startDaemon();
  });
  after(async () => {
    await stopDaemon("SIGKILL").catch(() => undefined);
    for (const pid of qemuProcessesUnder(d?.home ?? "/nonexistent")) process.kill(pid, "SIGKILL");
    q?.disconnect();
    await d?.destroy();
  });

  test("lease → ARM64 VM → tenant SSH with the pinned host key; exact withdrawals; close → QEMU gone, exact refund", async () => {
    const tenant0 = await balance(tenant);
    const prov0 = await balance(provider);
    const seq0 = await sequence(provider);
    const t0 = Date.now();
    const created = await cli<LeaseJson & { txhash: string }>(["lease", "create", "--provider", "prov", "--cpu", "2", "--memory", "384MiB", "--disk", "3GiB", "--image", "alpine-3.22",
      "--ssh-key", join(d.home, "tenant_key.pub"), "--deposit", "50TRUST", "--from", "tenant", "--wait-timeout", "400"]);
    const id = created.lease_id;
    assert.equal(created.state, "ready");
    process.stderr.write(`provider-daemon.e2e: lease ${id} ready ${((Date.now() - t0) / 1000).toFixed(1)}s after create\n`);
    const createFee = await feeOf(created.txhash);
    assert.deepEqual(leaseQemus(id).length, 1, "one QEMU for the lease");
    const rate = BigInt(created.rate_per_block);
    assert.equal(rate, 20n + 2n + 3n + 0n, "2 vCPU × 10 + ⌈384 MiB × 5 / 1024⌉ + 3 GiB × 1");

    // The tenant's key logs in, the host key pinned from the chain; nproc and free -m match the lease.
    const nproc = sshOut(id, join(d.home, "tenant_key"), "nproc");
    assert.equal(nproc.code, 0, nproc.stderr);
    assert.equal(nproc.stdout.trim(), "2");
    const free = sshOut(id, join(d.home, "tenant_key"), "free -m");
    const total = Number(/Mem:\s+(\d+)/.exec(free.stdout)?.[1]);
    assert.ok(total > 300 && total <= 384, `free -m total ${total} MiB for a 384 MiB lease:\n${free.stdout}`);
    const disk = sshOut(id, join(d.home, "tenant_key"), "cat /sys/block/vda/size");
    assert.equal(BigInt(disk.stdout.trim()) * 512n, 3n << 30n, "the leased disk is 3 GiB");
    // The guest reaches nothing on the host: QEMU's user network maps the host's loopback to 10.0.2.2, where this
    // devnet's RPC listens; the lease VM's network is restricted. (nc works: the guest's own sshd answers it.)
    const rpcPort = new URL(d.rpc).port;
    const probe = sshOut(id, join(d.home, "tenant_key"), `nc -w 2 127.0.0.1 22 </dev/null >/dev/null; echo self=$?; nc -w 3 10.0.2.2 ${rpcPort} </dev/null >/dev/null; echo host=$?`);
    assert.match(probe.stdout, /^self=0$/m, `nc inside the guest: ${probe.stdout}${probe.stderr}`);
    assert.match(probe.stdout, /^host=[1-9]\d*$/m, `the guest reached the host's 127.0.0.1:${rpcPort} through 10.0.2.2: ${probe.stdout}`);
    const knownHosts = readFileSync(join(d.home, "lease-ssh", `known_hosts-${id}`), "utf8");
    const record = JSON.parse(readFileSync(join(vmsHome(), "leases", id, "lease.json"), "utf8")) as { hostKey: string; hostKeyFingerprint: string };
    assert.equal(knownHosts.trim().split(" ").slice(1).join(" "), record.hostKey.trim(), "known_hosts holds the key the daemon injected");
    // Any other key is refused (the provider has no login; a stranger neither).
    const stranger = sshOut(id, join(d.home, "stranger_key"), "true");
    assert.equal(stranger.code, 255, "a key other than the tenant's is refused");
    assert.match(stranger.stderr, /Permission denied/);

    // The daemon withdraws every 15 blocks: stop it after its first withdrawal and check the balance exactly
    // (its transactions since the lease was created: MsgLeaseReady and the withdrawals, each paying FEE).
    const first = await until("a withdrawal", 60_000, async () => ((await lease(id)).paid !== "0" ? true : undefined));
    assert.ok(first);
    await stopDaemon("SIGTERM");
    await sleep(2000);
    const l1 = await lease(id);
    const earnings = await cli<{ paid: string; rewards: string }>(["provider", "earnings", "prov"]);
    const txs = BigInt((await sequence(provider)) - seq0);
    const settledBlocks = BigInt(l1.paid) / rate;
    assert.equal(BigInt(l1.paid), rate * settledBlocks, "paid is a whole number of blocks at the rate");
    assert.ok(settledBlocks > 0n, `ready blocks were paid (${settledBlocks})`);
    assert.equal(BigInt(l1.paid), rate * (BigInt((l1 as LeaseJson & { settled_height: string }).settled_height) - BigInt(l1.ready_height)), "rate × (settled height − ready height)");
    const status = await cli<{ rewards_paid: string; take_total: string }>(["provider", "status", "prov"]);
    const rewardsPaid = BigInt(status.rewards_paid);
    assert.ok(rewardsPaid <= BigInt(status.take_total), `rewards ${rewardsPaid} never exceed the take burned ${status.take_total}`);
    assert.equal(await balance(provider), prov0 + BigInt(l1.paid) - BigInt(status.take_total) + rewardsPaid - FEE * txs, `exactly rate × ready blocks (+ resource rewards ${rewardsPaid}) minus ${txs} fee(s); earnings ${JSON.stringify(earnings)}`);

    // A restart with a running VM: reconciliation keeps it (no second VM), and the close destroys it.
    startDaemon();
    await sleep(5000);
    assert.equal(leaseQemus(id).length, 1, "still one QEMU after the restart");
    const tenant1 = await balance(tenant);
    const closed = await cli<LeaseJson & { txhash: string }>(["lease", "close", id, "--from", "tenant"]);
    assert.equal(closed.state, "closed");
    assert.equal(BigInt(closed.refunded), 50_000_000n - BigInt(closed.paid), "unspent deposit refunded");
    assert.equal(await balance(tenant), tenant1 - (await feeOf(closed.txhash)) + BigInt(closed.refunded), "exact refund");
    assert.equal(tenant1, tenant0 - createFee - 50_000_000n);
    await until("the VM destroyed", 60_000, async () => (leaseQemus(id).length === 0 && !existsSync(join(vmsHome(), "leases", id)) ? true : undefined));
  });

  test("a lease funded for 20 blocks is closed by the sweep; the daemon destroys its VM", async () => {
    const created = await cli<LeaseJson>(["lease", "create", "--provider", "prov", "--cpu", "1", "--memory", "256MiB", "--disk", "1GiB", "--image", "alpine-3.22",
      "--ssh-key", join(d.home, "tenant_key.pub"), "--deposit", `${20 * 13 + 5}utrust`, "--from", "tenant", "--wait-timeout", "400"]);
    assert.equal(created.rate_per_block, "13");
    const id = created.lease_id;
    assert.equal(created.state, "ready");
    const l = await until("the sweep", 60_000, async () => {
      const x = await lease(id);
      return x.state === "closed" ? x : undefined;
    });
    assert.equal(l.close_reason, "exhausted");
    assert.equal(BigInt(l.closed_height), BigInt(l.ready_height) + 20n);
    await until("the VM destroyed", 60_000, async () => (leaseQemus(id).length === 0 && !existsSync(join(vmsHome(), "leases", id)) ? true : undefined));
  });

  test("kill -9 while provisioning: after a restart, exactly one VM for the lease, and it becomes ready", async () => {
    const created = await cli<LeaseJson>(["lease", "create", "--provider", "prov", "--cpu", "1", "--memory", "256MiB", "--disk", "1GiB", "--image", "alpine-3.22",
      "--ssh-key", join(d.home, "tenant_key.pub"), "--deposit", "5TRUST", "--from", "tenant", "--no-wait"]);
    const id = created.lease_id;
    await until("provisioning to start", 30_000, async () => (existsSync(join(vmsHome(), "leases", id, "lease.json")) ? true : undefined));
    await stopDaemon("SIGKILL");
    assert.equal((await lease(id)).state, "pending", "killed before it could announce the VM");
    const runs = daemonRuns;
    startDaemon();
    assert.equal(daemonRuns, runs + 1);
    const ready = await until("ready after the restart", 400_000, async () => {
      const x = await lease(id);
      return x.state === "ready" ? x : undefined;
    });
    assert.ok(ready);
    await sleep(5000);
    assert.equal(leaseQemus(id).length, 1, "exactly one QEMU for the lease");
    const ok = sshOut(id, join(d.home, "tenant_key"), "hostname");
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), `lease-${id}`);
    await cli(["lease", "close", id, "--from", "tenant"]);
    await until("the VM destroyed", 60_000, async () => (leaseQemus(id).length === 0 ? true : undefined));
  });
});
