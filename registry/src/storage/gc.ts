import { PathNotFoundError } from "../errors.ts";
import { parseDigest } from "../digest.ts";
import { pathFor } from "./paths.ts";
import { parseManifest } from "./manifest-parse.ts";
import type { RegistryStore } from "./registry-store.ts";

export interface GcOptions {
  /** Blobs younger than this (by write time or last push reference) are never deleted. */
  readonly graceMs: number;
  readonly now: Date;
  /** Upload sessions idle for this long are purged. */
  readonly uploadTtlMs: number;
  readonly dryRun?: boolean;
}

export interface GcReport {
  readonly marked: number;
  readonly deleted: readonly string[];
  readonly keptYoung: number;
  readonly bytesFreed: number;
  readonly uploadsPurged: number;
}

/**
 * Online mark and sweep. Mark: every manifest revision in every repository, plus what it references.
 * Sweep (under the exclusive GC lock, so no push can link a blob mid-sweep): each unmarked blob that is
 * older than the grace period and was not referenced by a push within it is unlinked from every
 * repository and deleted. Upload sessions live outside the blob store and are never swept here,
 * except sessions idle past the upload TTL.
 */
export async function collectGarbage(store: RegistryStore, opts: GcOptions): Promise<GcReport> {
  const marked = new Set<string>();
  const repos = await store.catalog();
  for (const name of repos) {
    const repo = store.repository(name);
    for (const digest of await repo.manifests.allDigests()) {
      marked.add(digest);
      try {
        const d = parseDigest(digest);
        const rev = await repo.manifests.stat(digest);
        const m = parseManifest(await store.cas.getContent(d), rev.mediaType, { stored: true });
        for (const b of m.blobs) marked.add(b);
        for (const c of m.manifests) marked.add(c);
      } catch (err) {
        if (!(err instanceof PathNotFoundError)) throw err;
      }
    }
  }
  const cutoff = opts.now.getTime() - opts.graceMs;
  const deleted: string[] = [];
  let keptYoung = 0;
  let bytesFreed = 0;
  await store.gcLock.exclusive(async () => {
    const candidates: { digest: string; size: number }[] = [];
    try {
      await store.driver.walk(pathFor({ kind: "blobsRoot" }), (info) => {
        const m = /^\/blobs\/(sha256|sha512)\/[0-9a-f]{2}\/([0-9a-f]+)\/data$/.exec(info.path);
        if (!m) return;
        const digest = `${m[1]}:${m[2]}`;
        if (marked.has(digest)) return;
        const touched = store.access.lastTouched(digest) ?? 0;
        if (info.modTime.getTime() > cutoff || touched > cutoff) {
          keptYoung++;
          return;
        }
        candidates.push({ digest, size: info.size });
      });
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
    }
    if (opts.dryRun) {
      deleted.push(...candidates.map((c) => c.digest));
      return;
    }
    const doomed = new Set(candidates.map((c) => c.digest));
    for (const name of repos) {
      for (const digest of doomed) {
        const d = parseDigest(digest);
        const link = pathFor({ kind: "layerDir", name, alg: d.algorithm, hex: d.hex });
        await store.driver.delete(link).catch((err: unknown) => {
          if (!(err instanceof PathNotFoundError)) throw err;
        });
      }
    }
    for (const c of candidates) {
      const d = parseDigest(c.digest);
      const dir = pathFor({ kind: "blobData", alg: d.algorithm, hex: d.hex }).replace(/\/data$/, "");
      await store.driver.delete(dir).catch((err: unknown) => {
        if (!(err instanceof PathNotFoundError)) throw err;
      });
      store.openQuota.forgetStored(c.digest);
      deleted.push(c.digest);
      bytesFreed += c.size;
    }
    store.access.forgetBefore(cutoff);
  });
  const uploadsPurged = opts.dryRun ? 0 : await store.uploads.purgeExpired(opts.now, opts.uploadTtlMs);
  return { marked: marked.size, deleted, keptYoung, bytesFreed, uploadsPurged };
}
