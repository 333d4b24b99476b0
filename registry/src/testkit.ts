// Test helpers shared by the registry's unit and end-to-end tests (not used by the server).
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secp256k1 } from "@cosmjs/crypto";
import { pino } from "pino";
import { defaultConfig, mergeConfig, type RegistryConfig } from "./config.ts";
import { createRegistry, type Registry } from "./server.ts";
import { InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";
import { addressOf, createLoginToken } from "./auth/login-token.ts";
import { MemoryTagRecorder } from "./hooks.ts";

export interface TestKey {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
}

export async function testKey(seed: number): Promise<TestKey> {
  const privkey = new Uint8Array(32).fill(seed);
  const kp = await Secp256k1.makeKeypair(privkey);
  const pubkey = Secp256k1.compressPubkey(kp.pubkey);
  return { privkey, pubkey, address: addressOf(pubkey) };
}

export function loginToken(k: TestKey, opts: { audience?: string; ttlSeconds?: number; now?: Date } = {}): string {
  return createLoginToken({ privkey: k.privkey, pubkey: k.pubkey, audience: opts.audience ?? "trustnet-registry", ttlSeconds: opts.ttlSeconds ?? 600, now: opts.now ?? new Date() });
}

export function basicAuth(k: TestKey, token = loginToken(k)): string {
  return `Basic ${Buffer.from(`${k.address}:${token}`).toString("base64")}`;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export interface TestRegistry {
  readonly reg: Registry;
  readonly url: string;
  readonly owners: InMemoryNamespaceOwners;
  readonly recorder: MemoryTagRecorder;
  readonly owner: TestKey;
  readonly stranger: TestKey;
  /** Authorization header of `owner` (owns namespace "acme"). */
  readonly auth: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function startTestRegistry(overrides: Partial<RegistryConfig> = {}, now?: () => Date): Promise<TestRegistry> {
  const owner = await testKey(11);
  const stranger = await testKey(22);
  const owners = new InMemoryNamespaceOwners({ acme: owner.address, other: stranger.address });
  const recorder = new MemoryTagRecorder();
  const dataDir = await mkdtemp(join(tmpdir(), "tn-registry-"));
  // A fixed identity, so that loginToken()'s default audience works; tests of the derived audience override it.
  // Unit tests fire thousands of requests from 127.0.0.1: the per-IP rate limits are off unless a test sets them.
  const config = mergeConfig(defaultConfig(), { dataDir, storage: "inmemory", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0, revokeRateLimitPerMinute: 0, ...overrides });
  const reg = await createRegistry(config, { owners, tagRecorder: recorder, logger: pino({ level: "silent" }), ...(now ? { now } : {}) });
  return {
    reg, url: reg.url, owners, recorder, owner, stranger, auth: basicAuth(owner), dataDir,
    close: async (): Promise<void> => {
      await reg.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Monolithic blob push (POST ?digest=). */
export async function pushBlob(url: string, name: string, bytes: Uint8Array, auth: string): Promise<string> {
  const digest = sha256(bytes);
  const r = await fetch(`${url}/v2/${name}/blobs/uploads/?digest=${digest}`, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/octet-stream" }, body: bytes });
  if (r.status !== 201) throw new Error(`blob push ${r.status}: ${await r.text()}`);
  return digest;
}

export interface PushedImage {
  readonly manifest: Buffer;
  readonly digest: string;
  readonly config: string;
  readonly layers: readonly string[];
}

/** Pushes config + layers + an OCI manifest under `ref`. */
export async function pushImage(url: string, name: string, ref: string, auth: string, layers: readonly Uint8Array[], extra: Record<string, unknown> = {}): Promise<PushedImage> {
  const cfgBytes = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, n: Math.random() }));
  const config = await pushBlob(url, name, cfgBytes, auth);
  const layerDigests: string[] = [];
  for (const l of layers) layerDigests.push(await pushBlob(url, name, l, auth));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: cfgBytes.length },
    layers: layers.map((l, i) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layerDigests[i], size: l.length })),
    ...extra,
  }));
  const r = await fetch(`${url}/v2/${name}/manifests/${ref}`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
  if (r.status !== 201) throw new Error(`manifest push ${r.status}: ${await r.text()}`);
  return { manifest, digest: sha256(manifest), config, layers: layerDigests };
}

/** Every path under dir with its size and mode: equal snapshots = nothing written, created or removed. */
export async function snapshotDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true })) {
    const st = await stat(join(dir, e));
    out.push(`${e} ${st.isDirectory() ? "d" : st.size} ${(st.mode & 0o777).toString(8)}`);
  }
  return out.sort();
}
