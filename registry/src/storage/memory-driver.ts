import { Readable, Writable } from "node:stream";
import { PathNotFoundError } from "../errors.ts";
import { checkPath, type DriverWriter, type FileInfo, type StorageDriver } from "./driver.ts";

interface Entry {
  data: Buffer;
  modTime: Date;
}

/** In-memory driver for unit tests. Same semantics as FsDriver. `clock` lets tests age files. */
export class MemoryDriver implements StorageDriver {
  readonly name: string = "inmemory";
  readonly #files = new Map<string, Entry>();
  readonly #clock: () => Date;

  constructor(clock: () => Date = () => new Date()) {
    this.#clock = clock;
  }

  #entry(path: string): Entry {
    checkPath(path);
    const e = this.#files.get(path);
    if (!e) throw new PathNotFoundError(path);
    return e;
  }

  #isDir(path: string): boolean {
    const prefix = path === "/" ? "/" : `${path}/`;
    for (const k of this.#files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  #set(path: string, data: Buffer): void {
    if (this.#isDir(path)) throw new Error(`is a directory: ${path}`);
    this.#files.set(path, { data, modTime: this.#clock() });
  }

  getContent(path: string): Promise<Buffer> {
    return Promise.resolve().then(() => Buffer.from(this.#entry(path).data));
  }

  putContent(path: string, content: Uint8Array): Promise<void> {
    return Promise.resolve().then(() => {
      checkPath(path);
      this.#set(path, Buffer.from(content));
    });
  }

  reader(path: string, start = 0, end?: number): Promise<Readable> {
    return Promise.resolve().then(() => {
      const data = this.#entry(path).data;
      return Readable.from([data.subarray(start, end ?? data.length)]);
    });
  }

  async copyTo(path: string, dest: Writable, start = 0, end?: number): Promise<void> {
    const data = this.#entry(path).data;
    const part = data.subarray(start, end ?? data.length);
    if (part.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null): void => {
        dest.off("close", onClose);
        dest.off("error", done);
        if (err) reject(err);
        else resolve();
      };
      const onClose = (): void => done(new Error("destination closed before the whole file was written"));
      dest.once("close", onClose);
      dest.on("error", done);
      dest.write(part, done);
    });
  }

  /** Copies every chunk written (so WriterOptions.releaseChunks asks nothing of it). */
  writer(path: string, offset: number): Promise<DriverWriter> {
    return Promise.resolve().then(() => {
      checkPath(path);
      const existing = this.#files.get(path);
      if (!existing && offset !== 0) throw new PathNotFoundError(path);
      const size = existing?.data.length ?? 0;
      if (size < offset) throw new RangeError(`cannot write ${path} at ${offset}: only ${size} bytes`);
      const base = existing ? existing.data.subarray(0, offset) : Buffer.alloc(0);
      this.#set(path, Buffer.from(base));
      const pending: Buffer[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, cb): void {
          pending.push(Buffer.from(chunk));
          cb();
        },
      });
      let done = false;
      return {
        stream,
        commit: async (): Promise<void> => {
          if (!stream.writableFinished) {
            await new Promise<void>((resolve, reject) => {
              stream.once("error", reject);
              stream.end(() => resolve());
            });
          }
          if (done) return;
          done = true;
          this.#set(path, Buffer.concat([base, ...pending]));
        },
        cancel: (): Promise<void> => {
          done = true;
          stream.destroy();
          return Promise.resolve();
        },
      };
    });
  }

  stat(path: string): Promise<FileInfo> {
    return Promise.resolve().then(() => {
      checkPath(path, true);
      const e = this.#files.get(path);
      if (e) return { path, size: e.data.length, modTime: e.modTime, isDir: false };
      if (this.#isDir(path)) return { path, size: 0, modTime: this.#clock(), isDir: true };
      throw new PathNotFoundError(path);
    });
  }

  list(path: string): Promise<string[]> {
    return Promise.resolve().then(() => {
      checkPath(path, true);
      const prefix = path === "/" ? "/" : `${path}/`;
      const names = new Set<string>();
      for (const k of this.#files.keys()) {
        if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0] as string);
      }
      if (names.size === 0) throw new PathNotFoundError(path);
      return [...names].sort();
    });
  }

  move(source: string, dest: string): Promise<void> {
    return Promise.resolve().then(() => {
      checkPath(dest);
      const e = this.#entry(source);
      this.#files.delete(source);
      this.#files.set(dest, e);
    });
  }

  delete(path: string): Promise<void> {
    return Promise.resolve().then(() => {
      checkPath(path);
      let found = this.#files.delete(path);
      for (const k of [...this.#files.keys()]) {
        if (k.startsWith(`${path}/`)) {
          this.#files.delete(k);
          found = true;
        }
      }
      if (!found) throw new PathNotFoundError(path);
    });
  }

  async walk(path: string, fn: (info: FileInfo) => Promise<void> | void): Promise<void> {
    checkPath(path, true);
    const prefix = path === "/" ? "/" : `${path}/`;
    const keys = [...this.#files.keys()].filter((k) => k === path || k.startsWith(prefix)).sort();
    if (keys.length === 0) throw new PathNotFoundError(path);
    for (const k of keys) {
      const e = this.#files.get(k);
      if (e) await fn({ path: k, size: e.data.length, modTime: e.modTime, isDir: false });
    }
  }
}
