// The one downloader of TrustNet: the installer (CometBFT), the provisioner (cloud images) and the VM payloads
// (Node runtime, CometBFT for the guest) all fetch through it.
//
// It uses node:http / node:https and pipes the response straight to the file with stream.pipeline. It does NOT use
// Node's built-in fetch: its bundled undici (nodejs/undici#5360, still in Node 24.21) crashes the whole process with
// an uncatchable `assert(!this.paused)` when a server closes the connection while the body is paused by
// backpressure, which a plain HTTP/1.0 mirror and a slow disk or terminal are enough to cause.
//
// A download goes to `<dest>.part`, is fsynced, checked against every expected digest (a pin and/or the mirror's
// checksum file), and only then renamed to `<dest>`. Transient failures (connection refused or reset, timeouts,
// HTTP 5xx/408/429, a body shorter than its Content-Length) are retried with exponential backoff, resuming with
// `Range` when the server answers 206. Fatal at once: other HTTP errors, redirect loops, an HTML page where a file
// was expected, a full disk, a digest mismatch. After a fatal error nothing is left at `<dest>`, and `<dest>.part`
// is removed too unless `keepPartial` asks to keep an interrupted transfer for the next run.
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { type ClientRequest, type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { basename, dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  ChecksumError,
  type DigestCheck,
  DiskFullError,
  InstallerError,
  TruncatedDownloadError,
  UnexpectedContentError,
  UnreachableError,
} from "./errors.ts";
import { type ProgressReporter, type ProgressSink, ttyProgress } from "./progress.ts";

export type { DigestCheck } from "./errors.ts";
export type DigestAlgorithm = DigestCheck["algorithm"];

export interface TransferOptions {
  /** Extra attempts after the first for transient failures (default 4). */
  readonly retries?: number;
  /** First backoff delay in ms, doubled per attempt up to 10 s (default 500). */
  readonly backoffMs?: number;
  /** Abort when the server sends nothing for this long (default 30 s; also the connect timeout). */
  readonly idleTimeoutMs?: number;
  /** Redirects followed per request (default 5); a loop is refused at once. */
  readonly maxRedirects?: number;
  /** Refuse bodies larger than this (default: none for files, 1 MiB for text). */
  readonly maxBytes?: number;
  /** Notes about retries and resumption (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface DownloadOptions extends TransferOptions {
  /** Every entry must match; a mismatch deletes the download and throws ChecksumError naming both hashes. */
  readonly expected?: readonly DigestCheck[];
  /** A progress reporter, or a sink that gets a bar when it is a terminal (default stderr). `undefined`: none. */
  readonly progress?: ProgressReporter | ProgressSink | undefined;
  /** Label of the progress bar (default `downloading <file>`). */
  readonly label?: string;
  /** Keep `<dest>.part` after a transfer that failed transiently, so that the next run resumes it (default false). */
  readonly keepPartial?: boolean;
  /** Resume an existing `<dest>.part` left by an earlier run (default: same as keepPartial). */
  readonly resume?: boolean;
  /** Limit the transfer rate, in bytes per second (TRUSTNET_DOWNLOAD_RATE_LIMIT, like curl --limit-rate). */
  readonly rateLimit?: number;
}

export interface DownloadResult {
  /** Size of the file now at `dest`. */
  readonly bytes: number;
  /** Bytes transferred by this call (less than `bytes` after a resume). */
  readonly fetched: number;
  /** Hex digests of the file, by algorithm (those that were checked, plus sha256). */
  readonly digests: Readonly<Partial<Record<DigestAlgorithm, string>>>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TOO_LARGE = "no real release of the file is that large: the mirror is broken or hostile; use another mirror";

/** A byte cap as people read it: "128 MiB", or "4096 bytes" below a MiB. */
const capText = (n: number): string => (n >= 1048576 && n % 1048576 === 0 ? `${n / 1048576} MiB` : `${n} bytes`);
const defaultLog = (line: string): void => void process.stderr.write(`${line}\n`);

/** A failure worth another attempt (with Range when the server supports it). */
class Transient extends Error {
  override readonly name = "Transient";
  readonly final: InstallerError;
  constructor(final: InstallerError) {
    super(final.message);
    this.final = final;
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG";
}

function looksLikeHtml(head: Buffer): boolean {
  return /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(head.subarray(0, 512).toString("latin1"));
}

function send(url: URL, headers: Record<string, string>, idleTimeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const req: ClientRequest = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      { method: "GET", agent: false, headers: { "user-agent": "trustnet-downloader", accept: "*/*", "accept-encoding": "identity", ...headers } },
      (res) => {
        response = res;
        resolve(res);
      },
    );
    // An idle socket (no connection, no headers, or a body that stops flowing) fails the request or the body.
    req.setTimeout(idleTimeoutMs, () => {
      const err = Object.assign(new Error(`no data from ${url.host} for ${(idleTimeoutMs / 1000).toFixed(1)} s`), { code: "ETIMEDOUT" });
      response?.destroy(err);
      req.destroy(err);
    });
    req.once("error", reject);
    req.end();
  });
}

