// Leasing end to end on a real devnet (real CometBFT, the real app with invariants checked after every block),
// driven through the `trustnet` CLI: a provider registers, a tenant leases, the provider reports the VM ready
// (MsgLeaseReady signed with the provider's key by cosmjs — the daemon's job, done here by hand), withdraws exactly
// rate × ready blocks, the tenant closes with an exact refund; the sweep closes an underfunded lease when its funds
// run out; a lease that never becomes ready is refunded in full after the ready timeout.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeTxRaw, DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { leasingMsgTypes } from "@trustnet/abci-app";
import { type Devnet, sleep, startDevnet } from "../helpers/devnet.ts";
import { faucetClient, REST } from "../helpers/chain-actions.ts";
import { ED25519, ED25519_FINGERPRINT as HOST_FP, RSA_1024 } from "../../abci-app/src/modules/leasing/testing/ssh-keys.ts";

// 60 blocks of 300 ms: 18 s from create to the provider's MsgLeaseReady. 20 (6 s) was less than a few CLI calls take
// on a loaded machine, so a lease the test was about to ready timed out first ('closed' where 'pending' was read).
const READY_TIMEOUT = 60;
const ENV = { TRUSTNET_KEYRING_PASSPHRASE: "leasing e2e passphrase" };
const types = new Registry([...defaultRegistryTypes, ...leasingMsgTypes.map((t) => [t.typeUrl, t] as [string, never])]);

interface LeaseJson { lease_id: string; state: string; rate_per_block: string; paid: string; refunded: string; balance: string; ready_height: string; closed_height: string; close_reason: string; deposited: string }

