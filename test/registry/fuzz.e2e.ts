// Issue 11: 10,000 fuzzed HTTP requests against the real registry process (filesystem storage, on a free loopback
// port): bad names, digests, ranges, chunk orders, content lengths and huge headers, from a seeded PRNG (the seed is
// printed; FUZZ_SEED=<n> replays a run). Then: the process is alive and healthy, no response was a 5xx, and every
// stored blob re-hashes to its name. A second, shorter phase runs against a registry whose chain is unreachable:
// there the only 5xx allowed is 503.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loginToken, testKey, type TestKey } from "../../registry/src/testkit.ts";
import { startRegistryProcess, type RegistryProcess } from "./helpers.ts";
import { spawn } from "node:child_process";
import { REPO, freePort } from "./helpers.ts";

const TOTAL = 10_000;
const PARALLEL = 16;

/** xorshift32: deterministic from the seed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

interface Fuzzer {
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  bytes(n: number): Buffer;
}

function fuzzer(seed: number): Fuzzer {
  const r = prng(seed);
  return {
    int: (n) => Math.floor(r() * n),
    pick: (xs) => xs[Math.floor(r() * xs.length)]!,
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256))),
  };
}

const hex = (b: Buffer, alg = "sha256"): string => `${alg}:${createHash(alg).update(b).digest("hex")}`;

interface Shot {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** One fuzzed request. `uploads` are session locations this run opened (for chunk-order fuzzing). */
function shot(f: Fuzzer, auth: string, uploads: string[], known: Buffer[]): Shot {
  const names = ["acme/app", "acme/a/b/c", "acme/app", "Acme/App", "acme//app", "acme/../etc", "acme/%2e%2e/x", "a".repeat(300), "acme/app\u00e9", "", "acme/-x", "other/app", "app", "acme/app/blobs/uploads"];
  const blob = known.length > 0 && f.int(3) === 0 ? f.pick(known) : f.bytes(f.int(64));
  const digests = [hex(blob), hex(blob, "sha512"), `sha256:${"z".repeat(64)}`, "sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", hex(f.bytes(8)).toUpperCase(), "sha256:", "../../etc/passwd", `sha256:${"0".repeat(64)}`];
  const ranges = ["bytes=0-10", "bytes=5-2", "bytes=-5", "bytes=0-", "bytes=99999999-", "bytes=a-b", "bytes=0-1,3-4", "items=0-1", "bytes=18446744073709551615-"];
  const contentRanges = ["0-9", "5-2", "0-0", "10-19", "-1-5", "0-99999999999", "abc", "0-18446744073709551615"];
  const name = f.pick(names);
  const h: Record<string, string> = {};
  if (f.int(4) !== 0) h["Authorization"] = f.int(10) === 0 ? f.pick(["Basic !!!", "Bearer x.y", "Bearer ", "Digest x", `Basic ${Buffer.from("trust1x:y").toString("base64")}`]) : auth;
  if (f.int(10) === 0) h["X-Huge"] = "x".repeat(f.pick([1024, 20_000, 70_000])); // over node's 16 KiB header limit: 431
  const kind = f.int(10);
  switch (kind) {
    case 0: { // blob GET/HEAD/DELETE with ranges
      if (f.int(2) === 0) h["Range"] = f.pick(ranges);
      return { method: f.pick(["GET", "HEAD", "DELETE", "PUT"]), path: `/v2/${name}/blobs/${f.pick(digests)}`, headers: h };
    }
    case 1: { // monolithic upload, right or wrong digest and length
      const body = blob;
      if (f.int(3) === 0) h["Content-Length"] = String(f.pick([0, body.length + 1, Math.max(0, body.length - 1), 10 * 1000 ** 3]));
      return { method: "POST", path: `/v2/${name}/blobs/uploads/?digest=${encodeURIComponent(f.pick(digests))}`, headers: h, body };
    }
    case 2: // open a session (kept for chunk fuzzing), or a mount
      return { method: "POST", path: `/v2/${name}/blobs/uploads/${f.int(3) === 0 ? `?mount=${encodeURIComponent(f.pick(digests))}${f.int(2) ? "&from=acme/app" : ""}` : ""}`, headers: h };
    case 3:
    case 4: { // chunks in any order to a session, then sometimes a closing PUT
      const loc = uploads.length > 0 ? f.pick(uploads) : `/v2/acme/app/blobs/uploads/${f.int(2) ? randomUUID() : "not-a-uuid"}`;
      const body = f.bytes(f.int(32));
      if (f.int(2) === 0) h["Content-Range"] = f.pick(contentRanges);
      if (f.int(4) === 0) h["Content-Length"] = String(f.pick([0, body.length + 3, 10 * 1000 ** 3]));
      if (f.int(3) === 0) return { method: "PUT", path: `${loc}?digest=${encodeURIComponent(f.pick(digests))}`, headers: h, body };
      return { method: f.pick(["PATCH", "PATCH", "GET", "DELETE"]), path: loc, headers: h, body };
    }
    case 5: { // manifests
      const m = f.int(2) === 0 ? Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: f.pick(digests), size: f.int(100) }, layers: [] })) : f.bytes(f.int(200));
      h["Content-Type"] = f.pick(["application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json", "text/plain", ""]);
      return { method: f.pick(["PUT", "GET", "HEAD", "DELETE"]), path: `/v2/${name}/manifests/${f.pick(["1", "latest", "-bad", "a".repeat(200), f.pick(digests)])}${f.int(5) === 0 ? "?tag=x&tag=-y" : ""}`, headers: h, body: m };
    }
    case 6:
      return { method: "GET", path: `/v2/${name}/tags/list?n=${f.pick(["1", "-1", "x", "99999999999", ""])}&last=${f.pick(["", "a", "%ff"])}`, headers: h };
    case 7:
      return { method: "GET", path: `/v2/${name}/referrers/${f.pick(digests)}?artifactType=${f.pick(["", "a/b", "%00"])}`, headers: h };
    case 8:
      return { method: f.pick(["GET", "POST"]), path: f.pick(["/token", "/token?service=x&scope=repository:acme/app:push", "/v2/_catalog?n=5", "/v2/", "/health"]), headers: h, body: f.int(2) ? Buffer.from("grant_type=password&username=x&password=y") : undefined };
    default:
      return { method: f.pick(["GET", "POST", "OPTIONS", "TRACE", "PROPFIND"]), path: f.pick(["/", "/v2", "/v2/../../etc/passwd", "/v3/", "//v2//", `/v2/${name}/blobs/`, "/%00", `/v2/${"x/".repeat(200)}manifests/1`]), headers: h };
  }
}

