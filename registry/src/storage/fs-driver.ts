import { lstat, mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Writable, type Readable } from "node:stream";
import { PathNotFoundError } from "../errors.ts";
import { checkPath, releaseChunk, type DriverWriter, type FileInfo, type StorageDriver, type WriterOptions } from "./driver.ts";

/** Size of one read when serving a file (copyTo). */
const SEND_CHUNK = 1 << 20;
/**
 * Reads of one copyTo that may be queued on the destination at once (memory per GET: this × SEND_CHUNK): one
 * being read while the other drains into the socket (the kernel's socket buffer queues the rest). 4 in flight,
 * or 512 KiB and 4 MiB chunks, measured the same on a 400 MB skopeo pull.
 */
const SEND_IN_FLIGHT = 2;
/** Idle send buffers kept for reuse across requests. */
const SEND_POOL_MAX = 16;

/**
 * Reusable read buffers for copyTo. A fresh Buffer per chunk costs more than the copy: every one is external
 * memory to V8, and streaming a few hundred MB that way kept the old generation in back-to-back mark-compacts
 * (see docs/registry.md, "Benchmark"). A buffer comes back only from a successful write callback, i.e. once the
 * kernel holds its bytes; buffers of a failed or abandoned transfer are left to the garbage collector.
 */
class BufferPool {
  readonly #free: Buffer[] = [];
  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(SEND_CHUNK);
  }
  give(b: Buffer): void {
    if (this.#free.length < SEND_POOL_MAX) this.#free.push(b);
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * A `putContent` temp file (`<root>/tmp/put-*`) last modified longer ago than this was left by a crash mid-write: a
 * put writes one small file (a link, or a manifest of at most 4 MiB) and renames it at once. The age rule, rather
 * than "every temp file at startup", keeps a temp file of another process writing into the same data dir.
 */
export const STALE_PUT_TEMP_MS = 60 * 60 * 1000;

/**
 * Filesystem driver: driver path /a/b lives at <root>/store/a/b; temp files for atomic
 * writes live in <root>/tmp (same filesystem, so rename is atomic). With `fsync` (the default)
 * every commit and putContent is flushed to disk before it returns, so acknowledged data survives
 * a power loss, not only a process crash; without it the page cache decides. (CNCF distribution's
 * filesystem driver fsyncs every file it writes as well.)
 */
export class FsDriver implements StorageDriver {
  readonly name: string = "filesystem";
  readonly #store: string;
  readonly #tmp: string;
  readonly #fsync: boolean;
  readonly #pool = new BufferPool();

  constructor(root: string, opts: { readonly fsync?: boolean } = {}) {
    this.#store = join(root, "store");
    this.#tmp = join(root, "tmp");
    this.#fsync = opts.fsync ?? true;
  }

  #full(path: string, allowRoot = false): string {
    const parts = checkPath(path, allowRoot);
    return join(this.#store, ...parts);
  }

  async getContent(path: string): Promise<Buffer> {
    try {
      return await readFile(this.#full(path));
    } catch (err) {
      if (isNotFound(err)) throw new PathNotFoundError(path);
      throw err;
    }
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    const full = this.#full(path);
    await mkdir(this.#tmp, { recursive: true });
    const tmp = join(this.#tmp, `put-${randomBytes(12).toString("hex")}`);
    try {
      const fh = await open(tmp, "w", 0o644);
      try {
        await fh.writeFile(content);
        if (this.#fsync) await fh.sync();
      } finally {
        await fh.close();
      }
      await mkdir(join(full, ".."), { recursive: true });
      await rename(tmp, full);
    } catch (err) {
      await rm(tmp, { force: true }); // a failed write (a full disk) leaves no temp file either
      throw err;
    }
  }

  /**
   * Removes the `put-*` temp files last modified more than `olderThanMs` before `nowMs`: left by a crash mid-write,
   * nothing else would ever remove them. Returns how many. Run at startup, before serving, and with each upload purge.
   */
  async removeStalePutTemps(nowMs: number, olderThanMs = STALE_PUT_TEMP_MS): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.#tmp);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    let removed = 0;
    for (const n of names) {
      if (!n.startsWith("put-")) continue;
      const p = join(this.#tmp, n);
      try {
        const st = await lstat(p);
        if (!st.isFile() || nowMs - st.mtimeMs <= olderThanMs) continue;
        await rm(p, { force: true });
        removed++;
      } catch (err) {
        if (!isNotFound(err)) throw err; // renamed by its put meanwhile
      }
    }
    return removed;
  }

  async reader(path: string, start = 0, end?: number): Promise<Readable> {
    const full = this.#full(path);
    const fh = await open(full, "r").catch((err: unknown) => {
      throw isNotFound(err) ? new PathNotFoundError(path) : err;
    });
    if (end !== undefined && end <= start) {
      await fh.close();
      return createReadStream("/dev/null");
    }
    return fh.createReadStream({ start, ...(end === undefined ? {} : { end: end - 1 }), highWaterMark: 256 * 1024 });
  }

  async copyTo(path: string, dest: Writable, start = 0, end?: number): Promise<void> {
    const fh = await open(this.#full(path), "r").catch((err: unknown) => {
      throw isNotFound(err) ? new PathNotFoundError(path) : err;
    });
    const pool = this.#pool;
    let pending = 0;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onClose = (): void => {
      failure ??= new Error("destination closed before the whole file was written");
      notify();
    };
    const onError = (err: Error): void => {
      failure ??= err;
      notify();
    };
    /** Resolves once fewer than `limit` writes are pending, or the transfer failed. */
    const below = (limit: number): Promise<void> =>
      pending < limit || failure ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve));
    dest.once("close", onClose);
    dest.on("error", onError);
    try {
      const stop = end ?? (await fh.stat()).size;
      let pos = start;
      while (pos < stop) {
        await below(SEND_IN_FLIGHT);
        if (failure) throw failure;
        if (dest.destroyed) throw new Error("destination closed before the whole file was written");
        const buf = pool.take();
        let n: number;
        try {
          n = (await fh.read(buf, 0, Math.min(buf.length, stop - pos), pos)).bytesRead;
        } catch (err) {
          pool.give(buf);
          throw err;
        }
        if (n === 0) {
          pool.give(buf);
          throw new Error(`${path} ended at ${pos}, before ${stop}`);
        }
        pos += n;
        pending++;
        dest.write(n === buf.length ? buf : buf.subarray(0, n), (err?: Error | null) => {
          pending--;
          if (err) failure ??= err;
          else pool.give(buf);
          notify();
        });
      }
      await below(1);
      if (failure) throw failure;
    } finally {
      dest.off("close", onClose);
      dest.off("error", onError);
      await fh.close();
    }
  }

  async writer(path: string, offset: number, opts: WriterOptions = {}): Promise<DriverWriter> {
    const full = this.#full(path);
    await mkdir(join(full, ".."), { recursive: true });
    let fh: FileHandle;
    try {
      fh = await open(full, "r+");
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (offset !== 0) throw new PathNotFoundError(path);
      fh = await open(full, "w+", 0o644);
    }
    const size = (await fh.stat()).size;
    if (size < offset) {
      await fh.close();
      throw new RangeError(`cannot write ${path} at ${offset}: only ${size} bytes`);
    }
    if (size > offset) await fh.truncate(offset);
    return new FsWriter(fh, offset, this.#fsync, opts.releaseChunks ?? false);
  }

  async stat(path: string): Promise<FileInfo> {
    try {
      const s = await stat(this.#full(path, true));
      return { path, size: s.size, modTime: s.mtime, isDir: s.isDirectory() };
    } catch (err) {
      if (isNotFound(err)) throw new PathNotFoundError(path);
      throw err;
    }
  }

  async list(path: string): Promise<string[]> {
    try {
      const names = await readdir(this.#full(path, true));
      return names.sort();
    } catch (err) {
      if (isNotFound(err)) throw new PathNotFoundError(path);
      throw err;
    }
  }

  async move(source: string, dest: string): Promise<void> {
    const from = this.#full(source);
    const to = this.#full(dest);
    await mkdir(join(to, ".."), { recursive: true });
    try {
      await rename(from, to);
    } catch (err) {
      if (isNotFound(err)) throw new PathNotFoundError(source);
      throw err;
    }
  }

  async delete(path: string): Promise<void> {
    const full = this.#full(path);
    try {
      await stat(full);
    } catch (err) {
      if (isNotFound(err)) throw new PathNotFoundError(path);
      throw err;
    }
    await rm(full, { recursive: true, force: true });
  }

  async walk(path: string, fn: (info: FileInfo) => Promise<void> | void): Promise<void> {
    const visit = async (p: string): Promise<void> => {
      let info: FileInfo;
      try {
        info = await this.stat(p);
      } catch (err) {
        if (err instanceof PathNotFoundError && p !== path) return; // removed while walking
        throw err;
      }
      if (!info.isDir) {
        await fn(info);
        return;
      }
      let names: string[];
      try {
        names = await this.list(p);
      } catch (err) {
        if (err instanceof PathNotFoundError) return;
        throw err;
      }
      for (const n of names) await visit(p === "/" ? `/${n}` : `${p}/${n}`);
    };
    await visit(path);
  }
}

/**
 * Bytes gathered before one write. docker streams a layer in ~16 KiB chunks at the pace of its gzip; writing
 * each as it came meant a thread-pool round trip (and its wake-ups) per chunk, most of the server's CPU for a
 * docker push. Batching is invisible to callers: nothing is promised before commit().
 */
const WRITE_BATCH = 1 << 20;
/** Linux's IOV_MAX: the most buffers one pwritev takes. */
const MAX_IOV = 1024;

/** pwritev of all of `bufs` at `position`, in calls of at most MAX_IOV buffers, resuming after short writes. */
export async function writeAll(fh: Pick<FileHandle, "writev">, bufs: readonly Buffer[], position: number): Promise<void> {
  let rest = bufs;
  let pos = position;
  while (rest.length > 0) {
    const batch = rest.slice(0, MAX_IOV);
    const want = batch.reduce((n, b) => n + b.length, 0);
    const { bytesWritten } = await fh.writev(batch, pos);
    pos += bytesWritten;
    if (bytesWritten === want) {
      rest = rest.slice(batch.length);
      continue;
    }
    if (bytesWritten <= 0) throw new Error(`write made no progress at ${pos}`);
    let skip = bytesWritten;
    const left: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      left.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = left;
  }
}

class FsWriter implements DriverWriter {
  readonly stream: Writable;
  readonly #fh: FileHandle;
  readonly #offset: number;
  readonly #fsync: boolean;
  #closed = false;

  constructor(fh: FileHandle, offset: number, fsync: boolean, release: boolean) {
    this.#fh = fh;
    this.#offset = offset;
    this.#fsync = fsync;
    /** Where the first pending byte goes. */
    let position = offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = (cb: (err?: Error | null) => void): void => {
      const bufs = pending;
      const len = pendingBytes;
      pending = [];
      pendingBytes = 0;
      writeAll(fh, bufs, position).then(
        () => {
          position += len;
          if (release) for (const b of bufs) releaseChunk(b);
          cb();
        },
        (err: Error) => cb(err),
      );
    };
    // One write at a time: while it runs, the stream buffers what arrives (up to highWaterMark, then the
    // source is paused), and hands all of it to the next writev call.
    this.stream = new Writable({
      highWaterMark: WRITE_BATCH,
      writev(chunks, cb): void {
        for (const c of chunks) {
          const b = c.chunk as Buffer;
          if (b.length === 0) continue;
          pending.push(b);
          pendingBytes += b.length;
        }
        if (pendingBytes >= WRITE_BATCH || pending.length >= MAX_IOV) flush(cb);
        else cb();
      },
      final(cb): void {
        if (pending.length > 0) flush(cb);
        else cb();
      },
    });
  }

  async commit(): Promise<void> {
    if (!this.stream.writableFinished) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once("error", reject);
        this.stream.end(() => resolve());
      });
    }
    if (this.#fsync) await this.#fh.sync();
    await this.#close();
  }

  async cancel(): Promise<void> {
    if (this.#closed) return;
    this.stream.destroy();
    try {
      await this.#fh.truncate(this.#offset);
    } finally {
      await this.#close();
    }
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close();
  }
}
