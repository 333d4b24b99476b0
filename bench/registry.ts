// `npm run bench -- registry [--layers 10] [--layer-mb 100] [--small 100] [--rounds 2] [--docker-mb 200] [--no-docker] [--no-fsync]`
// Side by side in one run: the TrustNet registry process vs Debian's `docker-registry` (CNCF distribution 2.8),
// each on its own free loopback port with filesystem storage in a temp dir:
//   - skopeo push and pull of a 10-layer image (1 GB by default);
//   - docker push and pull (when dockerd can be started: root + Debian docker.io), of a smaller image, same rounds;
//   - 100 parallel pushes of small images over HTTP.
// Prints MB/s (or images/s) for each and the ratio TrustNet / distribution (≥ 1.0 means TrustNet is as fast),
// then the CPU time each registry process spent on each row (from /proc; steadier than wall time on a busy machine).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { loginToken, testKey, type TestKey } from "../registry/src/testkit.ts";
import { freePort, sha256, skopeo, startDockerd, startRegistryProcess, writeOciLayout, writeRandomTar } from "../test/registry/helpers.ts";

interface Target {
  readonly name: string;
  readonly address: string;
  readonly url: string;
  /** skopeo --dest-creds value, or undefined for none. */
  readonly creds: string | undefined;
  /** Authorization header for raw HTTP pushes. */
  readonly auth: Record<string, string>;
  /** The registry process, for its CPU time. */
  readonly pid: number | undefined;
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system, all threads) used so far by process `pid`, in seconds; NaN where /proc is missing. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

