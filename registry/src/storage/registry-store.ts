import { PathNotFoundError } from "../errors.ts";
import type { ParsedDigest } from "../digest.ts";
import { validateName } from "../names.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";
import { AccessLog, BlobCas, BlobStore } from "./blob-store.ts";
import { ManifestStore } from "./manifest-store.ts";
import { TagStore } from "./tag-store.ts";
import { UploadStore } from "./upload-store.ts";
import { SharedExclusiveLock } from "./locks.ts";
import { OpenPushQuota } from "./open-quota.ts";

/** One repository, as the HTTP handlers see it. */
export interface Repository {
  readonly name: string;
  readonly blobs: BlobStore;
  readonly manifests: ManifestStore;
  readonly tags: TagStore;
  /** True once anything was ever pushed to it. */
  exists(): Promise<boolean>;
}

/**
 * The storage namespace (house rule 13): handlers get repositories and the upload store from here
 * and never see the driver.
 */
export class RegistryStore {
  readonly driver: StorageDriver;
  readonly cas: BlobCas;
  readonly uploads: UploadStore;
  readonly access = new AccessLog();
  readonly gcLock = new SharedExclusiveLock();
  /** What each account stores only because the default namespace is open (config openPushQuotaBytes). */
  readonly openQuota: OpenPushQuota;
  readonly #now: () => number;

  constructor(driver: StorageDriver, now: () => number = () => Date.now()) {
    this.driver = driver;
    this.cas = new BlobCas(driver);
    this.openQuota = new OpenPushQuota(driver, this.gcLock);
    this.uploads = new UploadStore(driver, this.openQuota);
    this.#now = now;
  }

  repository(name: string): Repository {
    validateName(name);
    const driver = this.driver;
    const blobs = new BlobStore(driver, this.cas, name, this.access, this.#now, this.gcLock, this.uploads, (d) => this.#linkedAnywhere(d), this.openQuota);
    const tags = new TagStore(driver, name);
    const manifests = new ManifestStore(driver, this.cas, name, blobs, tags, this.gcLock, this.openQuota);
    return {
      name,
      blobs,
      manifests,
      tags,
      // As in catalog(): a repository is a directory holding `_manifests` or `_layers`, not a mere parent of one
      // (`acme/deep` when only `acme/deep/child` was pushed).
      exists: async (): Promise<boolean> => {
        for (const dir of ["_manifests", "_layers"]) {
          try {
            await driver.stat(`${pathFor({ kind: "repository", name })}/${dir}`);
            return true;
          } catch (err) {
            if (!(err instanceof PathNotFoundError)) throw err;
          }
        }
        return false;
      },
    };
  }

  /**
   * Every repository name, sorted. A repository is a directory holding `_manifests` or `_layers`. Only the name
   * directories are listed (one `list` each): nothing under a `_` directory is visited, so the cost follows the number
   * of repositories, not of their links and tags (the catalog is anonymous by default).
   */
  async catalog(): Promise<string[]> {
    const names: string[] = [];
    const visit = async (dir: string, name: string): Promise<void> => {
      let children: string[];
      try {
        children = await this.driver.list(dir);
      } catch (err) {
        if (err instanceof PathNotFoundError) return; // none yet, or removed while listing
        throw err;
      }
      if (name !== "" && children.some((c) => c === "_manifests" || c === "_layers")) names.push(name);
      // name components start with [a-z0-9]: a `_` child is the repository's own data
      for (const c of children) if (!c.startsWith("_")) await visit(`${dir}/${c}`, name === "" ? c : `${name}/${c}`);
    };
    await visit(pathFor({ kind: "repositoriesRoot" }), "");
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Whether any repository links the blob as a blob: one stat per repository (as catalog(), the cost follows them). */
  async #linkedAnywhere(d: ParsedDigest): Promise<boolean> {
    for (const name of await this.catalog()) if (await this.repository(name).blobs.isLinked(d)) return true;
    return false;
  }

  /** The driver's name, for /health (the driver itself stays inside storage/). */
  get driverName(): string {
    return this.driver.name;
  }

  /** Storage health: the driver answers a stat of its root. */
  async healthy(): Promise<boolean> {
    try {
      await this.driver.stat("/");
      return true;
    } catch (err) {
      return err instanceof PathNotFoundError;
    }
  }
}
