// `trustnet registry serve` as the registry VM's service runs it: the real CLI in its own process, against a real
// devnet's RPC, listening on IPv6 loopback. A namespace owner pushes an image over HTTP, the operator key records the
// tag on chain, /health sees the chain, SIGTERM stops it with status 0. Then the registry VM booting before the node
// VM: --node on a dead IPv6 address serves anyway and reports the chain unreachable, until the node answers there.
// And bad input: each refused with a clear message and a non-zero status, the serve home left as it was.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile, copyFile, chmod } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CLI, type Devnet, sleep, startDevnet } from "../helpers/devnet.ts";
import { snapshotDir } from "../../registry/src/testkit.ts";

const PASS = "correct horse battery staple";
const PORT_OFFSET = 5300; // devnet ports 31956-31958, REST 6617, its registry 13300: all below 32768

/**
 * A port below the ephemeral range that is free on both loopbacks, and outside every band the devnets of the other
 * end-to-end lane use (REST, registry and CometBFT ports plus offsets up to ~6,100: test/e2e-lanes.ts).
 */
async function freeLowPort(): Promise<number> {
  const free = (port: number, host: string): Promise<boolean> => new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
  for (let i = 0; i < 100; i++) {
    const port = 15000 + Math.floor(Math.random() * 11000);
    if ((await free(port, "::1")) && (await free(port, "127.0.0.1"))) return port;
  }
  throw new Error("no free port in 15000-25999");
}

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** JSON log lines (stdout). */
  logs(): { level: string; msg: string; [k: string]: unknown }[];
  health(): Promise<{ status: string; chain: { reachable: boolean } }>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>;
}

/** `trustnet registry serve --foreground …` in its own process; waits until GET /health answers. */
async function serve(args: readonly string[], port: number): Promise<Served> {
  const child = spawn(process.execPath, [CLI, "registry", "serve", "--foreground", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = `http://[::1]:${port}`;
  const health = async (): Promise<{ status: string; chain: { reachable: boolean } }> => {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200);
    return (await res.json()) as never;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`registry serve exited with ${child.exitCode}:\n${err}\n${out}`);
    if (await health().then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`registry serve did not answer on ${url}:\n${err}\n${out}`);
    }
    await sleep(100);
  }
  return {
    child, url, health,
    stdout: () => out,
    stderr: () => err,
    logs: () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { level: string; msg: string }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exit;
    },
  };
}

/** Runs `trustnet registry serve` expecting it to refuse; returns status and stderr. */
function refused(args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "registry", "serve", "--foreground", ...args], { encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

const sha256 = (b: Uint8Array): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Pushes a one-layer OCI image with plain HTTP (monolithic blob uploads, then the manifest); returns its digest. */
async function pushImage(base: string, repo: string, tag: string, auth: string): Promise<string> {
  const headers = { authorization: auth };
  const layer = Buffer.from(`layer of ${repo}:${tag} ${Date.now()}\n`);
  const config = Buffer.from(JSON.stringify({ architecture: "arm64", os: "linux", rootfs: { type: "layers", diff_ids: [sha256(layer)] } }));
  for (const blob of [layer, config]) {
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers });
    assert.equal(start.status, 202, `start upload: ${await start.text()}`);
    const loc = new URL(start.headers.get("location") ?? "", base);
    loc.searchParams.set("digest", sha256(blob));
    const put = await fetch(loc, { method: "PUT", headers: { ...headers, "content-type": "application/octet-stream" }, body: blob });
    assert.equal(put.status, 201, `finish upload: ${await put.text()}`);
  }
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.length }],
  }));
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, { method: "PUT", headers: { ...headers, "content-type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
  assert.equal(res.status, 201, `manifest: ${await res.text()}`);
  assert.equal(res.headers.get("docker-content-digest"), sha256(manifest));
  return sha256(manifest);
}

/** A plain TCP relay from [::1]:port to 127.0.0.1:target (the devnet's RPC listens on IPv4 loopback only). */
function relay(port: number, target: number): Promise<Server> {
  const s = createServer((c) => {
    const up = createConnection({ host: "127.0.0.1", port: target });
    c.pipe(up).pipe(c);
    c.on("error", () => up.destroy());
    up.on("error", () => c.destroy());
  });
  return new Promise((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, "::1", () => resolve(s));
  });
}

