import { RegistryError } from "../errors.ts";
import { splitNamespace } from "../names.ts";
import { MAX_MANIFEST_BYTES } from "../storage/manifest-store.ts";
import { readBody, send, type RepoContext } from "./context.ts";

const MAX_TAG_PARAMS = 32;

/** GET/HEAD /v2/<name>/manifests/<reference>: the exact bytes that were pushed. */
export async function getManifest(ctx: RepoContext, reference: string, head: boolean): Promise<void> {
  const headers = (m: { digest: string; mediaType: string; size: number }): Record<string, string | number> => ({
    "Content-Type": m.mediaType,
    "Docker-Content-Digest": m.digest,
    "Content-Length": m.size,
    ETag: `"${m.digest}"`,
  });
  if (head) {
    const m = await ctx.repo.manifests.stat(reference);
    send(ctx.res, 200, headers(m));
    return;
  }
  const m = await ctx.repo.manifests.get(reference);
  send(ctx.res, 200, headers(m), m.bytes);
}

function pusherOf(ctx: RepoContext): string {
  return ctx.identity.kind === "account" ? ctx.identity.address : "";
}

/** Runs a hook after the response, never letting it fail or delay the request. */
function afterResponse(ctx: RepoContext, fn: () => void): void {
  setImmediate(() => {
    try {
      fn();
    } catch (err) {
      ctx.log.warn({ err }, "tag recorder hook threw");
    }
  });
}

/** PUT /v2/<name>/manifests/<reference>. */
export async function putManifest(ctx: RepoContext, reference: string): Promise<void> {
  const bytes = await readBody(ctx.req, MAX_MANIFEST_BYTES, () => new RegistryError("MANIFEST_TOO_LARGE", `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`));
  // distribution-spec v1.1: a push by digest may name tags with `?tag=` (at most MAX_TAG_PARAMS of them)
  const tagParams = ctx.url.searchParams.getAll("tag");
  if (tagParams.length > MAX_TAG_PARAMS) throw new RegistryError("TAG_INVALID", `at most ${MAX_TAG_PARAMS} tag parameters per push`);
  const r = await ctx.repo.manifests.put(reference, bytes, ctx.req.headers["content-type"], { tags: tagParams, allowSparse: ctx.sparseManifests });
  const headers: Record<string, string> = {
    Location: `/v2/${ctx.repo.name}/manifests/${r.digest}`,
    "Docker-Content-Digest": r.digest,
  };
  if (r.subject) headers["OCI-Subject"] = r.subject;
  if (tagParams.length > 0) headers["OCI-Tag"] = r.tags.join(",");
  send(ctx.res, 201, headers);
  const { namespace, repo } = splitNamespace(ctx.repo.name, ctx.defaultNamespace);
  for (const tag of ctx.recordTags ? r.tags : []) {
    afterResponse(ctx, () => ctx.tagRecorder.recordTag({ namespace, repo, tag, digest: r.digest, mediaType: r.mediaType, size: r.size, pusher: pusherOf(ctx) }));
  }
}

/** DELETE /v2/<name>/manifests/<reference>: by tag removes the tag; by digest the manifest and its tags. */
export async function deleteManifest(ctx: RepoContext, reference: string): Promise<void> {
  const r = await ctx.repo.manifests.delete(reference);
  send(ctx.res, 202);
  const { namespace, repo } = splitNamespace(ctx.repo.name, ctx.defaultNamespace);
  for (const tag of ctx.recordTags ? r.tags : []) {
    afterResponse(ctx, () => ctx.tagRecorder.deleteTag({ namespace, repo, tag, digest: r.digest, pusher: pusherOf(ctx) }));
  }
}