/** GETs `url`, following redirects (bounded, loops refused, no https → http downgrade). */
async function openUrl(url: string, headers: Record<string, string>, o: Required<Pick<TransferOptions, "idleTimeoutMs" | "maxRedirects">>): Promise<{ res: IncomingMessage; at: URL }> {
  let at: URL;
  try {
    at = new URL(url);
  } catch {
    throw new UnreachableError(url, `not a URL: ${JSON.stringify(url)}`);
  }
  const chain = [at.href];
  for (;;) {
    if (at.protocol !== "http:" && at.protocol !== "https:") throw new UnreachableError(url, `refusing ${at.protocol} URL ${at.href}: only http and https are supported`);
    let res: IncomingMessage;
    try {
      res = await send(at, headers, o.idleTimeoutMs);
    } catch (err) {
      throw new Transient(new UnreachableError(url, `cannot reach ${at.href}: ${describe(err)}`, { cause: err }));
    }
    const status = res.statusCode ?? 0;
    if (!REDIRECTS.has(status)) return { res, at };
    res.resume();
    const location = res.headers.location;
    if (location === undefined) throw new UnreachableError(url, `${at.href} answered HTTP ${status} without a Location header`);
    const next = new URL(location, at);
    if (at.protocol === "https:" && next.protocol === "http:") throw new UnreachableError(url, `${at.href} redirects to plain http (${next.href}); refusing the downgrade`);
    if (chain.includes(next.href)) throw new UnreachableError(url, `${url} redirects in a loop: ${[...chain, next.href].join(" -> ")}`, { hint: "the mirror is misconfigured; use another mirror" });
    chain.push(next.href);
    if (chain.length - 1 > o.maxRedirects) throw new UnreachableError(url, `${url} redirected more than ${o.maxRedirects} times (last: ${next.href})`, { hint: "the mirror is misconfigured; use another mirror" });
    at = next;
  }
}

/** HTTP 5xx, 408 and 429 are worth another attempt; other statuses are final. */
function httpError(url: string, at: URL, res: IncomingMessage): Error {
  const status = res.statusCode ?? 0;
  res.resume();
  const err = new UnreachableError(url, `${at.href} answered HTTP ${status} ${res.statusMessage ?? ""}`.trimEnd());
  return status >= 500 || status === 408 || status === 429 ? new Transient(err) : err;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withRetries<T>(o: TransferOptions, what: string, fn: (attempt: number) => Promise<T>, onGiveUp?: () => Promise<void>): Promise<T> {
  const retries = o.retries ?? 4;
  const log = o.log ?? defaultLog;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof Transient)) throw err;
      if (attempt >= retries) {
        await onGiveUp?.();
        throw err.final;
      }
      const wait = Math.min((o.backoffMs ?? 500) * 2 ** attempt, 10_000);
      log(`    ${err.message}; retrying ${what} in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 2} of ${retries + 1})`);
      await sleep(wait);
    }
  }
}

/** GETs a small file (a checksum list, a signature, registry metadata) with the same retries, limits and checks. */
export async function fetchBuffer(url: string, o: TransferOptions = {}): Promise<Buffer> {
  const max = o.maxBytes ?? 1024 * 1024;
  const idleTimeoutMs = o.idleTimeoutMs ?? 30_000;
  const maxRedirects = o.maxRedirects ?? 5;
  return withRetries(o, url, async () => {
    const { res, at } = await openUrl(url, {}, { idleTimeoutMs, maxRedirects });
    if (res.statusCode !== 200) throw httpError(url, at, res);
    const chunks: Buffer[] = [];
    let n = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        n += chunk.length;
        if (n > max) {
          res.destroy();
          throw new UnexpectedContentError(url, `${at.href} is larger than the ${capText(max)} allowed for it; refusing it`, TOO_LARGE);
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof InstallerError) throw err;
      throw new Transient(new TruncatedDownloadError(basename(at.pathname), `${at.href} was cut short after ${n} bytes (${describe(err)})`));
    }
    const body = Buffer.concat(chunks);
    const declared = Number(res.headers["content-length"] ?? Number.NaN);
    if (Number.isFinite(declared) && declared !== body.length) {
      throw new Transient(new TruncatedDownloadError(basename(at.pathname), `${at.href} is truncated: got ${body.length} of ${declared} bytes`));
    }
    if (/text\/html|application\/xhtml/i.test(String(res.headers["content-type"] ?? "")) || looksLikeHtml(body)) {
      throw new UnexpectedContentError(url, `${at.href} answered 200 with an HTML page, not the expected file (starts: ${JSON.stringify(body.subarray(0, 60).toString("utf8"))})`);
    }
    return body;
  });
}

