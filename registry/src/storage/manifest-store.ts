import { PathNotFoundError, RegistryError } from "../errors.ts";
import { digestOf, parseDigest, type ParsedDigest } from "../digest.ts";
import { parseReference, validateTag } from "../names.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";
import type { BlobCas, BlobStore } from "./blob-store.ts";
import { parseManifest, type Descriptor } from "./manifest-parse.ts";
import type { TagStore } from "./tag-store.ts";
import type { SharedExclusiveLock } from "./locks.ts";
import type { OpenPushQuota } from "./open-quota.ts";

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Bytes of annotations (as JSON) a referrer descriptor carries; an annotation that would go beyond is left out. */
export const MAX_REFERRER_ANNOTATION_BYTES = 16 * 1024;
/** A page of the referrers API holds at most this many descriptors. */
export const REFERRERS_PAGE_ENTRIES = 100;

/** A referrers page: the descriptors, and the digest to continue after when more remain. */
export interface ReferrersPage {
  readonly manifests: Descriptor[];
  readonly next: string | undefined;
}

/**
 * The manifest's annotations, in order, as long as their JSON stays within MAX_REFERRER_ANNOTATION_BYTES (a larger
 * one is left out, and the others still fit); undefined when there are none.
 */
export function boundedAnnotations(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const out: Record<string, string> = {};
  let bytes = 2;
  for (const [k, v] of Object.entries(annotations)) {
    if (typeof v !== "string") continue;
    const size = Buffer.byteLength(JSON.stringify(k)) + Buffer.byteLength(JSON.stringify(v)) + 2;
    if (bytes + size > MAX_REFERRER_ANNOTATION_BYTES) continue;
    out[k] = v;
    bytes += size;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

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
  /** An existing tag may not be moved to another manifest (a push allowed only by an open default namespace). */
  readonly keepExistingTags?: boolean;
  /** The account of a push allowed only by an open default namespace: new manifest bytes count to its quota. */
  readonly openPusher?: string;
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
  readonly #quota: OpenPushQuota;

  constructor(driver: StorageDriver, cas: BlobCas, name: string, blobs: BlobStore, tags: TagStore, gcLock: SharedExclusiveLock, quota: OpenPushQuota) {
    this.#quota = quota;
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
    const openPusher = opts.openPusher;
    if (openPusher !== undefined) await this.#quota.load();
    return this.#gcLock.shared(async () => {
      if (opts.keepExistingTags) {
        for (const t of tags) {
          const current = await this.#tags.get(t);
          if (current !== undefined && current !== digest.value) {
            throw new RegistryError("DENIED", `requested access to the resource is denied: tag ${JSON.stringify(t)} of ${this.#name} already names ${current}; in an open default namespace only the namespace's owner and members may move a tag (others may add new tags)`);
          }
        }
      }
      if (!opts.allowSparse) {
        for (const b of parsed.blobs) {
          if (!(await this.#blobs.exists(b))) throw new RegistryError("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", b);
        }
        for (const m of parsed.manifests) {
          if (!(await this.exists(m))) throw new RegistryError("MANIFEST_BLOB_UNKNOWN", "manifest unknown to registry", m);
        }
      }
      // new bytes of an open push are held against its quota (DENIED before anything is written), then charged
      const hold = openPusher !== undefined && !(await this.#cas.stat(digest)) ? this.#quota.hold(openPusher, bytes.length) : undefined;
      try {
        await this.#cas.putContent(digest, bytes);
        if (hold && openPusher !== undefined) await this.#quota.chargeStored(openPusher, digest, bytes.length);
      } finally {
        hold?.release();
      }
      const link: RevisionLink = { digest: digest.value, mediaType: parsed.mediaType, size: bytes.length };
      await this.#driver.putContent(this.#revisionPath(digest), Buffer.from(JSON.stringify(link)));
      if (parsed.subject) {
        const s = parseDigest(parsed.subject.digest);
        const desc: { -readonly [K in keyof Descriptor]: Descriptor[K] } = {
          mediaType: parsed.mediaType,
          digest: digest.value,
          size: bytes.length,
          ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
        };
        const annotations = boundedAnnotations(parsed.annotations);
        if (annotations) desc.annotations = annotations;
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
   * points to it and its referrer entry. Returns the tags that were removed. `beforeRemoving` is told the tags a
   * delete by digest will remove before anything is removed, and may refuse the delete by throwing.
   */
  async delete(reference: string, opts: { beforeRemoving?: (tags: readonly string[]) => void } = {}): Promise<{ digest: string; tags: string[] }> {
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
      subject = parseManifest(await this.#cas.getContent(d), rev.mediaType, { stored: true }).subject?.digest;
    } catch {
      subject = undefined;
    }
    const pointing: string[] = [];
    for (const t of await this.#tags.all()) if ((await this.#tags.get(t)) === d.value) pointing.push(t);
    opts.beforeRemoving?.(pointing);
    const removed: string[] = [];
    for (const t of pointing) {
      if ((await this.#tags.get(t)) !== d.value) continue; // re-tagged meanwhile: no longer this manifest's
      await this.#tags.delete(t);
      removed.push(t);
    }
    if (subject) {
      const s = parseDigest(subject);
      const p = pathFor({ kind: "referrerLink", name: this.#name, alg: s.algorithm, hex: s.hex, refAlg: d.algorithm, refHex: d.hex });
      await this.#driver.delete(p).catch(() => undefined);
    }
    await this.#driver.delete(pathFor({ kind: "revisionDir", name: this.#name, alg: d.algorithm, hex: d.hex }));
    return { digest: d.value, tags: removed };
  }

  /**
   * One page of the descriptors of manifests whose `subject` is `digest` (optionally only those of an
   * artifactType), in digest order, after the referrer digest `after`: at most `limit` of them. Only the referrer
   * names are listed for the whole subject; descriptors are read for the page alone (and, with a filter, for the
   * ones it skips). Annotations stay within MAX_REFERRER_ANNOTATION_BYTES, also for entries stored before that cap.
   */
  async referrers(digest: string, artifactType: string | undefined, after?: string, limit = REFERRERS_PAGE_ENTRIES): Promise<ReferrersPage> {
    const s = parseDigest(digest);
    const dir = pathFor({ kind: "referrersDir", name: this.#name, alg: s.algorithm, hex: s.hex });
    const names: string[] = [];
    try {
      for (const alg of await this.#driver.list(dir)) {
        for (const hex of await this.#driver.list(`${dir}/${alg}`)) names.push(`${alg}:${hex}`);
      }
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: Descriptor[] = [];
    for (const name of names) {
      if (after !== undefined && name <= after) continue;
      if (out.length === limit) return { manifests: out, next: out.at(-1)?.digest };
      const r = parseDigest(name);
      let desc: Descriptor;
      try {
        desc = JSON.parse((await this.#driver.getContent(pathFor({ kind: "referrerLink", name: this.#name, alg: s.algorithm, hex: s.hex, refAlg: r.algorithm, refHex: r.hex }))).toString("utf8")) as Descriptor;
      } catch (err) {
        if (err instanceof PathNotFoundError) continue; // deleted while listing
        throw err;
      }
      if (artifactType !== undefined && desc.artifactType !== artifactType) continue;
      const { annotations, ...rest } = desc;
      const bounded = boundedAnnotations(annotations);
      out.push(bounded ? { ...rest, annotations: bounded } : rest);
    }
    return { manifests: out, next: undefined };
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
