/**
 * Resumable HTTP download into a cache: `<dest>.part` grows across runs (HTTP Range), and becomes `<dest>`
 * only after its digest matches; a mismatching file is deleted.
 */
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ChecksumMismatchError, DownloadError } from "../errors.ts";
import { hashFile, type DigestAlgorithm } from "./checksums.ts";
import type { Progress } from "./progress.ts";

export type Fetch = typeof fetch;

export interface Expected {
  readonly algorithm: DigestAlgorithm;
  readonly hex: string;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

/** Downloads `url` to `dest`, resuming `<dest>.part`; verifies against `expected`. Returns bytes fetched this run. */
export async function downloadVerified(fetchFn: Fetch, url: string, dest: string, expected: Expected, progress: Progress): Promise<number> {
  const part = `${dest}.part`;
  let offset = await sizeOf(part);
  let res: Response;
  try {
    res = await fetchFn(url, { headers: offset > 0 ? { range: `bytes=${offset}-` } : {} });
  } catch (e) {
    throw new DownloadError(url, (e as Error).message, { cause: e });
  }
  let fetched = 0;
  if (res.status === 416 && offset > 0) {
    await res.body?.cancel();
  } else {
    if (res.status === 200) offset = 0;
    else if (res.status !== 206) {
      await res.body?.cancel();
      throw new DownloadError(url, `HTTP ${res.status} ${res.statusText}`);
    }
    const total = totalSize(res, offset);
    if (res.body === null) throw new DownloadError(url, "empty response body");
    const out = createWriteStream(part, { flags: offset > 0 ? "a" : "w" });
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    body.on("data", (c: Buffer) => {
      fetched += c.length;
      progress.update(offset + fetched, total);
    });
    try {
      await pipeline(body, out);
    } catch (e) {
      progress.finish();
      throw new DownloadError(url, `connection lost after ${offset + fetched} bytes (${(e as Error).message}); kept the partial file`, { cause: e });
    }
    progress.finish();
    if (total !== undefined && offset + fetched !== total) {
      throw new DownloadError(url, `got ${offset + fetched} of ${total} bytes; kept the partial file`);
    }
  }
  const actual = await hashFile(part, expected.algorithm);
  if (actual !== expected.hex) {
    await rm(part, { force: true });
    throw new ChecksumMismatchError(url.slice(url.lastIndexOf("/") + 1), expected.algorithm, expected.hex, actual);
  }
  await rename(part, dest);
  return fetched;
}

function totalSize(res: Response, offset: number): number | undefined {
  const m = /\/(\d+)$/.exec(res.headers.get("content-range") ?? "");
  if (m?.[1] !== undefined) return Number(m[1]);
  const len = res.headers.get("content-length");
  if (len === null) return undefined;
  return (res.status === 206 ? offset : 0) + Number(len);
}