export async function fetchText(url: string, o: TransferOptions = {}): Promise<string> {
  return (await fetchBuffer(url, o)).toString("utf8");
}

/** Hex digests of a file for the given algorithms, in one read. */
export async function hashFile<A extends DigestAlgorithm>(path: string, algorithms: readonly A[]): Promise<Record<A, string>> {
  const hashes = new Map<A, Hash>(algorithms.map((a) => [a, createHash(a)]));
  for await (const chunk of createReadStream(path)) for (const h of hashes.values()) h.update(chunk as Buffer);
  return Object.fromEntries([...hashes].map(([a, h]) => [a, h.digest("hex")])) as Record<A, string>;
}

const sizeOf = (p: string): Promise<number> => stat(p).then((s) => s.size, () => 0);

/** Parses `bytes <start>-<end>/<total>`. */
function contentRange(v: string | undefined): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(v?.trim() ?? "");
  if (m === null) return undefined;
  return { start: Number(m[1]), total: m[2] === "*" ? undefined : Number(m[2]) };
}

/**
 * Downloads `url` to `dest` (see the file comment). Throws UnreachableError, TruncatedDownloadError,
 * UnexpectedContentError, DiskFullError or ChecksumError, each naming the URL or file and what to do.
 */
export async function downloadFile(url: string, dest: string, o: DownloadOptions = {}): Promise<DownloadResult> {
  const name = basename(dest);
  const part = `${dest}.part`;
  const idleTimeoutMs = o.idleTimeoutMs ?? 30_000;
  const maxRedirects = o.maxRedirects ?? 5;
  const log = o.log ?? defaultLog;
  const label = o.label ?? `    downloading ${basename(new URL(url, "http://x").pathname) || name}`;
  const sinkOrReporter = "progress" in o ? o.progress : process.stderr;
  const bar: ProgressReporter =
    sinkOrReporter !== undefined && "update" in sinkOrReporter ? sinkOrReporter : ttyProgress(label, sinkOrReporter);
  const rate = o.rateLimit ?? (Number(process.env.TRUSTNET_DOWNLOAD_RATE_LIMIT ?? "") || undefined);
  let fetched = 0;
  if (!(o.resume ?? o.keepPartial ?? false)) await rm(part, { force: true });
  const leftover = await sizeOf(part);

  const attempt = async (): Promise<void> => {
    const offset = await sizeOf(part);
    const { res, at } = await openUrl(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, { idleTimeoutMs, maxRedirects });
    const status = res.statusCode ?? 0;
    let start = 0;
    let total: number | undefined;
    if (status === 416 && offset > 0) {
      res.resume();
      const t = /\/(\d+)$/.exec(String(res.headers["content-range"] ?? ""))?.[1];
      if (t !== undefined && Number(t) === offset) return; // the partial file is already complete
      await rm(part, { force: true });
      throw new Transient(new TruncatedDownloadError(name, `${at.href} refused to resume at byte ${offset}`));
    }
    if (status === 206) {
      const range = contentRange(res.headers["content-range"]);
      if (range === undefined || range.start !== offset) {
        res.resume();
        await rm(part, { force: true });
        throw new Transient(new TruncatedDownloadError(name, `${at.href} answered a Range request with the wrong range (${res.headers["content-range"] ?? "none"})`));
      }
      start = offset;
      total = range.total;
      log(`    resuming ${name} at ${(offset / 1048576).toFixed(1)} MB`);
    } else if (status === 200) {
      const len = res.headers["content-length"];
      total = len === undefined ? undefined : Number(len);
    } else {
      throw httpError(url, at, res);
    }
    if (/text\/html|application\/xhtml/i.test(String(res.headers["content-type"] ?? ""))) {
      res.destroy();
      await rm(part, { force: true });
      throw new UnexpectedContentError(url, `${at.href} answered ${status} with an HTML page (Content-Type: ${res.headers["content-type"]}), not ${name}; nothing was installed`);
    }
    if (o.maxBytes !== undefined && total !== undefined && total > o.maxBytes) {
      res.destroy();
      throw new UnexpectedContentError(url, `${at.href} announces ${total} bytes, more than the ${capText(o.maxBytes)} allowed for ${name}; nothing was downloaded or installed`, TOO_LARGE);
    }
    let received = 0;
    let sniffed = start > 0;
    const t0 = Date.now();
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done): void {
        if (!sniffed) {
          sniffed = true;
          if (looksLikeHtml(chunk)) {
            done(new UnexpectedContentError(url, `${at.href} answered ${status} with an HTML page (starts: ${JSON.stringify(chunk.subarray(0, 60).toString("utf8"))}), not ${name}; nothing was installed`));
            return;
          }
        }
        received += chunk.length;
        fetched += chunk.length;
        if (o.maxBytes !== undefined && start + received > o.maxBytes) {
          done(new UnexpectedContentError(url, `${at.href} sent more than the ${capText(o.maxBytes)} allowed for ${name}; the download was stopped and deleted, nothing was installed`, TOO_LARGE));
          return;
        }
        bar.update(start + received, total);
        const wait = rate === undefined ? 0 : (received / rate) * 1000 - (Date.now() - t0);
        if (wait > 0) setTimeout(() => done(null, chunk), wait);
        else done(null, chunk);
      },
    });
    try {
      await pipeline(res, meter, createWriteStream(part, { flags: start > 0 ? "a" : "w", mode: 0o644 }));
    } catch (err) {
      if (err instanceof InstallerError) {
        await rm(part, { force: true });
        throw err;
      }
      if (isDiskFull(err)) {
        await rm(part, { force: true });
        throw new DiskFullError(dirname(dest), `the disk is full: writing ${part} failed after ${start + received} bytes (${describe(err)}); the partial file was deleted and nothing was installed`);
      }
      throw new Transient(new TruncatedDownloadError(name, `download of ${name} from ${at.href} was cut short after ${start + received}${total === undefined ? "" : ` of ${total}`} bytes (${describe(err)})`));
    }
    if (total !== undefined && start + received !== total) {
      throw new Transient(new TruncatedDownloadError(name, `download of ${name} from ${at.href} is truncated: got ${start + received} of ${total} bytes`));
    }
  };

  try {
    await withRetries(o, name, attempt, async () => {
      if (!(o.keepPartial ?? false)) await rm(part, { force: true });
    });
    bar.finish();
    try {
      const fh = await open(part, "r+");
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (isDiskFull(err)) throw new DiskFullError(dirname(dest), `the disk is full: syncing ${part} failed (${describe(err)}); nothing was installed`);
      throw err;
    }
    const algorithms = [...new Set<DigestAlgorithm>(["sha256", ...(o.expected ?? []).map((e) => e.algorithm)])];
    const digests = await hashFile(part, algorithms);
    for (const want of o.expected ?? []) {
      const got = digests[want.algorithm];
      if (got !== want.hex.toLowerCase()) {
        throw new ChecksumError(
          name,
          `checksum mismatch for ${name}: expected ${want.algorithm}:${want.hex.toLowerCase()} (${want.source}), got ${want.algorithm}:${got} (the file downloaded from ${url}); the download was deleted and nothing was installed`,
          "the file was corrupted or tampered with on the way, or the mirror serves another build; use another mirror",
          { expected: want, actual: got },
        );
      }
    }
    await rename(part, dest);
    await open(dirname(dest), "r").then(async (d) => { await d.sync().catch(() => undefined); await d.close(); }, () => undefined);
    return { bytes: await sizeOf(dest), fetched, digests };
  } catch (err) {
    bar.finish();
    if (err instanceof ChecksumError && leftover > 0) {
      // The bytes kept by an earlier run may be stale (another build, a corrupted disk): start once from zero.
      log(`    ${name}: the ${leftover} bytes kept from an earlier run did not verify; downloading it again from the start`);
      return downloadFile(url, dest, { ...o, resume: false });
    }
    const kept = (o.keepPartial ?? false) && (err instanceof TruncatedDownloadError || err instanceof UnreachableError) ? await sizeOf(part) : 0;
    if (kept === 0) await rm(part, { force: true });
    if (kept > 0 && err instanceof InstallerError) {
      throw new TruncatedDownloadError(name, `${err.message}; kept ${kept} bytes in ${part}`, "run the command again: the download resumes where it stopped");
    }
    throw err;
  }
}
