import { randomUUID, type Hash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PathNotFoundError, RegistryError } from "../errors.ts";
import { newHash, parseDigest, type DigestAlgorithm, type ParsedDigest } from "../digest.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";
import { KeyedMutex, SharedExclusiveLock } from "./locks.ts";
import { OpenPushQuota } from "./open-quota.ts";
import { DISK_CHECK_BYTES, noDiskGuard, type DiskGuard } from "./disk-guard.ts";

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UploadInfo {
  readonly id: string;
  readonly repo: string;
  readonly startedAt: string;
  /** The address that opened the session ("" for none). */
  readonly owner?: string;
  /** Opened by a push allowed only because the default namespace is open: its bytes count to the owner's quota. */
  readonly open?: true;
}

/** Limits on upload sessions (config: maxBlobBytes, maxUploadSessionsPerUser). */
export interface UploadLimits {
  /** Largest blob, in bytes: a declared length over it is refused before anything is written. */
  readonly maxBlobBytes: number;
  /** Open sessions one address may hold. */
  readonly maxSessionsPerUser: number;
}

export interface UploadStatus {
  readonly id: string;
  /** Bytes acknowledged so far. */
  readonly offset: number;
}

/** Where a chunk claims to start and how long it claims to be (both optional: a streamed PATCH has neither). */
export interface ChunkClaim {
  readonly start?: number;
  readonly length?: number;
}

/** How the store may treat a request body. */
export interface BodyOptions {
  /**
   * Nothing else holds the body's chunks (true of an HTTP request body: node:http copies each one out of its
   * parser), so each chunk's memory is freed as soon as it is on disk (StorageDriver WriterOptions.releaseChunks).
   */
  readonly owned?: boolean;
}

interface HashState {
  offset: number;
  hash: Hash;
}

/**
 * Upload sessions. Each session is /uploads/<id>/{info,data,offset}; `offset` is written after every
 * acknowledged chunk, so a restarted registry resumes from it (bytes past it are discarded on the next write).
 * The running sha256 is kept in memory; after a restart it is rebuilt by re-reading the data once.
 */
export class UploadStore {
  readonly #driver: StorageDriver;
  readonly #mutex = new KeyedMutex();
  readonly #hashes = new Map<string, HashState>();
  /** Open session ids per owner; built from disk on first use, then kept up to date. */
  #byOwner: Map<string, Set<string>> | undefined;
  limits: UploadLimits = { maxBlobBytes: Number.MAX_SAFE_INTEGER, maxSessionsPerUser: Number.MAX_SAFE_INTEGER };
  /** Refuses upload bytes when the disk is nearly full (config minFreeDiskBytes). */
  diskGuard: DiskGuard = noDiskGuard;
  readonly #quota: OpenPushQuota;

  /** `quota`: the registry's ledger of open pushes (a store of its own by default). */
  constructor(driver: StorageDriver, quota = new OpenPushQuota(driver, new SharedExclusiveLock())) {
    this.#driver = driver;
    this.#quota = quota;
    // the quota's ledger is complete once the sessions are read (their owners, and the charges of open pushes')
    quota.loadSessions = async (): Promise<void> => {
      await this.#owners();
    };
  }

  /** Throws BLOB_TOO_LARGE when a blob of `total` bytes would exceed the limit. */
  checkSize(total: number): void {
    if (total > this.limits.maxBlobBytes) {
      throw new RegistryError("BLOB_TOO_LARGE", `blob would be ${total} bytes; this registry takes at most ${this.limits.maxBlobBytes} (maxBlobBytes)`);
    }
  }