function send(agent: Agent, base: URL, s: Shot): Promise<{ status: number; location: string | null }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...s.headers };
    const declared = headers["Content-Length"];
    const req = request({ host: base.hostname, port: base.port, method: s.method, path: s.path, headers, agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === "string" ? res.headers.location : null }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, location: null }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, location: null })); // connection closed by the server (e.g. a lying Content-Length)
    try {
      if (s.body && s.body.length > 0 && (declared === undefined || Number(declared) >= s.body.length)) req.write(s.body.subarray(0, declared === undefined ? undefined : Number(declared)));
      req.end();
    } catch {
      resolve({ status: 0, location: null });
    }
  });
}

/** Every file under <data>/store/blobs/<alg>/<xx>/<hex>/data re-hashes to <alg>:<hex>. */
async function checkBlobs(dataDir: string): Promise<number> {
  let n = 0;
  for (const alg of ["sha256", "sha512"]) {
    const root = join(dataDir, "store", "blobs", alg);
    let entries: string[];
    try {
      entries = await readdir(root, { recursive: true });
    } catch {
      continue;
    }
    for (const e of entries.filter((p) => p.endsWith("/data"))) {
      const hexName = e.split("/").at(-2)!;
      const actual = createHash(alg).update(await readFile(join(root, e))).digest("hex");
      assert.equal(actual, hexName, `corrupt blob ${alg}:${hexName}`);
      n++;
    }
  }
  return n;
}