describe("trustnet registry serve", () => {
  let d: Devnet;
  let dir: string;
  let alice: string;
  let operator: string;
  let rpcPort: number;
  let registryPort: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-serve-e2e-"));
    d = await startDevnet({ portOffset: PORT_OFFSET, blockTime: "300ms" });
    const manifest = JSON.parse(readFileSync(join(d.home, "devnet", "devnet.json"), "utf8")) as { registry: { operator: string; port: number }; nodes: { ports: { rpc: number } }[] };
    operator = manifest.registry.operator;
    registryPort = manifest.registry.port;
    rpcPort = manifest.nodes[0]?.ports.rpc ?? 0;
    assert.ok(rpcPort > 0 && rpcPort < 32768 && registryPort < 32768);
    const env = { TRUSTNET_KEYRING_PASSPHRASE: PASS };
    alice = (JSON.parse((await d.cli(["keys", "add", "alice", "-o", "json", "--node", d.rpc], { env })).stdout) as { address: string }).address;
    await d.cli(["devnet", "faucet", alice, "10TRUST", "--node", d.rpc]);
    await d.cli(["registry", "namespace", "claim", "servens", "--from", "alice", "--node", d.rpc], { env });
    await d.cli(["registry", "authorize", operator, "--namespace", "servens", "--from", "alice", "--node", d.rpc], { env });
  });
  after(async () => {
    await d?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Login token for the registry at `registry` (host:port); `audience` when it serves with another endpoint's operator key. */
  const login = async (registry: string, audience?: string): Promise<string> => {
    const args = ["registry", "login", "--print", "--from", "alice", "--registry", registry, "-o", "json", "--node", d.rpc, ...(audience ? ["--audience", audience] : [])];
    const r = JSON.parse((await d.cli(args, { env: { TRUSTNET_KEYRING_PASSPHRASE: PASS } })).stdout) as { username: string; password: string; audience: string };
    assert.equal(r.audience, audience ?? `http://${registry}`);
    assert.equal(r.username, alice);
    return `Basic ${Buffer.from(`${r.username}:${r.password}`).toString("base64")}`;
  };

  test("serves on [::1] against the devnet: the owner's push is recorded on chain by the operator key; SIGTERM exits 0", async () => {
    const home = join(dir, "home-main");
    const port = await freeLowPort();
    const s = await serve(["--home", home, "--listen", `[::1]:${port}`, "--node", d.rpc, "--operator-key", join(d.home, "devnet", "registry-operator.json")], port);
    let status: number | null;
    try {
      const h = await s.health();
      assert.deepEqual([h.status, h.chain.reachable], ["ok", true]);
      assert.ok(s.logs().some((l) => l.msg === "recording tags on chain" && l["operator"] === operator), s.stdout());
      assert.ok(s.logs().some((l) => l.msg === "registry listening" && l["url"] === `http://[::1]:${port}`), s.stdout());
      assert.match(s.stderr(), new RegExp(`registry serving on http://\\[::1\\]:${port} .*tags recorded by ${operator}`));

      const auth = await login(`[::1]:${port}`, operator);
      const digest = await pushImage(s.url, "servens/app", "1", auth);
      const pulled = await fetch(`${s.url}/v2/servens/app/manifests/1`, { headers: { accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(pulled.status, 200);
      assert.equal(sha256(new Uint8Array(await pulled.arrayBuffer())), digest, "anonymous pull serves the pushed bytes");
      assert.ok((await stat(join(home, "registry", "store"))).isDirectory(), "storage under <home>/registry");

      // The tag record goes to the chain asynchronously; the node's own query shows it, with alice as the pusher.
      let records: { tag: string; digest: string; pusher: string }[] = [];
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        records = (JSON.parse((await d.cli(["registry", "tags", "servens/app", "-o", "json", "--node", d.rpc])).stdout) as { records: typeof records }).records;
        if (records.length > 0) break;
        await sleep(300);
      }
      assert.deepEqual(records.map((r) => [r.tag, r.digest, r.pusher]), [["1", digest, alice]], s.stdout());
      // (the SIGTERM below comes while the submitter may still be confirming the inclusion: a clean stop lets it finish)
      const verify = JSON.parse((await d.cli(["registry", "verify", `[::1]:${port}/servens/app:1`, "-o", "json", "--node", d.rpc])).stdout) as { verified: boolean };
      assert.equal(verify.verified, true);

      // Someone else's namespace: denied, nothing recorded.
      const denied = await fetch(`${s.url}/v2/library2/app/blobs/uploads/`, { method: "POST", headers: { authorization: auth } });
      assert.equal(denied.status, 403);
    } finally {
      status = await s.stop();
    }
    assert.equal(status, 0, `exit status after SIGTERM\n${s.stderr()}\n${s.stdout()}`);
    assert.ok(s.logs().some((l) => l.msg === "tags recorded on chain" && JSON.stringify(l["tags"]) === JSON.stringify(["servens/app:1"])), s.stdout());
    assert.ok(s.logs().some((l) => l.msg === "registry stopped" && l["pendingRecords"] === 0), s.stdout());
    await assert.rejects(fetch(`${s.url}/health`), "nothing listens after the stop");
    // Recorded exactly once: the submitter saw its tx included and did not submit it again.
    const history = JSON.parse((await d.cli(["registry", "tags", "servens/app", "--history", "1", "-o", "json", "--node", d.rpc])).stdout) as { records: { digest: string }[] };
    assert.equal(history.records.length, 1, JSON.stringify(history.records));
  });

  test("--node on a dead IPv6 address: serves, /health says chain unreachable, then sees the node once it answers there", async () => {
    const home = join(dir, "home-dead");
    const port = await freeLowPort();
    const nodePort = await freeLowPort();
    const s = await serve(["--home", home, "--listen", `[::1]:${port}`, "--node", `http://[::1]:${nodePort}`], port);
    let bridge: Server | undefined;
    let status: number | null;
    try {
      const h = await s.health();
      assert.deepEqual([h.status, h.chain.reachable], ["ok", false]);
      assert.ok(s.logs().some((l) => l.level === "warn" && /no operator key: .*NOT recorded on chain/.test(l.msg)), s.stdout());
      assert.match(s.stderr(), /tags NOT recorded: no operator key/);
      const end = Date.now() + 10_000;
      while (!s.logs().some((l) => /chain not reachable; serving anyway/.test(l.msg)) && Date.now() < end) await sleep(100);
      assert.ok(s.logs().some((l) => /chain not reachable; serving anyway/.test(l.msg) && l["node"] === `http://[::1]:${nodePort}`), s.stdout());
      // A push needs the chain for ownership: it fails while the node is away, and nothing is stored.
      const auth = await login(`[::1]:${port}`);
      const early = await fetch(`${s.url}/v2/servens/early/blobs/uploads/`, { method: "POST", headers: { authorization: auth } });
      assert.equal(early.status, 503, `push while the chain is unreachable: ${early.status} (retryable UNAVAILABLE, not DENIED)`);
      assert.equal(((await early.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAVAILABLE");

      // The node comes up at that address (here: the devnet's RPC, relayed to [::1]).
      bridge = await relay(nodePort, rpcPort);
      const until = Date.now() + 30_000;
      while (!(await s.health()).chain.reachable && Date.now() < until) await sleep(200);
      assert.equal((await s.health()).chain.reachable, true);
      const back = Date.now() + 40_000;
      while (!s.logs().some((l) => l.msg === "chain reachable again") && Date.now() < back) await sleep(200);
      assert.ok(s.logs().some((l) => l.msg === "chain reachable again" && l["chainId"] === "trustnet-local-1"), s.stdout());
      // Ownership is now read from the chain over IPv6; without an operator key the tag is served but not recorded.
      const digest = await pushImage(s.url, "servens/norecord", "1", auth);
      const got = await fetch(`${s.url}/v2/servens/norecord/manifests/1`, { method: "HEAD", headers: { accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(got.headers.get("docker-content-digest"), digest);
      await sleep(3000);
      const recs = JSON.parse((await d.cli(["registry", "tags", "servens/norecord", "-o", "json", "--node", d.rpc])).stdout) as { records: unknown[] };
      assert.deepEqual(recs.records, []);
    } finally {
      status = await s.stop();
      await new Promise((r) => (bridge ? bridge.close(r) : r(undefined)));
    }
    assert.equal(status, 0, s.stderr());
  });

  test("bad input: a clear error, a non-zero status, and the home left as it was", async () => {
    const home = join(dir, "home-bad");
    await mkdir(home);
    await writeFile(join(home, "corrupt.json"), "{\"mnemonic\": ", { mode: 0o600 });
    await copyFile(join(d.home, "devnet", "registry-operator.json"), join(home, "open.json"));
    await chmod(join(home, "open.json"), 0o644);
    await writeFile(join(home, "not-a-dir"), "x");
    const before = await snapshotDir(home);
    const port = await freeLowPort();
    const key = join(d.home, "devnet", "registry-operator.json");
    const base = ["--home", home, "--node", d.rpc, "--operator-key", key];
    const cases: [string, string[], number, RegExp][] = [
      ["port in use (the devnet's own registry)", [...base, "--listen", `127.0.0.1:${registryPort}`], 1, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${registryPort}: port ${registryPort} is already in use by pid \\d+ \\(.*registry/src/main\\.ts`)],
      ["corrupt operator key", ["--home", home, "--node", d.rpc, "--operator-key", join(home, "corrupt.json"), "--listen", `[::1]:${port}`], 1, /operator key file .*corrupt\.json is corrupt/],
      ["missing operator key", ["--home", home, "--node", d.rpc, "--operator-key", join(home, "nope.json"), "--listen", `[::1]:${port}`], 1, /cannot read operator key file .*nope\.json: no such file/],
      ["operator key readable by others", ["--home", home, "--node", d.rpc, "--operator-key", join(home, "open.json"), "--listen", `[::1]:${port}`], 1, /readable by its group and other users \(mode 0644\): chmod 600 /],
      ["IPv6 --listen without brackets", [...base, "--listen", `::1:${port}`], 2, /put an IPv6 address in brackets/],
      ["--listen with a bad port", [...base, "--listen", "[::1]:70000"], 2, /port 70000 is out of range/],
      ["--node not a URL", ["--home", home, "--node", "127.0.0.1:26657", "--listen", `[::1]:${port}`], 2, /--node must be .*no scheme \(did you mean http:\/\/127\.0\.0\.1:26657\?\)/],
      ["data dir not writable", [...base, "--listen", `[::1]:${port}`, "--data", join(home, "not-a-dir", "registry")], 1, /data directory .*not-a-dir\/registry is not writable: a component of the path is not a directory/],
      ["--no-foreground", [...base, "--listen", `[::1]:${port}`, "--no-foreground"], 2, /always runs in the foreground/],
    ];
    for (const [name, args, status, re] of cases) {
      const r = refused(args);
      assert.equal(r.status, status, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /, name);
      assert.match(r.stderr, re, name);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
      assert.deepEqual(await snapshotDir(home), before, `${name}: nothing changed`);
    }
  });
});