  async #owners(): Promise<Map<string, Set<string>>> {
    if (this.#byOwner) return this.#byOwner;
    const m = new Map<string, Set<string>>();
    const charged: [string, string, number][] = [];
    for (const id of await this.list()) {
      try {
        const info = JSON.parse((await this.#driver.getContent(pathFor({ kind: "uploadInfo", id }))).toString("utf8")) as UploadInfo;
        const owner = info.owner ?? "";
        if (info.open) charged.push([id, owner, await this.#offset(id)]);
        m.set(owner, (m.get(owner) ?? new Set()).add(id));
      } catch {
        /* a half-created or vanished session: not counted */
      }
    }
    if (this.#byOwner) return this.#byOwner;
    this.#byOwner = m;
    for (const [id, owner, bytes] of charged) this.#quota.setSession(id, owner, bytes);
    return this.#byOwner;
  }

  #forget(id: string): void {
    this.#hashes.delete(id);
    this.#quota.dropSession(id);
    for (const s of this.#byOwner?.values() ?? []) s.delete(id);
  }

  static checkId(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id.slice(0, 100));
    return id;
  }

  /**
   * Opens a session. `open`: the push is allowed only because the default namespace is open (its bytes count to
   * `owner`'s quota); `declared`: the bytes the request says it brings (checked against that quota and the free disk
   * space before anything is written).
   */
  async create(repo: string, now: Date, owner = "", open = false, declared = 0): Promise<UploadStatus> {
    const owners = await this.#owners();
    await this.diskGuard(declared);
    if (open) {
      await this.#quota.load();
      this.#quota.check(owner, declared);
    }
    const mine = owners.get(owner) ?? new Set<string>();
    if (mine.size >= this.limits.maxSessionsPerUser) {
      throw new RegistryError("TOO_MANY_REQUESTS", `${owner || "this client"} already has ${mine.size} open upload sessions (maxUploadSessionsPerUser); finish or cancel some, or wait for them to expire`);
    }
    const id = randomUUID();
    mine.add(id);
    owners.set(owner, mine);
    const info: UploadInfo = { id, repo, startedAt: now.toISOString(), ...(owner ? { owner } : {}), ...(open ? { open: true as const } : {}) };
    try {
      const w = await this.#driver.writer(pathFor({ kind: "uploadData", id }), 0);
      await w.commit();
      await this.#driver.putContent(pathFor({ kind: "uploadOffset", id }), Buffer.from("0"));
      await this.#driver.putContent(pathFor({ kind: "uploadInfo", id }), Buffer.from(JSON.stringify(info)));
    } catch (err) {
      // e.g. a full disk: the session never existed, so it must not hold one of its owner's slots (nothing would
      // ever free it: the purge only visits sessions it can list) nor leave files behind
      this.#forget(id);
      await this.#driver.delete(pathFor({ kind: "uploadDir", id })).catch(() => undefined);
      throw err;
    }
    this.#hashes.set(id, { offset: 0, hash: newHash("sha256") });
    return { id, offset: 0 };
  }

  /** The session's info; a session of another repository, or opened by another address, is unknown (404). */
  async #info(repo: string, id: string, owner: string): Promise<UploadInfo> {
    UploadStore.checkId(id);
    let raw: Buffer;
    try {
      raw = await this.#driver.getContent(pathFor({ kind: "uploadInfo", id }));
    } catch (err) {
      if (err instanceof PathNotFoundError) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
      throw err;
    }
    const info = JSON.parse(raw.toString("utf8")) as UploadInfo;
    if (info.repo !== repo || (info.owner ?? "") !== owner) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
    return info;
  }

  /**
   * The acknowledged offset. After a process crash the data file may hold unacknowledged bytes past it
   * (discarded on the next write); after a power loss without fsync it may be shorter, and then only
   * what is on disk counts.
   */
  async #offset(id: string): Promise<number> {
    try {
      const n = Number((await this.#driver.getContent(pathFor({ kind: "uploadOffset", id }))).toString("utf8"));
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`corrupt upload offset for ${id}`);
      const size = (await this.#driver.stat(pathFor({ kind: "uploadData", id }))).size;
      return Math.min(n, size);
    } catch (err) {
      if (err instanceof PathNotFoundError) throw new RegistryError("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
      throw err;
    }
  }

  async status(repo: string, id: string, owner = ""): Promise<UploadStatus> {
    await this.#info(repo, id, owner);
    return { id, offset: await this.#offset(id) };
  }

  /** Appends a chunk. A chunk that does not start at the current offset is refused (416). */
  append(repo: string, id: string, owner: string, body: Readable, claim: ChunkClaim, opts: BodyOptions = {}): Promise<UploadStatus> {
    return this.#mutex.run(id, async () => {
      let info: UploadInfo;
      try {
        info = await this.#info(repo, id, owner);
      } catch (err) {
        body.resume();
        throw err;
      }
      const offset = await this.#offset(id);
      if (claim.start !== undefined && claim.start !== offset) {
        body.resume();
        throw new RegistryError("CHUNK_OUT_OF_ORDER", `chunk starts at ${claim.start}, expected ${offset}`, { offset });
      }
      const hash = await this.#hashAt(id, offset, "sha256");
      const written = await this.#write(info, offset, body, hash, claim.length, () => true, opts);
      const next = offset + written;
      await this.#driver.putContent(pathFor({ kind: "uploadOffset", id }), Buffer.from(String(next)));
      this.#hashes.set(id, { offset: next, hash });
      return { id, offset: next };
    });
  }

  /**
   * Appends an optional final chunk, verifies the whole upload against `digest` and hands the data
   * path to `commit` (which moves it into the blob store). On a digest mismatch the final chunk is
   * rolled back and the session is left as it was.
   */
  complete(
    repo: string,
    id: string,
    owner: string,
    digest: string,
    body: Readable | undefined,
    claim: ChunkClaim,
    commit: (dataPath: string, d: ParsedDigest, size: number, openPusher: string | undefined) => Promise<void>,
    opts: BodyOptions = {},
  ): Promise<{ digest: string; size: number }> {
    return this.#mutex.run(id, async () => {
      let d: ParsedDigest;
      try {
        d = parseDigest(digest);
      } catch (err) {
        body?.resume();
        throw err;
      }
      let info: UploadInfo;
      try {
        info = await this.#info(repo, id, owner);
      } catch (err) {
        body?.resume();
        throw err;
      }
      const offset = await this.#offset(id);
      if (claim.start !== undefined && claim.start !== offset) {
        body?.resume();
        throw new RegistryError("CHUNK_OUT_OF_ORDER", `chunk starts at ${claim.start}, expected ${offset}`, { offset });
      }
      // Only the sha256 state is kept: another algorithm re-reads the whole session once. If that digest is then
      // wrong the session is cancelled, so a tiny request cannot make the registry re-read a large upload again.
      const reread = d.algorithm !== "sha256" && offset > 0;
      const hash = await this.#hashAt(id, offset, d.algorithm);
      let size = offset;
      const verify = (): boolean => hash.copy().digest("hex") === d.hex;
      try {
        if (body) {
          size += await this.#write(info, offset, body, hash, claim.length, verify, opts);
        } else if (!verify()) {
          throw new RegistryError("DIGEST_INVALID", "provided digest did not match uploaded content", digest);
        }
      } catch (err) {
        if (reread && err instanceof RegistryError && err.kind === "DIGEST_INVALID") {
          this.#forget(id);
          await this.#driver.delete(pathFor({ kind: "uploadDir", id })).catch(() => undefined);
          throw new RegistryError("DIGEST_INVALID", `provided digest did not match uploaded content; the upload session is cancelled (a ${d.algorithm} digest is checked by re-reading the whole upload, once)`, digest);
        }
        throw err;
      }
      const dataPath = pathFor({ kind: "uploadData", id });
      await commit(dataPath, d, size, info.open ? owner : undefined);
      this.#forget(id);
      await this.#driver.delete(pathFor({ kind: "uploadDir", id })).catch(() => undefined);
      return { digest: d.value, size };
    });
  }

  cancel(repo: string, id: string, owner = ""): Promise<void> {
    return this.#mutex.run(id, async () => {
      await this.#info(repo, id, owner);
      this.#forget(id);
      await this.#driver.delete(pathFor({ kind: "uploadDir", id }));
    });
  }