async function fuzz(reg: { url: string }, seed: number, total: number, auth: string): Promise<{ statuses: Map<number, number>; fiveXX: string[] }> {
  const f = fuzzer(seed);
  const base = new URL(reg.url);
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });
  const uploads: string[] = [];
  const known: Buffer[] = [];
  const statuses = new Map<number, number>();
  const fiveXX: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const s = shot(f, auth, uploads, known);
      if (s.method === "POST" && s.body && s.path.includes("?digest=")) known.push(s.body);
      const r = await send(agent, base, s);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status >= 500) fiveXX.push(`${r.status} ${s.method} ${s.path.slice(0, 120)} ${JSON.stringify(Object.keys(s.headers))}`);
      if (r.status === 202 && r.location?.includes("/blobs/uploads/")) uploads.push(r.location);
      if (uploads.length > 200) uploads.shift();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  agent.destroy();
  return { statuses, fiveXX };
}

describe("fuzzed HTTP requests", () => {
  let dir: string;
  let reg: RegistryProcess;
  let owner: TestKey;
  const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 1_000_000);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-fuzz-e2e-"));
    owner = await testKey(61);
    // The fuzzer is one client sending thousands of requests a second: the per-IP rate limit is lifted for it.
    reg = await startRegistryProcess({ dataDir: join(dir, "data"), owners: { acme: owner.address }, config: { rateLimitPerSecond: 0, maxBlobBytes: 1024 * 1024 } });
  });
  after(async () => {
    await reg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test(`10,000 requests (seed printed): no crash, no 5xx, every stored blob re-hashes to its name`, { timeout: 600_000 }, async () => {
    console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
    const auth = `Basic ${Buffer.from(`${owner.address}:${loginToken(owner, { audience: reg.url, ttlSeconds: 3600 })}`).toString("base64")}`;
    const { statuses, fiveXX } = await fuzz(reg, seed, TOTAL, auth);
    console.log(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), TOTAL);
    assert.deepEqual(fiveXX.slice(0, 20), [], `${fiveXX.length} responses were 5xx`);
    assert.equal(reg.child.exitCode, null, "the registry process is still running");
    assert.equal((await fetch(`${reg.url}/health`)).status, 200);
    assert.ok((statuses.get(201) ?? 0) > 0, "some uploads succeeded (the fuzzer reached the write paths)");
    const blobs = await checkBlobs(join(dir, "data"));
    assert.ok(blobs > 0, "blobs were stored and re-hashed");
  });
});

describe("fuzzed requests while the chain is unreachable", () => {
  let dir: string;
  let child: ReturnType<typeof spawn> | undefined;
  let url = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-fuzz-chain-"));
    const port = await freePort();
    const deadRpc = `http://127.0.0.1:${await freePort()}`;
    child = spawn(process.execPath, [join(REPO, "registry/src/main.ts"), "--data", join(dir, "data"), "--listen", `127.0.0.1:${port}`, "--chain-rpc", deadRpc, "--config", join(REPO, "config/registry.json")], { stdio: "ignore" });
    url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/health`)).ok) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => {
    child?.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  });

  test("1,000 requests: the only 5xx is 503 (namespace rights cannot be checked)", { timeout: 300_000 }, async () => {
    const k = await testKey(62);
    const auth = `Basic ${Buffer.from(`${k.address}:${loginToken(k, { audience: url, ttlSeconds: 3600 })}`).toString("base64")}`;
    const { statuses, fiveXX } = await fuzz({ url }, 4242, 1000, auth);
    assert.deepEqual(fiveXX.filter((l) => !l.startsWith("503 ")).slice(0, 20), []);
    assert.ok((statuses.get(503) ?? 0) > 0, "pushes met the unreachable chain");
    assert.equal(child?.exitCode, null);
  });
});
