/**
 * Gets a catalog image into $TRUSTNET_HOME/cache through the one downloader (installer/src/download.ts): reused
 * while its digest matches, else downloaded (resuming an interrupted `<file>.part`) and checked against the pin in
 * installer/src/versions.ts and the mirror's checksum file. Ubuntu's SHA256SUMS must carry a good signature by the
 * pinned cloud-image key (gpgv); without one the download is refused unless `insecureSkipSignature` is set.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChecksumError,
  checksFor,
  DiskFullError,
  downloadFile,
  fetchBuffer,
  fetchText,
  InstallerError,
  TruncatedDownloadError,
  type TransferOptions,
} from "@trustnet/installer";
import { ChecksumMismatchError, DownloadError, ProvisionError } from "../errors.ts";
import { withLock } from "../lifecycle/lock.ts";
import type { Shell } from "../shell.ts";
import { fileNameOf, resolveBase, type ImageEntry } from "./catalog.ts";
import { findDigest, hashFile } from "./checksums.ts";
import type { Progress } from "./progress.ts";
import { keyringCandidates, verifySums } from "./signature.ts";

export interface EnsureImageDeps {
  readonly $: Shell;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress: (label: string) => Progress;
  readonly log: (line: string) => void;
  /** Retries, backoff, timeouts (the downloader's defaults otherwise). */
  readonly transfer?: TransferOptions;
}

export interface EnsureImageOptions {
  /** --insecure-skip-signature: accept an Ubuntu SHA256SUMS whose signature cannot be checked. */
  readonly insecureSkipSignature?: boolean;
}

export interface CachedImage {
  readonly path: string;
  readonly algorithm: string;
  readonly digest: string;
  readonly reused: boolean;
}

export const SKIP_SIGNATURE_WARNING =
  "warning: --insecure-skip-signature: Ubuntu's SHA256SUMS is NOT signature-checked. Anyone who controls the mirror " +
  "or the network path can serve a modified image with a matching SHA256SUMS; only the pinned hash in " +
  "installer/src/versions.ts (when the image has one) still protects you.";

