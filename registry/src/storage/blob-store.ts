import type { Readable, Writable } from "node:stream";
import { PathNotFoundError, RegistryError } from "../errors.ts";
import { parseDigest, type ParsedDigest } from "../digest.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";
import type { SharedExclusiveLock } from "./locks.ts";
import type { BodyOptions, ChunkClaim, UploadStatus, UploadStore } from "./upload-store.ts";
import type { OpenPushQuota } from "./open-quota.ts";

export interface BlobDescriptor {
  readonly digest: string;
  readonly size: number;
}

/** Remembers when each blob was last referenced by a push, so GC treats it as young. */
export class AccessLog {
  readonly #touched = new Map<string, number>();
  touch(digest: string, at: number): void {
    this.#touched.set(digest, at);
  }
  lastTouched(digest: string): number | undefined {
    return this.#touched.get(digest);
  }
  forgetBefore(at: number): void {
    for (const [d, t] of this.#touched) if (t < at) this.#touched.delete(d);
  }
}

/** The global content-addressed store. Only the storage layer uses it. */
export class BlobCas {
  readonly #driver: StorageDriver;
  constructor(driver: StorageDriver) {
    this.#driver = driver;
  }

  async stat(d: ParsedDigest): Promise<BlobDescriptor | undefined> {
    try {
      const info = await this.#driver.stat(pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }));
      return { digest: d.value, size: info.size };
    } catch (err) {
      if (err instanceof PathNotFoundError) return undefined;
      throw err;
    }
  }

  copyTo(d: ParsedDigest, dest: Writable, start?: number, end?: number): Promise<void> {
    return this.#driver.copyTo(pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }), dest, start, end);
  }

  getContent(d: ParsedDigest): Promise<Buffer> {
    return this.#driver.getContent(pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }));
  }

  putContent(d: ParsedDigest, bytes: Uint8Array): Promise<void> {
    return this.#driver.putContent(pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }), bytes);
  }

  /** Moves verified upload data into the store (true); if the blob is already there, drops the source (false). */
  async ingest(sourcePath: string, d: ParsedDigest): Promise<boolean> {
    if (await this.stat(d)) {
      await this.#driver.delete(sourcePath).catch(() => undefined);
      return false;
    }
    await this.#driver.move(sourcePath, pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }));
    return true;
  }
}

/** Stores verified upload data (`size` bytes of `d`); `openPusher`: the account whose open push it is. */
type Ingest = (dataPath: string, d: ParsedDigest, size: number, openPusher: string | undefined) => Promise<void>;

/**
 * One upload session into a repository (CNCF distribution's BlobWriter): chunks are appended, and `commit` verifies
 * the digest and moves the data into the blob store, linked into the repository. Where the data lies is the
 * storage's business: nothing here hands out a driver path.
 */
export class BlobUpload {
  readonly id: string;
  readonly #repo: string;
  readonly #owner: string;
  readonly #uploads: UploadStore;
  readonly #ingest: Ingest;

  constructor(id: string, repo: string, owner: string, uploads: UploadStore, ingest: Ingest) {
    this.id = id;
    this.#repo = repo;
    this.#owner = owner;
    this.#uploads = uploads;
    this.#ingest = ingest;
  }

  status(): Promise<UploadStatus> {
    return this.#uploads.status(this.#repo, this.id, this.#owner);
  }

  append(body: Readable, claim: ChunkClaim, opts: BodyOptions = {}): Promise<UploadStatus> {
    return this.#uploads.append(this.#repo, this.id, this.#owner, body, claim, opts);
  }

  /** Appends an optional last chunk, verifies the whole upload against `digest`, and stores the blob. */
  commit(digest: string, body?: Readable, claim: ChunkClaim = {}, opts: BodyOptions = {}): Promise<{ digest: string; size: number }> {
    return this.#uploads.complete(this.#repo, this.id, this.#owner, digest, body, claim, this.#ingest, opts);
  }

  cancel(): Promise<void> {
    return this.#uploads.cancel(this.#repo, this.id, this.#owner);
  }
}

/** The blobs of one repository: a repository reads only blobs linked into it. */
export class BlobStore {
  readonly #driver: StorageDriver;
  readonly #cas: BlobCas;
  readonly #name: string;
  readonly #access: AccessLog;
  readonly #now: () => number;
  readonly #gcLock: SharedExclusiveLock;
  readonly #uploads: UploadStore;
  readonly #linkedAnywhere: (d: ParsedDigest) => Promise<boolean>;
  readonly #quota: OpenPushQuota;

