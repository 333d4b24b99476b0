import { PathNotFoundError, RegistryError } from "../errors.ts";
import type { ParsedDigest } from "../digest.ts";
import type { StorageDriver } from "./driver.ts";
import type { SharedExclusiveLock } from "./locks.ts";
import { pathFor } from "./paths.ts";

/** What one charge holds: whose it is and how many bytes. */
interface Charge {
  readonly account: string;
  bytes: number;
}

/** A hold on quota for bytes about to be stored; release() gives it back. */
export interface QuotaHold {
  release(): void;
}

const PUSHER_PATH = /^\/blobs\/(sha256|sha512)\/[0-9a-f]{2}\/([0-9a-f]+)\/(data|pusher)$/;

/**
 * The bytes each account holds in the store only because the default namespace is open (config
 * `openPushQuotaBytes`): its upload sessions opened by such a push (bytes as they stream in), plus every blob and
 * manifest such a push brought into the content store (content that was already there costs nothing). A stored
 * charge is a `pusher` file next to the blob's data, so GC, which removes the blob's directory, removes it too and
 * tells this ledger (forgetStored); the ledger is read from those files once (one walk of /blobs, under the GC
 * lock) before the first open push, and the session charges are rebuilt with the sessions (UploadStore).
 * Pushes by the namespace's owner and members are never charged.
 */
export class OpenPushQuota {
  readonly #driver: StorageDriver;
  readonly #gcLock: SharedExclusiveLock;
  /** Bytes one account may hold through open pushes. */
  limitBytes = Number.MAX_SAFE_INTEGER;
  readonly #used = new Map<string, number>();
  /** Upload sessions (and short-lived holds) by id. */
  readonly #sessions = new Map<string, Charge>();
  /** Stored blobs and manifests by digest. */
  readonly #stored = new Map<string, Charge>();
  #loading: Promise<void> | undefined;
  #holds = 0;
  /** Charges the upload sessions left by an earlier run (set by the UploadStore that shares this ledger). */
  loadSessions: () => Promise<void> = () => Promise.resolve();

  constructor(driver: StorageDriver, gcLock: SharedExclusiveLock) {
    this.#driver = driver;
    this.#gcLock = gcLock;
  }

  /** Bytes `account` holds through open pushes. */
  used(account: string): number {
    return this.#used.get(account) ?? 0;
  }

  #add(account: string, n: number): void {
    const v = this.used(account) + n;
    if (v === 0) this.#used.delete(account);
    else this.#used.set(account, v);
  }

  /** Throws DENIED when `more` bytes would take `account` over its quota. */
  check(account: string, more: number): void {
    const used = this.used(account);
    if (used + more <= this.limitBytes) return;
    throw new RegistryError(
      "DENIED",
      `requested access to the resource is denied: ${account || "this client"} holds ${used} bytes pushed to the open default namespace (uploads in progress and content it stored there), and ${more} more would exceed its quota of ${this.limitBytes} bytes (openPushQuotaBytes); only the namespace's owner and members may push beyond it`,
    );
  }

  /** Charges `n` more bytes to session `id` of `account`, or throws DENIED and charges nothing. */
  growSession(id: string, account: string, n: number): void {
    this.check(account, n);
    const c = this.#sessions.get(id) ?? { account, bytes: 0 };
    c.bytes += n;
    this.#sessions.set(id, c);
    this.#add(account, n);
  }

  /** Sets session `id`'s charge to `bytes` (its acknowledged bytes, after a chunk is kept or rolled back). */
  setSession(id: string, account: string, bytes: number): void {
    this.dropSession(id);
    this.#sessions.set(id, { account, bytes });
    this.#add(account, bytes);
  }

  dropSession(id: string): void {
    const c = this.#sessions.get(id);
    if (!c) return;
    this.#sessions.delete(id);
    this.#add(c.account, -c.bytes);
  }

  /** Holds `n` bytes of `account`'s quota (DENIED if over) until released: taken before a write, in one step. */
  hold(account: string, n: number): QuotaHold {
    const id = `hold-${this.#holds++}`;
    this.growSession(id, account, n);
    return { release: () => this.dropSession(id) };
  }

  /** Reads the stored charges from the `pusher` files, once (again after a failure), and the sessions' charges. */
  async load(): Promise<void> {
    await this.loadSessions();
    this.#loading ??= this.#gcLock.shared(async () => {
      const sizes = new Map<string, number>();
      const pushers = new Map<string, string>();
      try {
        await this.#driver.walk(pathFor({ kind: "blobsRoot" }), async (info) => {
          const m = PUSHER_PATH.exec(info.path);
          if (!m) return;
          const digest = `${m[1]}:${m[2]}`;
          if (m[3] === "data") sizes.set(digest, info.size);
          else pushers.set(digest, (await this.#driver.getContent(info.path)).toString("utf8"));
        });
      } catch (err) {
        if (!(err instanceof PathNotFoundError)) throw err;
      }
      // a charge made while this walk ran is replaced by the same one (#setStored is keyed by digest)
      for (const [digest, account] of pushers) {
        const size = sizes.get(digest);
        if (size !== undefined) this.#setStored(digest, account, size);
      }
    }).catch((err: unknown) => {
      this.#loading = undefined;
      throw err;
    });
    await this.#loading;
  }

  #setStored(digest: string, account: string, bytes: number): void {
    this.forgetStored(digest);
    this.#stored.set(digest, { account, bytes });
    this.#add(account, bytes);
  }

  /**
   * Records that an open push by `account` brought `d` (`size` bytes) into the content store. Called under the GC
   * lock (shared), right after the content is stored, so no sweep runs in between.
   */
  async chargeStored(account: string, d: ParsedDigest, size: number): Promise<void> {
    await this.#driver.putContent(pathFor({ kind: "blobPusher", alg: d.algorithm, hex: d.hex }), Buffer.from(account));
    this.#setStored(d.value, account, size);
  }

  /** GC removed `digest` from the content store (its `pusher` file with it): its charge ends. */
  forgetStored(digest: string): void {
    const c = this.#stored.get(digest);
    if (!c) return;
    this.#stored.delete(digest);
    this.#add(c.account, -c.bytes);
  }
}
