import { PathNotFoundError, RegistryError } from "../errors.ts";
import { digestOf, parseDigest, type ParsedDigest } from "../digest.ts";
import { parseReference, validateTag } from "../names.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";
import type { BlobCas, BlobStore } from "./blob-store.ts";
import { parseManifest, type Descriptor } from "./manifest-parse.ts";
import type { TagStore } from "./tag-store.ts";
import type { SharedExclusiveLock } from "./locks.ts";

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly bytes: Buffer;
}

export interface PutManifestResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly subject: string | undefined;
  /** Tags now pointing at the manifest: the reference when it is a tag, plus every `?tag=` of a push by digest. */
  readonly tags: readonly string[];
}

export interface PutManifestOptions {
  /** Extra tags to point at the manifest (distribution-spec v1.1 `?tag=` parameters). */
  readonly tags?: readonly string[];
  /** Accept a manifest whose referenced blobs or child manifests are not in the repository (off by default). */
  readonly allowSparse?: boolean;
}

interface RevisionLink {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** Manifests of one repository, stored byte-exact in the global CAS and linked as revisions. */
export class ManifestStore {
  readonly #driver: StorageDriver;
  readonly #cas: BlobCas;
  readonly #name: string;
  readonly #blobs: BlobStore;
  readonly #tags: TagStore;
  readonly #gcLock: SharedExclusiveLock;

  constructor(driver: StorageDriver, cas: BlobCas, name: string, blobs: BlobStore, tags: TagStore, gcLock: SharedExclusiveLock) {
    this.#driver = driver;
    this.#cas = cas;
    this.#name = name;
    this.#blobs = blobs;
    this.#tags = tags;
    this.#gcLock = gcLock;
  }