  /** Ids of every live session (for GC and expiry). */
  async list(): Promise<string[]> {
    try {
      return (await this.#driver.list(pathFor({ kind: "uploadsRoot" }))).filter((n) => UPLOAD_ID.test(n));
    } catch (err) {
      if (err instanceof PathNotFoundError) return [];
      throw err;
    }
  }

  /**
   * Deletes sessions with no activity for `ttlMs`, or opened more than `maxAgeMs` ago; returns how many. A session
   * a request is using (its lock is held: a PATCH that may trickle for up to requestTimeoutSeconds) is skipped, to
   * be judged at the next round, so it never holds up the purge of the others.
   */
  async purgeExpired(now: Date, ttlMs: number, maxAgeMs = Number.MAX_SAFE_INTEGER): Promise<number> {
    let purged = 0;
    for (const id of await this.list()) {
      await this.#mutex.tryRun(id, async () => {
        let last: number;
        try {
          last = (await this.#driver.stat(pathFor({ kind: "uploadOffset", id }))).modTime.getTime();
        } catch (err) {
          if (!(err instanceof PathNotFoundError)) throw err;
          last = 0; // a half-created session
        }
        let started = last;
        try {
          started = Date.parse((JSON.parse((await this.#driver.getContent(pathFor({ kind: "uploadInfo", id }))).toString("utf8")) as UploadInfo).startedAt);
        } catch {
          /* no info: judged by its last activity */
        }
        if (now.getTime() - last < ttlMs && !(now.getTime() - started >= maxAgeMs)) return;
        this.#forget(id);
        await this.#driver.delete(pathFor({ kind: "uploadDir", id })).catch(() => undefined);
        purged++;
      }, undefined);
    }
    return purged;
  }

  /**
   * A hash of the first `offset` acknowledged bytes: a copy of the cached sha256 state (the cache itself is never
   * handed out, so a failed chunk leaves it valid), or rebuilt from disk (a sha256 rebuilt so is cached).
   */
  async #hashAt(id: string, offset: number, alg: DigestAlgorithm): Promise<Hash> {
    const cached = this.#hashes.get(id);
    if (alg === "sha256" && cached && cached.offset === offset) return cached.hash.copy();
    const hash = newHash(alg);
    if (offset > 0) {
      const r = await this.#driver.reader(pathFor({ kind: "uploadData", id }), 0, offset);
      for await (const chunk of r) hash.update(chunk as Buffer);
    }
    if (alg === "sha256") this.#hashes.set(id, { offset, hash: hash.copy() });
    return hash;
  }

  /**
   * Streams `body` into the data file at `offset`, hashing and counting; commits only if `accept()`. The bytes of a
   * session opened by an open push are charged to its owner's quota as they arrive (so concurrent uploads see each
   * other's), and the session's charge is set back to what is kept; every DISK_CHECK_BYTES the free space is checked.
   */
  async #write(
    info: UploadInfo,
    offset: number,
    body: Readable,
    hash: Hash,
    expected: number | undefined,
    accept: () => boolean,
    opts: BodyOptions,
  ): Promise<number> {
    const { id } = info;
    const owner = info.owner ?? "";
    const quota = info.open ? this.#quota : undefined;
    const guard = this.diskGuard;
    try {
      if (expected !== undefined) this.checkSize(offset + expected);
      await guard(expected ?? 0);
      if (quota) {
        await quota.load();
        quota.setSession(id, owner, offset);
        quota.check(owner, expected ?? 0);
      }
    } catch (err) {
      body.resume();
      throw err;
    }
    const max = this.limits.maxBlobBytes;
    const w = await this.#driver.writer(pathFor({ kind: "uploadData", id }), offset, { releaseChunks: opts.owned ?? false });
    let count = 0;
    let checkedAt = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb): void {
        count += chunk.length;
        if (offset + count > max) {
          cb(new RegistryError("BLOB_TOO_LARGE", `blob is larger than this registry takes (maxBlobBytes ${max})`));
          return;
        }
        if (expected !== undefined && count > expected) {
          cb(new RegistryError("SIZE_INVALID", `body is longer than the declared ${expected} bytes`));
          return;
        }
        try {
          quota?.growSession(id, owner, chunk.length);
        } catch (err) {
          cb(err as Error);
          return;
        }
        hash.update(chunk);
        if (count - checkedAt < DISK_CHECK_BYTES) {
          cb(null, chunk);
          return;
        }
        checkedAt = count;
        guard(0).then(() => cb(null, chunk), cb);
      },
    });
    try {
      await pipeline(body, meter, w.stream);
      if (expected !== undefined && count !== expected) {
        throw new RegistryError("SIZE_INVALID", `body has ${count} bytes, declared ${expected}`);
      }
      if (!accept()) throw new RegistryError("DIGEST_INVALID", "provided digest did not match uploaded content");
      await w.commit();
      quota?.setSession(id, owner, offset + count);
      return count;
    } catch (err) {
      // the chunk is rolled back to `offset`, where the cached hash state (never the one updated here) still is
      await w.cancel().catch(() => undefined);
      quota?.setSession(id, owner, offset);
      if (err instanceof RegistryError) throw err;
      throw new RegistryError("BLOB_UPLOAD_INVALID", `upload interrupted: ${(err as Error).message}`);
    }
  }
}
