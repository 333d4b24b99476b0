import { access, chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { downloadFile, fetchText, type TransferOptions } from "./download.ts";
import { ChecksumError, UnreachableError, VersionMismatchError } from "./errors.ts";
import { goInstallCometbft } from "./go-fallback.ts";
import {
  cometbftAssetName,
  cometbftReleaseUrl,
  cometbftSumsName,
  DEFAULT_COMETBFT_BASE_URL,
  detectPlatform,
  type Platform,
  toPlatform,
} from "./platform.ts";
import type { ProgressSink } from "./progress.ts";
import { checksFor } from "./pins.ts";
import { runCommand, type Runner } from "./run-command.ts";
import { parseSha256Sums } from "./sha256sums.ts";
import { extractFromTarGz } from "./tar.ts";
import { COMETBFT_VERSION } from "./versions.ts";

export interface EnsureCometbftOptions {
  /** TrustNet home; the binary goes to `<home>/bin/cometbft`. */
  readonly home: string;
  /** Defaults to the pin in versions.ts. */
  readonly version?: string;
  /** Release mirror with GitHub's layout (`<base>/v<ver>/<asset>`); default $TRUSTNET_COMETBFT_MIRROR, else GitHub. */
  readonly baseUrl?: string;
  /** Allow `go install …@v<pin>` when the release is unreachable (default true). */
  readonly goFallback?: boolean;
  readonly log?: (line: string) => void;
  readonly platform?: Platform;
  /** Injected in tests: runs `cometbft version` and `go`. */
  readonly run?: Runner;
  /** Retries, backoff and timeouts of the downloads (defaults of installer/src/download.ts). */
  readonly transfer?: TransferOptions;
  /** Environment for TRUSTNET_PINS_FILE / TRUSTNET_REQUIRE_PINS (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the progress bar goes (default stderr; `undefined` in `progress` silences it). */
  readonly progress?: ProgressSink | undefined;
  /** Install here instead of `<home>/bin/cometbft` (e.g. a VM guest's binary in the cache). */
  readonly binPath?: string;
}

export interface EnsureCometbftResult {
  readonly path: string;
  readonly version: string;
  readonly source: "cached" | "tarball" | "go";
}

/** True when binaries for `p` cannot run on this machine (another OS or CPU architecture). */
export function isForeign(p: Platform): boolean {
  let host: Platform;
  try {
    host = toPlatform(process.platform, process.arch);
  } catch {
    return true;
  }
  return host.os !== p.os || host.arch !== p.arch;
}

/** What `<bin> version` prints (first line), or undefined when it does not run. */
export async function reportedVersion(bin: string, run: Runner = runCommand): Promise<string | undefined> {
  try {
    await access(bin);
  } catch {
    return undefined;
  }
  const r = await run(bin, ["version"], { timeoutMs: 20_000 });
  return r.code === 0 ? (r.stdout.trim().split("\n")[0] ?? "").trim() : undefined;
}

/** `0.38.25` matches `0.38.25` and `0.38.25+<commit>`. */
export function versionMatches(reported: string | undefined, pin: string): boolean {
  return reported === pin || (reported?.startsWith(`${pin}+`) ?? false);
}

/** A CometBFT release tarball is ~20 MB: a mirror that sends more than this is stopped there (and refused). */
export const COMETBFT_TARBALL_MAX_BYTES = 128 * 1024 * 1024;

async function fromRelease(o: {
  readonly stage: string;
  readonly version: string;
  readonly baseUrl: string;
  readonly platform: Platform;
  readonly transfer: TransferOptions;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly progress: ProgressSink | undefined;
  readonly log: (line: string) => void;
}): Promise<string> {
  const asset = cometbftAssetName(o.version, o.platform);
  const sumsName = cometbftSumsName(o.version);
  const dir = cometbftReleaseUrl(o.baseUrl, o.version);
  o.log(`    release ${dir}/${asset}`);
  const transfer = { log: o.log, ...o.transfer };
  const sums = parseSha256Sums(await fetchText(`${dir}/${sumsName}`, transfer));
  const want = sums.get(asset);
  if (want === undefined) {
    throw new ChecksumError(asset, `${sumsName} has no entry for ${asset}; refusing to install it`, "the mirror serves an incomplete or foreign checksum file");
  }
  const checks = checksFor(asset, { algorithm: "sha256", hex: want, source: `${sumsName} from ${dir}` }, { log: o.log, ...(o.env === undefined ? {} : { env: o.env }) });
  const tgz = join(o.stage, asset);
  await downloadFile(`${dir}/${asset}`, tgz, { ...transfer, maxBytes: COMETBFT_TARBALL_MAX_BYTES, expected: checks, progress: o.progress });
  const binPath = join(o.stage, "cometbft");
  await writeFile(binPath, extractFromTarGz(await readFile(tgz), "cometbft", asset), { mode: 0o755 });
  await rm(tgz, { force: true });
  return binPath;
}

/**
 * Makes `<home>/bin/cometbft` the pinned CometBFT: a no-op when it already reports the pin; otherwise the release
 * tarball (fetched by download.ts) verified against its pin in versions.ts (when there is one; a warning otherwise)
 * and SHA256SUMS, or `go install` when the release is unreachable (never after a checksum or content error). The
 * new binary is staged in `<home>/bin/.cometbft-install-*`, checked with `cometbft version` and renamed into place;
 * on any failure nothing is installed and the staging directory is removed.
 */
export async function ensureCometbft(opts: EnsureCometbftOptions): Promise<EnsureCometbftResult> {
  const version = opts.version ?? COMETBFT_VERSION;
  const run = opts.run ?? runCommand;
  const log = opts.log ?? ((l: string): void => void process.stderr.write(`${l}\n`));
  const target = opts.binPath ?? join(opts.home, "bin", "cometbft");
  const binDir = dirname(target);
  const platform = opts.platform ?? detectPlatform();
  // A binary for another platform (a VM guest's) cannot run here: trust the release checksum (or the Go build) and
  // remember the version in a stamp file beside it instead of asking `cometbft version`.
  const foreign = isForeign(platform);
  const stamp = `${target}.version`;
  const installed = foreign ? await readFile(stamp, "utf8").then((t) => t.trim(), () => undefined) : await reportedVersion(target, run);
  if (versionMatches(installed, version) && (!foreign || (await access(target).then(() => true, () => false)))) {
    log(`    cometbft ${version} already installed at ${target}`);
    return { path: target, version, source: "cached" };
  }
  const baseUrl = opts.baseUrl ?? process.env.TRUSTNET_COMETBFT_MIRROR ?? DEFAULT_COMETBFT_BASE_URL;
  await mkdir(binDir, { recursive: true });
  const stage = await mkdtemp(join(binDir, ".cometbft-install-"));
  try {
    let source: "tarball" | "go" = "tarball";
    let staged: string;
    try {
      staged = await fromRelease({
        stage, version, baseUrl, platform, log,
        transfer: opts.transfer ?? {},
        env: opts.env,
        progress: "progress" in opts ? opts.progress : process.stderr,
      });
    } catch (err) {
      if (!(err instanceof UnreachableError) || opts.goFallback === false) throw err;
      log(`    ${err.message}; falling back to go install`);
      await goInstallCometbft({ version, gobin: stage, run, log, cross: foreign ? platform : undefined, cacheDir: join(opts.home, "cache", "go") });
      staged = join(stage, "cometbft");
      source = "go";
    }
    await chmod(staged, 0o755);
    if (!foreign) {
      const got = await reportedVersion(staged, run);
      if (!versionMatches(got, version)) throw new VersionMismatchError(version, got ?? "<does not run>", source === "go" ? "go install" : "the release tarball");
    }
    await rename(staged, target);
    if (foreign) await writeFile(stamp, `${version}\n`);
    else await rm(stamp, { force: true });
    log(`    installed cometbft ${version} (${source}) at ${target}`);
    return { path: target, version, source };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