  /** `linkedAnywhere`: whether some repository still links the blob as a blob (for anonymous mounts). */
  constructor(driver: StorageDriver, cas: BlobCas, name: string, access: AccessLog, now: () => number, gcLock: SharedExclusiveLock, uploads: UploadStore, linkedAnywhere: (d: ParsedDigest) => Promise<boolean>, quota: OpenPushQuota) {
    this.#driver = driver;
    this.#quota = quota;
    this.#linkedAnywhere = linkedAnywhere;
    this.#uploads = uploads;
    this.#cas = cas;
    this.#name = name;
    this.#access = access;
    this.#now = now;
    this.#gcLock = gcLock;
  }

  #link(d: ParsedDigest): string {
    return pathFor({ kind: "layerLink", name: this.#name, alg: d.algorithm, hex: d.hex });
  }

  async stat(digest: string): Promise<BlobDescriptor> {
    const d = parseDigest(digest);
    const found = (await this.#isLinked(d)) ? await this.#cas.stat(d) : undefined;
    if (!found) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", digest);
    this.#access.touch(d.value, this.#now());
    return found;
  }

  async exists(digest: string): Promise<boolean> {
    try {
      await this.stat(digest);
      return true;
    } catch (err) {
      if (err instanceof RegistryError && err.kind === "BLOB_UNKNOWN") return false;
      throw err;
    }
  }

  /** Writes bytes [start, end) of a blob linked here to `dest` (which is not ended); see StorageDriver.copyTo. */
  async copyTo(digest: string, dest: Writable, start?: number, end?: number): Promise<void> {
    const d = parseDigest(digest);
    if (!(await this.#isLinked(d))) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", digest);
    try {
      await this.#cas.copyTo(d, dest, start, end);
    } catch (err) {
      if (err instanceof PathNotFoundError) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", digest);
      throw err;
    }
  }

  /** Whether this repository links the blob (a stat of its link; the data itself is not checked). */
  isLinked(d: ParsedDigest): Promise<boolean> {
    return this.#isLinked(d);
  }

  async #isLinked(d: ParsedDigest): Promise<boolean> {
    try {
      await this.#driver.stat(this.#link(d));
      return true;
    } catch (err) {
      if (err instanceof PathNotFoundError) return false;
      throw err;
    }
  }

  /** Throws BLOB_TOO_LARGE when a blob of `total` bytes would exceed the registry's limit (maxBlobBytes). */
  checkUploadSize(total: number): void {
    this.#uploads.checkSize(total);
  }

  /**
   * Opens an upload session into this repository for `owner` (the pushing address, "" for none). `open`: the push
   * is allowed only because the default namespace is open (its bytes count to `owner`'s openPushQuotaBytes);
   * `declared`: the bytes the request says it brings, refused up front when over that quota or the free disk space.
   */
  async startUpload(now: Date, owner = "", open = false, declared = 0): Promise<BlobUpload> {
    return this.upload((await this.#uploads.create(this.#name, now, owner, open, declared)).id, owner);
  }

  /**
   * The upload session `id` of this repository, as `owner` (the caller's address, "" for none) sees it: each
   * operation checks that it exists, here, and was opened by `owner` (else BLOB_UPLOAD_UNKNOWN, as if it did not).
   */
  upload(id: string, owner: string): BlobUpload {
    return new BlobUpload(id, this.#name, owner, this.#uploads, (dataPath, d, size, openPusher) => this.#gcLock.shared(async () => {
      const added = await this.#cas.ingest(dataPath, d);
      if (added && openPusher !== undefined) await this.#quota.chargeStored(openPusher, d, size);
      await this.link(d);
    }));
  }

  /** Links an existing global blob into this repository. */
  async link(d: ParsedDigest): Promise<void> {
    this.#access.touch(d.value, this.#now());
    await this.#driver.putContent(this.#link(d), Buffer.from(d.value));
  }

  /** Cross-repository mount: true if `from` has the blob and it is now linked here. */
  async mountFrom(from: BlobStore, digest: string): Promise<boolean> {
    const d = parseDigest(digest);
    return this.#gcLock.shared(async () => {
      if (!(await from.exists(d.value))) return false;
      await this.link(d);
      return true;
    });
  }

  /**
   * Anonymous mount: true if some repository still links the blob as a blob (not merely the content store holding
   * it: a blob deleted everywhere, or a manifest's bytes, is never mounted) and it is now linked here.
   */
  async mountStored(digest: string): Promise<boolean> {
    const d = parseDigest(digest);
    return this.#gcLock.shared(async () => {
      if (!(await this.#linkedAnywhere(d)) || !(await this.#cas.stat(d))) return false;
      await this.link(d);
      return true;
    });
  }

  /** Removes the blob from this repository (the data goes at the next GC if nothing else uses it). */
  async delete(digest: string): Promise<void> {
    const d = parseDigest(digest);
    if (!(await this.#isLinked(d))) throw new RegistryError("BLOB_UNKNOWN", "blob unknown to registry", digest);
    await this.#driver.delete(pathFor({ kind: "layerDir", name: this.#name, alg: d.algorithm, hex: d.hex }));
  }
}
