import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { basename } from "node:path";
import { TruncatedDownloadError, UnreachableError } from "./errors.ts";
import { type ProgressSink, startProgress } from "./progress.ts";

export type FetchFn = typeof fetch;

async function get(url: string, fetchFn: FetchFn): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url, { redirect: "follow", signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new UnreachableError(url, `cannot reach ${url}: ${cause}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UnreachableError(url, `${url} answered HTTP ${res.status} ${res.statusText}`);
  }
  return res;
}

/** GETs a small text file (a checksum list). */
export async function fetchText(url: string, fetchFn: FetchFn = fetch): Promise<string> {
  const res = await get(url, fetchFn);
  return await res.text();
}

/**
 * Streams `url` into `dest` with a progress bar. A body shorter than Content-Length, or a connection that breaks
 * mid-file, throws TruncatedDownloadError and deletes the partial file.
 */
export async function downloadFile(
  url: string,
  dest: string,
  opts: { readonly fetchFn?: FetchFn; readonly progress?: ProgressSink | undefined } = {},
): Promise<number> {
  const res = await get(url, opts.fetchFn ?? fetch);
  const name = basename(new URL(url).pathname);
  const lenHeader = res.headers.get("content-length");
  const total = lenHeader === null ? undefined : Number(lenHeader);
  const bar = startProgress(`    downloading ${name}`, total, opts.progress);
  const out = createWriteStream(dest, { mode: 0o600 });
  let writeError: Error | undefined;
  out.on("error", (e) => (writeError ??= e));
  let received = 0;
  try {
    if (res.body === null) throw new Error("empty body");
    for await (const chunk of res.body) {
      received += chunk.byteLength;
      bar.update(received);
      if (writeError !== undefined) throw writeError;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    if (!out.closed) await new Promise<void>((r) => out.once("close", () => r()).destroy());
    await rm(dest, { force: true });
    const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new TruncatedDownloadError(name, `download of ${name} was cut short after ${received} bytes (${why}); nothing was installed`);
  }
  bar.done();
  if (total !== undefined && received !== total) {
    await rm(dest, { force: true });
    throw new TruncatedDownloadError(name, `download of ${name} is truncated: got ${received} of ${total} bytes; nothing was installed`);
  }
  return received;
}