  #revisionPath(d: ParsedDigest): string {
    return pathFor({ kind: "revisionLink", name: this.#name, alg: d.algorithm, hex: d.hex });
  }

  async #revision(d: ParsedDigest): Promise<RevisionLink | undefined> {
    try {
      return JSON.parse((await this.#driver.getContent(this.#revisionPath(d))).toString("utf8")) as RevisionLink;
    } catch (err) {
      if (err instanceof PathNotFoundError) return undefined;
      throw err;
    }
  }

  async #resolve(reference: string): Promise<ParsedDigest> {
    const ref = parseReference(reference);
    if (ref.kind === "digest") return ref.digest;
    const digest = await this.#tags.get(ref.tag);
    if (!digest) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown to registry", reference);
    return parseDigest(digest);
  }

  /** Descriptor only (for HEAD). */
  async stat(reference: string): Promise<Omit<StoredManifest, "bytes">> {
    const d = await this.#resolve(reference);
    const rev = await this.#revision(d);
    if (!rev) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown to registry", reference);
    return { digest: d.value, mediaType: rev.mediaType, size: rev.size };
  }

  async get(reference: string): Promise<StoredManifest> {
    const meta = await this.stat(reference);
    try {
      const bytes = await this.#cas.getContent(parseDigest(meta.digest));
      return { ...meta, bytes };
    } catch (err) {
      if (err instanceof PathNotFoundError) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown to registry", reference);
      throw err;
    }
  }

  async exists(digest: string): Promise<boolean> {
    return (await this.#revision(parseDigest(digest))) !== undefined;
  }

  /** Validates and stores `bytes` under `reference` (a tag or the bytes' digest). Nothing is written unless all checks pass. */
  async put(reference: string, bytes: Buffer, contentType: string | undefined, opts: PutManifestOptions = {}): Promise<PutManifestResult> {
    const ref = parseReference(reference);
    const tags = [...new Set([...(ref.kind === "tag" ? [ref.tag] : []), ...(opts.tags ?? []).map((t) => validateTag(t))])];
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new RegistryError("MANIFEST_TOO_LARGE", `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    const alg = ref.kind === "digest" ? ref.digest.algorithm : "sha256";
    const digest = parseDigest(digestOf(bytes, alg));
    if (ref.kind === "digest" && ref.digest.value !== digest.value) {
      throw new RegistryError("DIGEST_INVALID", "manifest digest does not match its content", ref.digest.value);
    }
    const parsed = parseManifest(bytes, contentType);
    return this.#gcLock.shared(async () => {
      if (!opts.allowSparse) {
        for (const b of parsed.blobs) {
          if (!(await this.#blobs.exists(b))) throw new RegistryError("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", b);
        }
        for (const m of parsed.manifests) {
          if (!(await this.exists(m))) throw new RegistryError("MANIFEST_BLOB_UNKNOWN", "manifest unknown to registry", m);
        }
      }
      await this.#cas.putContent(digest, bytes);
      const link: RevisionLink = { digest: digest.value, mediaType: parsed.mediaType, size: bytes.length };
      await this.#driver.putContent(this.#revisionPath(digest), Buffer.from(JSON.stringify(link)));
      if (parsed.subject) {
        const s = parseDigest(parsed.subject.digest);
        const desc: Descriptor = {
          mediaType: parsed.mediaType,
          digest: digest.value,
          size: bytes.length,
          ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
          ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
        };
        const p = pathFor({ kind: "referrerLink", name: this.#name, alg: s.algorithm, hex: s.hex, refAlg: digest.algorithm, refHex: digest.hex });
        await this.#driver.putContent(p, Buffer.from(JSON.stringify(desc)));
      }
      for (const t of tags) await this.#tags.set(t, digest.value);
      return {
        digest: digest.value,
        mediaType: parsed.mediaType,
        size: bytes.length,
        subject: parsed.subject?.digest,
        tags,
      };
    });
  }

  /**
   * DELETE by tag removes only the tag. DELETE by digest removes the revision, every tag that
   * points to it and its referrer entry. Returns the tags that were removed.
   */
  async delete(reference: string): Promise<{ digest: string; tags: string[] }> {
    const ref = parseReference(reference);
    if (ref.kind === "tag") {
      const digest = await this.#tags.get(ref.tag);
      if (!digest) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown to registry", reference);
      await this.#tags.delete(ref.tag);
      return { digest, tags: [ref.tag] };
    }
    const d = ref.digest;
    const rev = await this.#revision(d);
    if (!rev) throw new RegistryError("MANIFEST_UNKNOWN", "manifest unknown to registry", reference);
    let subject: string | undefined;
    try {
      subject = parseManifest(await this.#cas.getContent(d), rev.mediaType).subject?.digest;
    } catch {
      subject = undefined;
    }
    const removed: string[] = [];
    for (const t of await this.#tags.all()) {
      if ((await this.#tags.get(t)) === d.value) {
        await this.#tags.delete(t);
        removed.push(t);
      }
    }
    if (subject) {
      const s = parseDigest(subject);
      const p = pathFor({ kind: "referrerLink", name: this.#name, alg: s.algorithm, hex: s.hex, refAlg: d.algorithm, refHex: d.hex });
      await this.#driver.delete(p).catch(() => undefined);
    }
    await this.#driver.delete(pathFor({ kind: "revisionDir", name: this.#name, alg: d.algorithm, hex: d.hex }));
    return { digest: d.value, tags: removed };
  }

  /** Descriptors of manifests whose `subject` is `digest`, optionally filtered by artifactType. */
  async referrers(digest: string, artifactType: string | undefined): Promise<Descriptor[]> {
    const s = parseDigest(digest);
    const dir = pathFor({ kind: "referrersDir", name: this.#name, alg: s.algorithm, hex: s.hex });
    const out: Descriptor[] = [];
    try {
      await this.#driver.walk(dir, async (info) => {
        const desc = JSON.parse((await this.#driver.getContent(info.path)).toString("utf8")) as Descriptor;
        if (artifactType === undefined || desc.artifactType === artifactType) out.push(desc);
      });
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
    }
    return out;
  }

  /** Every manifest digest in this repository (for GC marking). */
  async allDigests(): Promise<string[]> {
    const out: string[] = [];
    try {
      await this.#driver.walk(pathFor({ kind: "revisionsRoot", name: this.#name }), async (info) => {
        if (!info.path.endsWith("/link")) return;
        const rev = JSON.parse((await this.#driver.getContent(info.path)).toString("utf8")) as RevisionLink;
        out.push(rev.digest);
      });
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
    }
    return out;
  }
}
