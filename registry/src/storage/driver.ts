import type { Readable, Writable } from "node:stream";
import { InvalidPathError } from "../errors.ts";

/**
 * A narrow, path-keyed object store (house rule 14). Paths are `/a/b/c` with components of
 * `[A-Za-z0-9._-]`, never `.` or `..`. Missing paths raise PathNotFoundError.
 */
export interface StorageDriver {
  readonly name: string;
  getContent(path: string): Promise<Buffer>;
  /** Atomic: readers see either the old or the new content, never a mix. */
  putContent(path: string, content: Uint8Array): Promise<void>;
  /** A stream of bytes [start, end) (end defaults to the size). */
  reader(path: string, start?: number, end?: number): Promise<Readable>;
  /**
   * Writes bytes [start, end) of `path` (end defaults to the size) to `dest`, without ending it, and resolves
   * once `dest` has taken every byte (each write callback has fired). This is how blobs are served: a driver
   * may reuse its read buffers from one write to the next, so a large GET allocates nothing per chunk.
   * Rejects if `dest` closes or fails first; rejects with PathNotFoundError before writing anything if `path`
   * is missing.
   */
  copyTo(path: string, dest: Writable, start?: number, end?: number): Promise<void>;
  /**
   * Opens `path` for writing at `offset`: content past `offset` is discarded. Bytes written become
   * durable and visible on commit(); cancel() restores the content to its first `offset` bytes.
   */
  writer(path: string, offset: number, opts?: WriterOptions): Promise<DriverWriter>;
  stat(path: string): Promise<FileInfo>;
  /** Direct children (names only), sorted. */
  list(path: string): Promise<string[]>;
  /** Atomic rename; replaces `dest` if it exists. */
  move(source: string, dest: string): Promise<void>;
  /** Deletes a file or a whole subtree. */
  delete(path: string): Promise<void>;
  /** Calls `fn` for every file (not directory) under `path`, depth first, in sorted order. */
  walk(path: string, fn: (info: FileInfo) => Promise<void> | void): Promise<void>;
}

export interface FileInfo {
  readonly path: string;
  readonly size: number;
  readonly modTime: Date;
  readonly isDir: boolean;
}

export interface WriterOptions {
  /**
   * The caller hands over every chunk it writes: nothing else holds it or its ArrayBuffer (true of an HTTP
   * request body, which node:http copies out of its parser chunk by chunk). The driver may then free a
   * chunk's memory as soon as the chunk is written (see releaseChunk).
   */
  readonly releaseChunks?: boolean;
}

/**
 * Frees the memory of a chunk that nobody needs any more, when the chunk is the only view of its ArrayBuffer
 * (otherwise it does nothing). The ArrayBuffer is detached, so the chunk reads as empty from then on.
 *
 * Why: every chunk of a request body is a separate allocation outside V8's heap. Left to the garbage
 * collector, a few hundred MB of upload kept V8 in back-to-back full mark-compacts (external memory pressure)
 * that cost about a third of the registry's CPU during a push; freed here, they cost nothing.
 */
export function releaseChunk(chunk: Uint8Array): void {
  const ab = chunk.buffer;
  if (!(ab instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== ab.byteLength) return;
  try {
    // ES2024 ArrayBuffer.prototype.transfer (the project's TypeScript lib is ES2023)
    (ab as ArrayBuffer & { transfer(newByteLength?: number): ArrayBuffer }).transfer(0);
  } catch {
    // not detachable (e.g. wasm memory): the garbage collector frees it as usual
  }
}

export interface DriverWriter {
  readonly stream: Writable;
  commit(): Promise<void>;
  cancel(): Promise<void>;
}

const COMPONENT = /^[A-Za-z0-9._-]+$/;

/** Throws unless `path` is a safe absolute driver path; returns its components. */
export function checkPath(path: string, allowRoot = false): string[] {
  if (allowRoot && path === "/") return [];
  if (!path.startsWith("/")) throw new InvalidPathError(path);
  const parts = path.slice(1).split("/");
  for (const p of parts) {
    if (!COMPONENT.test(p) || p === "." || p === "..") throw new InvalidPathError(path);
  }
  return parts;
}