async function startDistribution(dir: string): Promise<{ target: Target; child: ChildProcess }> {
  if (!existsSync("/usr/bin/docker-registry")) throw new Error("Debian's docker-registry is needed: apt-get install docker-registry");
  const port = await freePort();
  const root = join(dir, "distribution");
  await mkdir(root, { recursive: true });
  const cfg = join(dir, "distribution.yml");
  await writeFile(cfg, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const log = openSync(join(dir, "distribution.log"), "a");
  const child = spawn("/usr/bin/docker-registry", ["serve", cfg], { stdio: ["ignore", log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/v2/`)).ok) break;
    } catch {
      /* starting */
    }
    await sleep(100);
  }
  return { target: { name: "distribution", address: `127.0.0.1:${port}`, url, creds: undefined, auth: {}, pid: child.pid }, child };
}

function mbps(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}

function must(r: { status: number; stdout: string; stderr: string }, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`);
}

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Unlinks the config and layers of `repo:tag` from that repository (docker's manifest, read over HTTP). */
async function unlinkImageBlobs(t: Target, repo: string, tag: string): Promise<void> {
  const accept = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";
  const r = await fetch(`${t.url}/v2/${repo}/manifests/${tag}`, { headers: { ...t.auth, Accept: accept } });
  if (!r.ok) throw new Error(`${t.name}: manifest GET ${r.status}`);
  const m = (await r.json()) as { config: { digest: string }; layers: { digest: string }[] };
  for (const digest of [m.config.digest, ...m.layers.map((l) => l.digest)]) {
    const del = await fetch(`${t.url}/v2/${repo}/blobs/${digest}`, { method: "DELETE", headers: t.auth });
    if (del.status !== 202) throw new Error(`${t.name}: blob DELETE ${del.status}`);
  }
}

async function smallPushes(t: Target, n: number, run: string): Promise<number> {
  const push = async (i: number): Promise<void> => {
    const repo = `bench/small${i % 10}`;
    const blobs = [Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, i, run })), randomBytes(2048)];
    for (const b of blobs) {
      const r = await fetch(`${t.url}/v2/${repo}/blobs/uploads/?digest=${sha256(b)}`, { method: "POST", headers: { ...t.auth, "Content-Type": "application/octet-stream" }, body: b });
      if (r.status === 202) {
        const loc = new URL(r.headers.get("location") ?? "", t.url);
        loc.searchParams.set("digest", sha256(b));
        const p = await fetch(loc, { method: "PUT", headers: { ...t.auth, "Content-Type": "application/octet-stream" }, body: b });
        if (p.status !== 201) throw new Error(`${t.name}: blob PUT ${p.status}`);
      } else if (r.status !== 201) throw new Error(`${t.name}: blob POST ${r.status}`);
    }
    const [cfg, layer] = blobs as [Buffer, Buffer];
    const m = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(cfg), size: cfg.length }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha256(layer), size: layer.length }] });
    const r = await fetch(`${t.url}/v2/${repo}/manifests/${run}-${i}`, { method: "PUT", headers: { ...t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: m });
    if (r.status !== 201) throw new Error(`${t.name}: manifest PUT ${r.status}`);
  };
  const ms = await timed(async () => {
    await Promise.all(Array.from({ length: n }, (_, i) => push(i)));
  });
  return n / (ms / 1000);
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      layers: { type: "string", default: "10" },
      "layer-mb": { type: "string", default: "100" },
      small: { type: "string", default: "100" },
      rounds: { type: "string", default: "2" },
      "docker-mb": { type: "string", default: "200" },
      "no-docker": { type: "boolean", default: false },
      // Both fsync by default (distribution syncs every file it writes: strace counts 88 fsyncs for a 5-blob push).
      // This runs TrustNet without (config `fsync`), for comparison only.
      "no-fsync": { type: "boolean", default: false },
    },
  });
  const layers = Number(values.layers);
  const layerMb = Number(values["layer-mb"]);
  const dir = await mkdtemp(join(tmpdir(), "bench-registry-"));
  const key: TestKey = await testKey(91);
  const children: { stop(): Promise<void> }[] = [];
  try {
    process.stderr.write(`building a ${layers}×${layerMb} MB OCI layout…\n`);
    const layerBufs: Buffer[] = [];
    for (let i = 0; i < layers; i++) layerBufs.push(randomBytes(layerMb << 20));
    // stored (level 0) gzip: valid compressed layers that skopeo copies as they are, without CPU-bound recompression
    const src = await writeOciLayout(join(dir, "src"), "v1", [{ architecture: "amd64", layers: layerBufs }], 0);
    const totalBytes = layerBufs.reduce((n, b) => n + b.length, 0);
    const manifest = JSON.parse(await readFile(join(src.dir, "blobs", "sha256", src.digest.slice(7)), "utf8")) as { config: { digest: string }; layers: { digest: string }[] };
    const blobDigests = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
    layerBufs.length = 0;

    // No per-IP rate limit: distribution has none, and the small-push rows send thousands of requests.
    const ours = await startRegistryProcess({ dataDir: join(dir, "trustnet"), owners: { bench: key.address }, config: { fsync: !values["no-fsync"], rateLimitPerSecond: 0 } });
    children.push(ours);
    const token = loginToken(key, { ttlSeconds: 3600, audience: ours.url });
    const trustnet: Target = { name: "trustnet", address: ours.address, url: ours.url, creds: `${key.address}:${token}`, auth: { Authorization: `Basic ${Buffer.from(`${key.address}:${token}`).toString("base64")}` }, pid: ours.child.pid };
    const dist = await startDistribution(dir);
    children.push({ stop: async () => { dist.child.kill("SIGTERM"); await sleep(200); } });
    const targets = [dist.target, trustnet];
    const rows = new Map<string, Map<string, number>>();
    const put = (row: string, t: Target, v: number): void => {
      const r = rows.get(row) ?? new Map<string, number>();
      r.set(t.name, v);
      rows.set(row, r);
    };

    const cache = join(dir, "skopeo");
    await mkdir(cache);
    // Rounds alternate the order of the two registries; each row keeps its best round (the machine is shared).
    const best = (row: string, t: Target, v: number): void => put(row, t, Math.max(v, rows.get(row)?.get(t.name) ?? 0));
    // Server CPU seconds of every run of a row, per registry.
    const cpu = new Map<string, Map<string, number[]>>();
    /** Runs `fn`, records the CPU time `t`'s process spent meanwhile under `row`, returns the wall time (ms). */
    const measured = async (row: string, t: Target, fn: () => Promise<void> | void): Promise<number> => {
      const c0 = cpuSeconds(t.pid);
      const ms = await timed(fn);
      const r = cpu.get(row) ?? new Map<string, number[]>();
      r.set(t.name, [...(r.get(t.name) ?? []), cpuSeconds(t.pid) - c0]);
      cpu.set(row, r);
      return ms;
    };
    const rounds = Number(values.rounds);
    for (let round = 0; round < rounds; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        process.stderr.write(`skopeo push/pull, round ${round + 1}/${rounds}: ${t.name}\n`);
        const dest = `docker://${t.address}/bench/big${round}:v1`;
        const pushRow = `skopeo push ${(totalBytes / 2 ** 20).toFixed(0)} MB (MB/s)`;
        const pushMs = await measured(pushRow, t, () => must(skopeo(["copy", "--dest-tls-verify=false", ...(t.creds ? ["--dest-creds", t.creds] : []), `oci:${src.dir}:v1`, dest], cache), "skopeo push"));
        best(pushRow, t, mbps(totalBytes, pushMs));
        const pullRow = `skopeo pull ${(totalBytes / 2 ** 20).toFixed(0)} MB (MB/s)`;
        const pullMs = await measured(pullRow, t, () => must(skopeo(["copy", "--src-tls-verify=false", dest, `oci:${join(dir, `pull-${t.name}`)}:v1`], cache), "skopeo pull"));
        best(pullRow, t, mbps(totalBytes, pullMs));
        await rm(join(dir, `pull-${t.name}`), { recursive: true, force: true });
        // Unlink the blobs from that repository, so skopeo's blob-info cache cannot turn the next round into mounts.
        for (const d of blobDigests) {
          const r = await fetch(`${t.url}/v2/bench/big${round}/blobs/${d}`, { method: "DELETE", headers: t.auth });
          if (r.status !== 202) throw new Error(`${t.name}: blob DELETE ${r.status}`);
        }
      }
    }

    const dockerOk = !values["no-docker"] && process.getuid?.() === 0 && spawnSync("dockerd", ["--version"]).status === 0;
    if (dockerOk) {
      const dockerMb = Number(values["docker-mb"]);
      const d = await startDockerd(join(dir, "docker"));
      children.push(d);
      await writeRandomTar(join(dir, "docker.tar"), "data.bin", dockerMb << 20);
      must(d.docker(["import", join(dir, "docker.tar"), "bench-src:1"]), "docker import");
      for (const t of targets) {
        if (!t.creds) continue;
        const [u, p] = t.creds.split(":") as [string, string];
        must(d.docker(["login", "-u", u, "--password-stdin", t.address], p), "docker login");
      }
      // Same rounds as above: alternating order, best round kept, a new repository per round.
      for (let round = 0; round < rounds; round++) {
        for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
          process.stderr.write(`docker push/pull, round ${round + 1}/${rounds}: ${t.name}\n`);
          const repo = `bench/docker${round}`;
          const ref = `${t.address}/${repo}:1`;
          must(d.docker(["tag", "bench-src:1", ref]), "docker tag");
          const pushRow = `docker push ${dockerMb} MB (MB/s)`;
          const pushMs = await measured(pushRow, t, () => must(d.docker(["push", ref]), "docker push"));
          best(pushRow, t, mbps(dockerMb << 20, pushMs));
          // Remove every local copy of the layer, so the pull really downloads it.
          must(d.docker(["rmi", ref, "bench-src:1"]), "docker rmi");
          const pullRow = `docker pull ${dockerMb} MB (MB/s)`;
          const pullMs = await measured(pullRow, t, () => must(d.docker(["pull", ref]), "docker pull"));
          best(pullRow, t, mbps(dockerMb << 20, pullMs));
          must(d.docker(["tag", ref, "bench-src:1"]), "docker tag");
          must(d.docker(["rmi", ref]), "docker rmi");
          // docker remembers where it pushed the layer and would mount it next round instead of uploading it.
          await unlinkImageBlobs(t, repo, "1");
        }
      }
    } else {
      process.stderr.write("docker rows skipped: needs root and Debian docker.io (or --no-docker was given)\n");
    }

    const n = Number(values.small);
    for (const t of targets) {
      process.stderr.write(`${n} parallel small pushes: ${t.name}\n`);
      await smallPushes(t, 10, "warm");
      const row = `${n} parallel small pushes (images/s)`;
      let rate = 0;
      await measured(row, t, async () => {
        rate = await smallPushes(t, n, "run");
      });
      put(row, t, rate);
    }

    const table = (header: readonly string[], lines: readonly string[][]): void => {
      const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
      const fmt = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
      console.log(`\n${fmt(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
      for (const l of lines) console.log(fmt(l));
    };
    table(["row (higher is better)", "distribution 2.8", "trustnet", "ratio"], [...rows].map(([row, r]) => {
      const a = r.get("distribution") ?? 0;
      const b = r.get("trustnet") ?? 0;
      return [row, a.toFixed(1), b.toFixed(1), `${(b / a).toFixed(2)}×`];
    }));
    console.log(`\nratio = trustnet / distribution; the goal is ≥ 1.0× on every row. TrustNet fsync: ${values["no-fsync"] ? "off" : "on"} (distribution: on)`);
    const mean = (v: readonly number[] | undefined): number => (v && v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
    table(["server CPU seconds per run (lower is better)", "distribution 2.8", "trustnet", "trustnet / distribution"], [...cpu].map(([row, r]) => {
      const a = mean(r.get("distribution"));
      const b = mean(r.get("trustnet"));
      return [row.replace(/ \((MB|images)\/s\)$/, ""), a.toFixed(2), b.toFixed(2), `${(b / a).toFixed(2)}×`];
    }));
    console.log("\nCPU = user + system time of each registry process while the row ran (mean of the rounds).");
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