describe("leasing on a devnet through the CLI", () => {
  let d: Devnet;
  let providerClient: SigningStargateClient;
  let provider: string;
  let tenant: string;
  const node: string[] = [];
  const cli = async <T>(args: readonly string[]): Promise<T> => JSON.parse((await d.cli([...args, ...node, "--output", "json"], { env: ENV })).stdout) as T;
  const balance = async (a: string): Promise<bigint> => BigInt((await providerClient.getBalance(a, "utrust")).amount);
  const feeOf = async (hash: string): Promise<bigint> => {
    const tx = await providerClient.getTx(hash);
    assert.ok(tx, `tx ${hash}`);
    return BigInt(decodeTxRaw(tx.tx).authInfo.fee?.amount.find((c) => c.denom === "utrust")?.amount ?? "0");
  };
  const lease = (id: string) => cli<LeaseJson & { escrow: { blocks_left: string } }>(["lease", "show", id]);
  const ready = async (id: string): Promise<number> => {
    const r = await providerClient.signAndBroadcast(provider, [{
      typeUrl: "/trustnet.leasing.v1.MsgLeaseReady",
      value: { provider, leaseId: BigInt(id), sshHost: "127.0.0.1", sshPort: 2222n, hostKeyFingerprint: HOST_FP, hostPublicKey: ED25519 },
    }], "auto");
    assert.equal(r.code, 0, r.rawLog);
    return r.height;
  };
  const waitClosed = async (id: string, timeoutMs: number): Promise<LeaseJson> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const l = await lease(id);
      if (l.state === "closed" || Date.now() > end) return l;
      await sleep(500);
    }
  };
  const create = async (deposit: string): Promise<{ id: string; fee: bigint }> => {
    const r = await cli<{ lease_id: string; txhash: string }>([
      "lease", "create", "--provider", "prov", "--cpu", "2", "--memory", "2GiB", "--disk", "20GiB", "--image", "alpine-3.22", "--ssh-key", ED25519, "--deposit", deposit, "--from", "tenant", "--no-wait",
    ]);
    return { id: r.lease_id, fee: await feeOf(r.txhash) };
  };

  before(async () => {
    // A fixed zero inflation: no block provision, so no resource rewards, and a provider's balance moves by exactly
    // its lease payments (the rewards path: the keeper specs and test/leasing/provider-daemon.e2e.ts).
    d = await startDevnet({ blockTime: "300ms", upArgs: ["--leasing-ready-timeout", String(READY_TIMEOUT), "--inflation", "0"] });
    node.push("--node", d.rpc);
    const words = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    writeFileSync(join(d.home, "provider-words.txt"), words.mnemonic, { mode: 0o600 });
    provider = (await cli<{ address: string }>(["keys", "import", "prov", "--mnemonic-file", join(d.home, "provider-words.txt")])).address;
    tenant = (await cli<{ address: string }>(["keys", "add", "tenant"])).address;
    const faucet = await faucetClient(d);
    const fund = await faucet.sendTokens(d.faucet.address, provider, [{ denom: "utrust", amount: "100000000" }], "auto");
    assert.equal(fund.code, 0, fund.rawLog);
    assert.equal((await faucet.sendTokens(d.faucet.address, tenant, [{ denom: "utrust", amount: "100000000" }], "auto")).code, 0);
    faucet.disconnect();
    providerClient = await SigningStargateClient.connectWithSigner(d.rpc, words, { gasPrice: GasPrice.fromString("0.025utrust"), broadcastPollIntervalMs: 300, registry: types });
    const reg = await cli<{ owner: string; bond: string }>([
      "provider", "register", "--cpu", "4", "--memory", "8GiB", "--disk", "100GiB", "--bandwidth", "100", "--image", "alpine-3.22,ubuntu-24.04",
      "--price", "cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust", "--region", "e2e", "--from", "prov",
    ]);
    assert.deepEqual([reg.owner, reg.bond], [provider, "1000000"]);
  });
  after(async () => {
    providerClient?.disconnect();
    await d?.destroy();
  });

  test("create, ready, withdraw exactly rate × ready blocks, close with an exact refund", async () => {
    const providers = await cli<{ providers: { owner: string; free: { cpu_millis: string } }[] }>(["provider", "list", "--image", "alpine-3.22", "--cpu", "2"]);
    assert.deepEqual(providers.providers.map((p) => p.owner), [provider]);
    const tenant0 = await balance(tenant);
    const { id, fee: createFee } = await create("50TRUST");
    let l = await lease(id);
    assert.equal(l.state, "pending");
    assert.equal(l.rate_per_block, "50", "2 vCPU × 10 + 2 GiB × 5 + 20 GiB × 1");
    assert.equal(await balance(tenant), tenant0 - createFee - 50_000_000n, "the deposit is in escrow");
    const readyAt = BigInt(await ready(id));
    await sleep(3000);
    const prov0 = await balance(provider);
    const w = await cli<{ paid: string; take: string; txhash: string; height: string }>(["provider", "withdraw", id, "--from", "prov"]);
    const gross = 50n * (BigInt(w.height) - readyAt);
    assert.deepEqual([BigInt(w.paid) + BigInt(w.take), BigInt(w.take)], [gross, gross / 10n], "rate × blocks since ready left the escrow; the devnet's take (1000 bps) was burned");
    assert.equal(await balance(provider), prov0 + BigInt(w.paid) - (await feeOf(w.txhash)), "exactly the payment after the take, minus the fee");
    const earnings = await cli<{ paid: string; take: string; open_leases: string }>(["provider", "earnings", "prov"]);
    assert.deepEqual([earnings.paid, earnings.take, earnings.open_leases], [w.paid, w.take, "1"]);
    const rest = (await (await fetch(`${REST}/trustnet/leasing/v1/leases/${id}`)).json()) as { lease: { state: string; tenant: string } };
    assert.deepEqual([rest.lease.state, rest.lease.tenant], ["ready", tenant]);
    assert.match(await (await fetch(`${REST}/metrics`)).text(), /^trustnet_leases_active 1$/m);
    const tenant1 = await balance(tenant);
    const c = await cli<LeaseJson & { txhash: string; height: string }>(["lease", "close", id, "--from", "tenant"]);
    const paid = 50n * (BigInt(c.height) - readyAt);
    assert.deepEqual([c.state, c.close_reason, c.paid, c.refunded], ["closed", "tenant", String(paid), String(50_000_000n - paid)]);
    assert.equal(await balance(tenant), tenant1 - (await feeOf(c.txhash)) + 50_000_000n - paid, "exact refund");
    const list = await cli<{ leases: LeaseJson[] }>(["lease", "list", "tenant", "--state", "all"]);
    assert.ok(list.leases.some((x) => x.lease_id === id && x.state === "closed"));
    const metrics = await (await fetch(`${REST}/metrics`)).text();
    for (const event of ["lease_created", "lease_ready", "lease_closed"]) {
      assert.match(metrics, new RegExp(`^trustnet_lease_events_total\\{event="${event}"\\} [1-9]\\d*$`, "m"), `${event} counted`);
    }
    l = await lease(id);
    assert.equal(l.balance, "0");
  });

  test("the sweep closes a lease funded for 20 blocks when its funds run out; the leftover is refunded", async () => {
    const { id } = await create("1025utrust"); // 20 blocks at 50 utrust, 25 left over
    const readyAt = BigInt(await ready(id));
    const l = await waitClosed(id, 60_000);
    assert.deepEqual([l.state, l.close_reason], ["closed", "exhausted"]);
    assert.equal(BigInt(l.closed_height), readyAt + 20n, "closed at the height its funds ran out");
    assert.deepEqual([l.paid, l.refunded], ["1000", "25"]);
  });

  test("a lease the provider never readies is refunded in full after the ready timeout", async () => {
    const tenant0 = await balance(tenant);
    const { id, fee } = await create("3TRUST");
    const l = await waitClosed(id, 60_000);
    assert.deepEqual([l.state, l.close_reason, l.paid, l.refunded], ["closed", "ready_timeout", "0", "3000000"]);
    assert.equal(await balance(tenant), tenant0 - fee, "only the fee is spent");
  });

  test("lease create waits for the provider's MsgLeaseReady, showing progress", async () => {
    const waiting = d.cli([
      "lease", "create", "--provider", "prov", "--cpu", "1", "--memory", "512MiB", "--disk", "10GiB", "--ssh-key", ED25519, "--deposit", "1TRUST", "--from", "tenant", ...node, "--output", "json",
    ], { env: ENV });
    let id: string | undefined;
    for (let i = 0; i < 120 && id === undefined; i++) {
      id = (await cli<{ leases: LeaseJson[] }>(["lease", "list", "tenant", "--state", "pending"])).leases[0]?.lease_id;
      if (id === undefined) await sleep(500);
    }
    assert.ok(id, "the lease appears as pending while the CLI waits");
    await sleep(2000);
    await ready(id);
    const out = await waiting;
    assert.equal((JSON.parse(out.stdout) as LeaseJson).state, "ready");
    assert.match(out.stderr, /waiting for the provider to boot the VM/);
    await cli(["lease", "close", id, "--from", "tenant"]);
  });

  test("bad input gets a clear error and changes nothing", async () => {
    const before = await cli<{ used: { cpu_millis: string }; open_leases: string }>(["provider", "status", "prov"]);
    const refused = async (args: readonly string[], pattern: RegExp): Promise<void> => {
      await assert.rejects(d.cli([...args, ...node], { env: ENV }), (e: Error) => pattern.test(e.message));
    };
    const base = ["lease", "create", "--provider", "prov", "--from", "tenant", "--no-wait", "--deposit", "1TRUST", "--ssh-key", ED25519];
    await refused([...base, "--cpu", "8"], /not enough free capacity/);
    await refused([...base, "--cpu", "0.5"], /not a whole number of vCPUs/);
    await refused([...base, "--max-price", "10utrust"], /above max_price_per_block/);
    await refused([...base, "--image", "debian-12"], /unknown image/);
    await refused(["lease", "create", "--provider", "prov", "--from", "tenant", "--no-wait", "--deposit", "1TRUST", "--ssh-key", RSA_1024], /ssh public key|RSA/i);
    await refused([...base.slice(0, -4), "--deposit", "10utrust", "--ssh-key", ED25519], /does not cover one block/);
    await refused(["lease", "close", "1", "--from", "tenant"], /closed/);
    await refused(["provider", "withdraw", "1", "--from", "tenant"], /not the lease's provider/);
    const after = await cli<{ used: { cpu_millis: string }; open_leases: string }>(["provider", "status", "prov"]);
    assert.deepEqual(after, before);
  });

  test("trustnet query leasing … (the module's declared queries) answers as lease/provider do; key names resolve; bad input is refused", async () => {
    const hosted = await cli<{ provider: string; leases: LeaseJson[] }>(["query", "leasing", "leases", "--provider", "prov", "--state", "all"]);
    assert.equal(hosted.provider, provider, "--provider takes a key name");
    const mine = await cli<{ tenant: string; leases: LeaseJson[] }>(["lease", "list", "tenant", "--state", "all"]);
    assert.deepEqual(hosted.leases.map((l) => l.lease_id), mine.leases.map((l) => l.lease_id), "every lease here is the tenant's, hosted by prov");
    const id = mine.leases[0]?.lease_id ?? "";
    const { escrow: e1, ...viaQuery } = await cli<LeaseJson & { escrow: Record<string, string> }>(["query", "leasing", "lease", id]);
    const { escrow: e2, ...viaShow } = await lease(id);
    assert.deepEqual(viaQuery, viaShow);
    assert.deepEqual(Object.keys(e1), Object.keys(e2));
    const earnings = await cli<{ provider: string; open_leases: string }>(["query", "leasing", "earnings", "prov"]);
    assert.deepEqual(earnings, await cli(["provider", "earnings", "prov"]));
    const p = await cli<{ owner: string; region: string }>(["query", "leasing", "provider", "prov"]);
    assert.deepEqual([p.owner, p.region], [provider, "e2e"]);
    assert.equal((await cli<{ params: { ready_timeout_blocks: string } }>(["query", "leasing", "params"])).params.ready_timeout_blocks, String(READY_TIMEOUT));
    const refused = async (args: readonly string[], pattern: RegExp): Promise<void> => {
      await assert.rejects(d.cli(["query", "leasing", ...args, ...node], { env: ENV }), (e: Error) => pattern.test(e.message));
    };
    await refused(["lease", "seven"], /"seven" is not a lease id/);
    await refused(["lease", "9999"], /lease 9999 not found/);
    await refused(["provider", "tenant"], /is not a registered provider/);
    await refused(["provider", "nobody"], /nobody/);
    await refused(["leases", "--provider", "trust1notanaddress"], /provider|address/i);
  });
});