const exists = async (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** Maps the shared downloader's errors onto the provisioner's (same message, the provisioner's hint). */
export function asProvisionError(err: unknown, url: string): unknown {
  if (!(err instanceof InstallerError)) return err;
  if (err instanceof ChecksumError && err.expected !== undefined && err.actual !== undefined) {
    return new ChecksumMismatchError(err.file, err.expected.algorithm, err.expected.hex, err.actual, err.message);
  }
  if (err instanceof DiskFullError || err instanceof ChecksumError) return new ProvisionError(err.message, err.hint, { cause: err });
  const resumable = err instanceof TruncatedDownloadError && /kept \d+ bytes/.test(err.message);
  return new DownloadError(url, err.message, { cause: err }, resumable ? undefined : err.hint);
}

async function checkSignature(entry: ImageEntry, base: string, sums: string, deps: EnsureImageDeps, opts: EnsureImageOptions): Promise<void> {
  const cs = entry.checksum;
  if (cs.kind !== "sums") return;
  const sigUrl = `${base}/${cs.signaturePath}`;
  const refuse = (why: string): never => {
    throw new ProvisionError(
      `cannot verify the signature on ${base}/${cs.path}: ${why}; refusing the image`,
      "install gpgv and the Ubuntu cloud-image keyring (ubuntu-keyring; or set TRUSTNET_UBUNTU_KEYRING to a keyring with key " +
        `${cs.fingerprint}), or use a mirror that serves SHA256SUMS.gpg. --insecure-skip-signature skips this check (dangerous)`,
    );
  };
  if (opts.insecureSkipSignature === true) {
    deps.log(SKIP_SIGNATURE_WARNING);
    return;
  }
  let sig: Buffer;
  try {
    sig = await fetchBuffer(sigUrl, { log: deps.log, ...deps.transfer });
  } catch (e) {
    return refuse(`no signature at ${sigUrl} (${(e as Error).message})`);
  }
  const dir = await mkdtemp(join(tmpdir(), "tn-sums-"));
  try {
    await writeFile(join(dir, "SHA256SUMS"), sums);
    await writeFile(join(dir, "SHA256SUMS.gpg"), sig);
    const r = await verifySums(deps.$, exists, keyringCandidates(deps.env), join(dir, "SHA256SUMS.gpg"), join(dir, "SHA256SUMS"), cs.fingerprint);
    if (!r.verified) refuse(r.reason);
    else deps.log(`SHA256SUMS signature verified (key ${r.fingerprint})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ensures the image is in `<home>/cache`, verified. `mirror` (--mirror) wins over $TRUSTNET_IMAGE_MIRROR. */
/** How long a second process waits for the one downloading the same image (a slow mirror takes a while). */
export const IMAGE_LOCK_WAIT_MS = 2 * 60 * 60 * 1000;

/** Downloads in progress in this process, by cache file: two callers of one image share one download. */
const inFlight = new Map<string, Promise<CachedImage>>();

/**
 * The image in `<home>/cache`, downloaded and verified if it is not there yet. Concurrent calls for the same cache
 * file (two leases of one image arriving in a block) share one download, and another process waits on
 * `<image>.lock`: two writers resuming the same partial file would interleave their bytes, after one of them had
 * verified and renamed it.
 */
export function ensureImage(entry: ImageEntry, home: string, mirror: string | undefined, deps: EnsureImageDeps, opts: EnsureImageOptions = {}): Promise<CachedImage> {
  const key = join(home, "cache", fileNameOf(entry.path));
  const running = inFlight.get(key);
  if (running) return running;
  // Across processes too (`vm up` beside the provider daemon, same cache): one resumes the .part the other writes.
  const locked = withLock(`${key}.lock`, () => fetchImage(entry, home, mirror, deps, opts), { waitMs: IMAGE_LOCK_WAIT_MS, what: `another download of ${fileNameOf(entry.path)}` });
  const p = locked.finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

async function fetchImage(entry: ImageEntry, home: string, mirror: string | undefined, deps: EnsureImageDeps, opts: EnsureImageOptions): Promise<CachedImage> {
  const base = resolveBase(entry, mirror ?? deps.env.TRUSTNET_IMAGE_MIRROR);
  const cacheDir = join(home, "cache");
  await mkdir(cacheDir, { recursive: true });
  const file = fileNameOf(entry.path);
  const dest = join(cacheDir, file);
  const cs = entry.checksum;
  const sumsUrl = `${base}/${cs.path}`;
  let text: string;
  try {
    text = await fetchText(sumsUrl, { log: deps.log, ...deps.transfer });
  } catch (e) {
    throw asProvisionError(e, sumsUrl);
  }
  await checkSignature(entry, base, text, deps, opts);
  const hex = findDigest(text, file, cs.algorithm);
  if (hex === undefined) throw new ProvisionError(`${sumsUrl} lists no ${cs.algorithm} digest for ${file}`, "check --mirror / TRUSTNET_IMAGE_MIRROR");
  let checks;
  try {
    checks = checksFor(file, { algorithm: cs.algorithm, hex, source: sumsUrl }, { env: deps.env, log: deps.log });
  } catch (e) {
    throw asProvisionError(e, sumsUrl);
  }
  const want = checks[0]!;
  if (await exists(dest)) {
    const have = await hashFile(dest, want.algorithm);
    if (checks.every((c) => c.algorithm !== want.algorithm || c.hex === have)) return { path: dest, algorithm: want.algorithm, digest: have, reused: true };
    deps.log(`cached ${file} does not match the expected ${want.algorithm} digest; downloading it again`);
    await rm(dest, { force: true });
  }
  const url = `${base}/${entry.path}`;
  try {
    await downloadFile(url, dest, { log: deps.log, ...deps.transfer, maxBytes: entry.maxBytes, expected: checks, progress: deps.progress(`downloading ${file}`), keepPartial: true });
  } catch (e) {
    throw asProvisionError(e, url);
  }
  return { path: dest, algorithm: want.algorithm, digest: want.hex, reused: false };
}
