// One devnet whose validators run on separate machines, as `trustnet vm up --validators N` lays it out: the host
// runs `devnet generate --p2p-hosts` once, and each "machine" (a Linux network namespace with its own loopback and
// one IPv6 ULA address on a shared bridge) receives only devnet.json, the key files and its own nodeI directory,
// then runs `devnet start --foreground --node I`. Real CometBFT and app processes; needs root and iproute2.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { CLI, sleep } from "../helpers/devnet.ts";

const execFileP = promisify(execFile);
const N = 3; // with 3 validators of equal power every block needs all of them (2/3 of the power is not enough)
const PREFIX = "fd54:726e:6574:1";
const HOSTS = [`${PREFIX}::1`, `${PREFIX}::3`, `${PREFIX}::4`]; // ::2 is the registry VM's address
const tag = `tnh${process.pid}`;
const SWITCH = `${tag}-sw`;
const ns = (i: number): string => `${tag}-${i}`;

function ip(...args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${r.error?.message ?? r.stderr.trim()}`);
}

/** Fails (never skips) with what is missing: this test must run as root with iproute2's `ip netns`. */
function requireNetns(): void {
  if (process.getuid?.() !== 0) throw new Error("hosts.e2e.ts needs root (it creates network namespaces); run the e2e tests as root");
  const r = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(`'ip netns' is not available (${r.error?.message ?? r.stderr.trim()}); install iproute2 (scripts/prereqs.d/20-chain.sh does)`);
  }
}

/** A bridge in its own namespace (so the host's firewall never sees the traffic) and one namespace per machine. */
function createNetwork(): void {
  ip("netns", "add", SWITCH);
  ip("-n", SWITCH, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
  ip("-n", SWITCH, "link", "set", "br0", "up");
  HOSTS.forEach((addr, i) => {
    ip("netns", "add", ns(i));
    ip("-n", ns(i), "link", "set", "lo", "up");
    ip("-n", SWITCH, "link", "add", `v${i}`, "type", "veth", "peer", "name", "eth0", "netns", ns(i));
    ip("-n", SWITCH, "link", "set", `v${i}`, "master", "br0");
    ip("-n", SWITCH, "link", "set", `v${i}`, "up");
    ip("-n", ns(i), "addr", "add", `${addr}/64`, "dev", "eth0", "nodad");
    ip("-n", ns(i), "link", "set", "eth0", "up");
  });
}

function nsPids(name: string): number[] {
  const r = spawnSync("ip", ["netns", "pids", name], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n").filter(Boolean).map(Number) : [];
}

/** Runs a command inside namespace `name`; resolves with stdout, rejects with stderr. */
async function inNs(name: string, args: readonly string[]): Promise<string> {
  try {
    return (await execFileP("ip", ["netns", "exec", name, ...args], { maxBuffer: 16 << 20, timeout: 30_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`in ${name}: ${args.join(" ")}: ${e.stderr || e.message}`, { cause: err });
  }
}

const FETCH = `fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then((r) => r.text()).then((t) => process.stdout.write(t))`;

/** A CometBFT RPC call made from inside namespace `name` (the machine's own view of the network). */
async function rpcIn<T>(name: string, url: string): Promise<T> {
  const body = JSON.parse(await inNs(name, [process.execPath, "-e", FETCH, url])) as { result?: T; error?: unknown };
  if (body.error || body.result === undefined) throw new Error(`${url}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const LOCAL_RPC = "http://127.0.0.1:26657";
const heightIn = async (i: number): Promise<number> =>
  Number((await rpcIn<{ sync_info: { latest_block_height: string } }>(ns(i), `${LOCAL_RPC}/status`)).sync_info.latest_block_height);

describe("a devnet on separate machines (network namespaces on a ULA IPv6 bridge)", () => {
  const tmp = mkdtempSync(join(tmpdir(), "trustnet-hosts-"));
  const hostHome = join(tmp, "host");
  const vmHome = (i: number): string => join(tmp, `vm${i}`);
  const procs: ChildProcess[] = [];
  const stderr: string[] = [];
  let netCreated = false;

  const diag = (): string => Array.from({ length: N }, (_, i) => {
    const tailOf = (f: string): string => {
      try {
        return readFileSync(join(vmHome(i), "logs", f), "utf8").trimEnd().split("\n").slice(-8).join("\n");
      } catch {
        return "(none)";
      }
    };
    return `--- machine ${i}: stderr\n${stderr[i] ?? ""}\n--- cometbft-${i}.log\n${tailOf(`cometbft-${i}.log`)}\n--- supervisor.log\n${tailOf("supervisor.log")}`;
  }).join("\n");

  before(() => {
    requireNetns();
    netCreated = true; // set first: a half-built network is torn down too
    createNetwork();
  });

  after(async () => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? undefined : Promise.race([new Promise((r) => p.once("exit", r)), sleep(20_000)]))));
    if (netCreated) {
      for (let i = 0; i < N; i++) {
        // Whatever this test started in its namespaces and is still there (only after a failure) goes first.
        for (const pid of nsPids(ns(i))) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* already gone */
          }
        }
        spawnSync("ip", ["netns", "del", ns(i)]);
      }
      spawnSync("ip", ["netns", "del", SWITCH]);
    }
    if (!process.env.TRUSTNET_KEEP_TEST_HOME) rmSync(tmp, { recursive: true, force: true });
  });

  test("devnet generate --p2p-hosts writes one chain for all machines, and refuses bad input or an existing devnet", async () => {
    const gen = spawnSync(process.execPath, [
      CLI, "devnet", "generate", "--home", hostHome, "--validators", String(N), "--p2p-hosts", HOSTS.join(","),
      "--rpc-laddr", "tcp://0.0.0.0:26657", "--registry-endpoint", `http://[${PREFIX}::2]:8000`, "--block-time", "300ms", "--output", "json",
    ], { encoding: "utf8" });
    assert.equal(gen.status, 0, gen.stderr);
    const m = JSON.parse(gen.stdout) as { validators: number; rpc_laddr: string; registry: { endpoint: string }; nodes: { index: number; node_id: string; p2p_host: string; ports: Record<string, number> }[] };
    assert.equal(m.validators, N);
    assert.equal(m.rpc_laddr, "tcp://0.0.0.0:26657");
    assert.equal(m.registry.endpoint, `http://[${PREFIX}::2]:8000`);
    assert.deepEqual(m.nodes.map((n) => n.p2p_host), HOSTS);
    for (const n of m.nodes) assert.deepEqual(n.ports, { p2p: 26656, rpc: 26657, abci: 26658, rest: 1317, metrics: 26660 });
    const cfg1 = readFileSync(join(hostHome, "devnet", "node1", "cometbft", "config", "config.toml"), "utf8");
    assert.match(cfg1, new RegExp(`^laddr = "tcp://\\[${PREFIX}::3\\]:26656"$`, "m"));
    assert.match(cfg1, new RegExp(`^persistent_peers = "${m.nodes[0]!.node_id}@\\[${PREFIX}::1\\]:26656,${m.nodes[2]!.node_id}@\\[${PREFIX}::4\\]:26656"$`, "m"));
    const genesis = readFileSync(join(hostHome, "devnet", "node0", "cometbft", "config", "genesis.json"), "utf8");
    for (let i = 1; i < N; i++) assert.equal(readFileSync(join(hostHome, "devnet", `node${i}`, "cometbft", "config", "genesis.json"), "utf8"), genesis);

    const manifestBefore = readFileSync(join(hostHome, "devnet", "devnet.json"), "utf8");
    const again = spawnSync(process.execPath, [CLI, "devnet", "generate", "--home", hostHome, "--p2p-hosts", HOSTS.join(",")], { encoding: "utf8" });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /a devnet already exists .*nothing was changed/);
    assert.equal(readFileSync(join(hostHome, "devnet", "devnet.json"), "utf8"), manifestBefore);
    const other = join(tmp, "bad");
    for (const [args, why] of [
      [["--validators", "2", "--p2p-hosts", HOSTS.join(",")], /--validators is 2 but --p2p-hosts lists 3/],
      [["--p2p-hosts", `${HOSTS[0]},${HOSTS[0]}`], /given twice/],
      [["--p2p-hosts", `[${HOSTS[0]}]`], /not an IPv4 or IPv6 address/],
    ] as const) {
      const r = spawnSync(process.execPath, [CLI, "devnet", "generate", "--home", other, ...args], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, why);
    }
    const refused = spawnSync(process.execPath, [CLI, "devnet", "start", "--foreground", "--home", other, "--node", "0"], { encoding: "utf8" });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /no devnet in .*none is generated/);
    assert.equal(existsSync(other), false, "nothing is written by a refused command");
  });

  test("each machine runs only its validator from devnet.json + keys + nodeI, and they reach consensus over the ULA network", async () => {
    for (let i = 0; i < N; i++) {
      const dst = join(vmHome(i), "devnet");
      mkdirSync(dst, { recursive: true });
      for (const f of ["devnet.json", "faucet.json", "registry-operator.json"]) cpSync(join(hostHome, "devnet", f), join(dst, f));
      cpSync(join(hostHome, "devnet", `node${i}`), join(dst, `node${i}`), { recursive: true });
      assert.deepEqual(readdirSync(dst).sort(), ["devnet.json", "faucet.json", `node${i}`, "registry-operator.json"]);
    }
    for (let i = 0; i < N; i++) {
      const p = spawn("ip", ["netns", "exec", ns(i), process.execPath, CLI, "devnet", "start", "--foreground", "--home", vmHome(i), "--node", String(i)], { stdio: ["ignore", "ignore", "pipe"] });
      stderr[i] = "";
      p.stderr?.on("data", (c: Buffer) => (stderr[i] += c.toString()));
      procs.push(p);
    }

    // Every machine sees blocks (which need all three validators) and reaches height 5.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const hs = await Promise.all(Array.from({ length: N }, (_, i) => heightIn(i).catch(() => -1)));
      if (hs.every((h) => h >= 5)) break;
      const dead = procs.findIndex((p) => p.exitCode !== null);
      if (dead >= 0) assert.fail(`machine ${dead} exited (code ${procs[dead]!.exitCode}) before consensus\n${diag()}`);
      if (Date.now() > deadline) assert.fail(`no consensus within 120 s (heights ${hs.join(", ")})\n${diag()}`);
      await sleep(500);
    }

    // Each node is connected to the two others, over their ULA addresses.
    for (let i = 0; i < N; i++) {
      const net = await rpcIn<{ n_peers: string; peers: { remote_ip: string }[] }>(ns(i), `${LOCAL_RPC}/net_info`);
      assert.equal(Number(net.n_peers), N - 1, `machine ${i} peers`);
      assert.deepEqual(net.peers.map((p) => p.remote_ip).sort(), HOSTS.filter((_, j) => j !== i).sort());
    }
    const vals = await rpcIn<{ total: string }>(ns(0), `${LOCAL_RPC}/validators`);
    assert.equal(vals.total, String(N));

    // The same block, app hash and full commit (all N signatures) on every machine, each asked on its own loopback.
    for (const h of [3, 4]) {
      const seen = await Promise.all(Array.from({ length: N }, async (_, i) => {
        const c = await rpcIn<{ signed_header: { header: { app_hash: string }; commit: { block_id: { hash: string } } } }>(ns(i), `${LOCAL_RPC}/commit?height=${h}`);
        const next = await rpcIn<{ block: { last_commit: { height: string; signatures: { block_id_flag: number }[] } } }>(ns(i), `${LOCAL_RPC}/block?height=${h + 1}`);
        assert.equal(next.block.last_commit.height, String(h));
        assert.equal(next.block.last_commit.signatures.filter((s) => s.block_id_flag === 2).length, N, `block ${h + 1} on machine ${i} carries every validator's signature for ${h}`);
        return `${c.signed_header.commit.block_id.hash}/${c.signed_header.header.app_hash}`;
      }));
      assert.equal(new Set(seen).size, 1, `block ${h}: ${seen.join(" ")}`);
      assert.notEqual(seen[0]?.split("/")[1], "");
    }

    // `devnet status` on a machine: its own node locally, the others at their ULA addresses (RPC on 0.0.0.0).
    const st = JSON.parse(await inNs(ns(0), [process.execPath, CLI, "devnet", "status", "--home", vmHome(0), "--output", "json"])) as {
      running: boolean; node: number; nodes: { index: number; up: boolean; local: boolean; rpc: string; height: string; app_hash: string }[];
    };
    assert.equal(st.running, true);
    assert.equal(st.node, 0);
    assert.deepEqual(st.nodes.map((n) => [n.up, n.local, n.rpc]), [
      [true, true, "http://127.0.0.1:26657"], [true, false, `http://[${HOSTS[1]}]:26657`], [true, false, `http://[${HOSTS[2]}]:26657`],
    ]);

    // Heights keep advancing on every machine.
    const h0 = await Promise.all(Array.from({ length: N }, (_, i) => heightIn(i)));
    await sleep(3000);
    const h1 = await Promise.all(Array.from({ length: N }, (_, i) => heightIn(i)));
    for (let i = 0; i < N; i++) assert.ok(h1[i]! > h0[i]!, `machine ${i}: height ${h0[i]} → ${h1[i]}`);

    // Only the validator's pair runs on a machine: no registry process, no other node.
    for (let i = 0; i < N; i++) {
      const state = JSON.parse(readFileSync(join(vmHome(i), "run", "devnet-state.json"), "utf8")) as { node: number; pairs: { index: number }[]; registry?: unknown };
      assert.equal(state.node, i);
      assert.deepEqual(state.pairs.map((p) => p.index), [i]);
      assert.equal(state.registry, undefined);
      assert.deepEqual(readdirSync(join(vmHome(i), "devnet")).filter((f) => f.startsWith("node")), [`node${i}`]);
    }

    // Stop: SIGTERM to machines 0..N-2, `devnet down` (which sends SIGTERM to the supervisor) on the last one.
    for (let i = 0; i < N - 1; i++) procs[i]!.kill("SIGTERM");
    const down = JSON.parse(await inNs(ns(N - 1), [process.execPath, CLI, "devnet", "down", "--home", vmHome(N - 1), "--output", "json"])) as { stopped: boolean };
    assert.equal(down.stopped, true);
    const codes = await Promise.all(procs.map((p) => (p.exitCode !== null ? p.exitCode : new Promise<number | null>((r) => p.once("exit", (c) => r(c))))));
    assert.deepEqual(codes, Array(N).fill(0), diag());
    await sleep(300);
    for (let i = 0; i < N; i++) assert.deepEqual(nsPids(ns(i)), [], `no process is left in machine ${i}`);
    assert.equal(spawnSync("pgrep", ["-f", tmp], { encoding: "utf8" }).stdout.trim(), "", "no process of this devnet is left");
    const stopped = JSON.parse(await inNs(ns(0), [process.execPath, CLI, "devnet", "status", "--home", vmHome(0), "--output", "json"])) as { running: boolean; nodes: { up: boolean }[] };
    assert.equal(stopped.running, false);
    assert.deepEqual(stopped.nodes.map((n) => n.up), Array(N).fill(false));
  });
});
