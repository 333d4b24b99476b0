// Helpers for the registry end-to-end tests: the real registry process, a private dockerd, OCI layouts, tar files.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, createWriteStream, existsSync, openSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";

export const REPO = new URL("../../", import.meta.url).pathname;
export const OUTPUT_DIR = join(REPO, ".test-output", "registry");
const PREREQS = "Run `sh scripts/prereqs.sh` as root (it installs Debian's docker.io and skopeo), or use `npm test`.";

import { freePort } from "../helpers/cometbft.ts";

export { freePort };

/** Throws with install instructions unless `cmd` runs. */
export function requireTool(cmd: string, args: readonly string[] = ["--version"]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`${cmd} is required for this test but is not runnable (${r.error?.message ?? r.stderr.trim()}). ${PREREQS}`);
}

export interface RegistryProcess {
  readonly url: string;
  readonly address: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node registry/src/main.ts` on a free port and waits for GET /health. */
export async function startRegistryProcess(opts: { dataDir: string; owners: Record<string, string>; config?: Record<string, unknown>; port?: number }): Promise<RegistryProcess> {
  const port = opts.port ?? (await freePort());
  await mkdir(opts.dataDir, { recursive: true });
  const ownersFile = join(opts.dataDir, "..", `owners-${port}.json`);
  await writeFile(ownersFile, JSON.stringify(opts.owners));
  const args = [join(REPO, "registry/src/main.ts"), "--data", opts.dataDir, "--listen", `127.0.0.1:${port}`, "--owners", ownersFile];
  if (opts.config) {
    const cfg = join(opts.dataDir, "..", `config-${port}.json`);
    await writeFile(cfg, JSON.stringify(opts.config));
    args.push("--config", cfg);
  }
  const logFile = join(opts.dataDir, "..", `registry-${port}.log`);
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`registry exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`registry did not come up; see ${logFile}`);
    await sleep(100);
  }
  return {
    url, address: `127.0.0.1:${port}`, child, logFile,
    stop: async (signal: NodeJS.Signals = "SIGTERM"): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    },
  };
}

export interface Dockerd {
  readonly host: string;
  /** Runs the docker CLI against this daemon with a private DOCKER_CONFIG. */
  docker(args: readonly string[], input?: string): { status: number; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** Starts a private dockerd (own data/exec roots, pidfile, unix socket; no iptables, no bridge). Needs root. */
export async function startDockerd(dir: string): Promise<Dockerd> {
  requireTool("dockerd", ["--version"]);
  if (process.getuid?.() !== 0) throw new Error("dockerd needs root; run the end-to-end tests as root (CI does).");
  const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
  await mkdir(dir, { recursive: true });
  const sock = join(dir, "docker.sock");
  // A file descriptor, not a pipe: dockerd's containerd inherits it and outlives dockerd by seconds.
  const logFd = openSync(join(dir, "dockerd.log"), "a");
  const child = spawn("dockerd", [
    "--data-root", join(dir, "data"), "--exec-root", join(dir, "exec"), "--pidfile", join(dir, "dockerd.pid"),
    "-H", `unix://${sock}`, "--iptables=false", "--ip6tables=false", "--bridge=none",
  ], { stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const host = `unix://${sock}`;
  const env = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(dir, "client-config") };
  const run = (args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } => {
    const r = spawnSync(docker, args, { env, encoding: "utf8", input, maxBuffer: 64 << 20 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
  const deadline = Date.now() + 60_000;
  while (run(["version", "--format", "{{.Server.Version}}"]).status !== 0) {
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}; see ${join(dir, "dockerd.log")}`);
    if (Date.now() > deadline) throw new Error(`dockerd did not start; see ${join(dir, "dockerd.log")}`);
    await sleep(250);
  }
  return {
    host,
    docker: run,
    stop: async (): Promise<void> => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const giveUp = new AbortController();
      await Promise.race([exited, sleep(20_000, undefined, { signal: giveUp.signal }).catch(() => undefined)]);
      giveUp.abort();
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** A ustar header for one regular file. */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** An in-memory tar with the given files. */
export function tarOf(files: Readonly<Record<string, Buffer>>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    parts.push(tarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Writes a tar holding one file of `size` random bytes to `path`, streaming. */
export async function writeRandomTar(path: string, fileName: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (b: Buffer): Promise<void> => new Promise((resolve, reject) => out.write(b, (e) => (e ? reject(e) : resolve())));
  await write(tarHeader(fileName, size));
  for (let left = size; left > 0; left -= 1 << 20) await write(randomBytes(Math.min(left, 1 << 20)));
  await write(Buffer.alloc((512 - (size % 512)) % 512 + 1024));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

export function sha256(b: Uint8Array): string {
  return `sha256:${createHash("sha256").update(b).digest("hex")}`;
}

export interface OciPlatformImage {
  readonly architecture: string;
  readonly layers: readonly Buffer[];
}

export interface OciLayout {
  readonly dir: string;
  readonly tag: string;
  /** Digest of the top-level manifest (index when there are several platforms). */
  readonly digest: string;
  readonly manifests: readonly string[];
}

/** Writes an OCI image layout; with more than one platform the tag points to an image index. */
export async function writeOciLayout(dir: string, tag: string, platforms: readonly OciPlatformImage[], gzipLevel = 1): Promise<OciLayout> {
  const blobs = join(dir, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const put = async (b: Buffer): Promise<string> => {
    const d = sha256(b);
    await writeFile(join(blobs, d.slice(7)), b);
    return d;
  };
  const manifests: { digest: string; size: number; architecture: string }[] = [];
  for (const p of platforms) {
    const layerDescs = [];
    const diffIds: string[] = [];
    for (const l of p.layers) {
      // gzip-compressed, as registries carry them (skopeo would otherwise compress and change the digests)
      const gz = gzipSync(l, { level: gzipLevel });
      layerDescs.push({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: await put(gz), size: gz.length });
      diffIds.push(sha256(l));
    }
    const config = Buffer.from(JSON.stringify({ architecture: p.architecture, os: "linux", config: {}, rootfs: { type: "layers", diff_ids: diffIds } }));
    const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: await put(config), size: config.length }, layers: layerDescs }));
    manifests.push({ digest: await put(m), size: m.length, architecture: p.architecture });
  }
  let top: { mediaType: string; digest: string; size: number };
  if (manifests.length === 1) {
    const only = manifests[0] as { digest: string; size: number };
    top = { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: only.digest, size: only.size };
  } else {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: manifests.map((m) => ({ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: m.digest, size: m.size, platform: { architecture: m.architecture, os: "linux" } })) }));
    top = { mediaType: "application/vnd.oci.image.index.v1+json", digest: await put(index), size: index.length };
  }
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: { "org.opencontainers.image.ref.name": tag } }] }));
  return { dir, tag, digest: top.digest, manifests: manifests.map((m) => m.digest) };
}

/** Runs skopeo with a private blob-info cache (so earlier runs never turn into mount attempts). */
export function skopeo(args: readonly string[], cacheDir: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("skopeo", ["--tmpdir", cacheDir, ...args], {
    encoding: "utf8",
    env: { ...process.env, XDG_RUNTIME_DIR: cacheDir, HOME: cacheDir },
    maxBuffer: 64 << 20,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
