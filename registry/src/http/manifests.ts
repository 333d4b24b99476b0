import { RegistryError } from "../errors.ts";
import { looksLikeDigest } from "../digest.ts";
import { splitNamespace } from "../names.ts";
import { MAX_MANIFEST_BYTES } from "../storage/manifest-store.ts";
import { parseManifest } from "../storage/manifest-parse.ts";
import type { TagReservation } from "../hooks.ts";
import { readBody, refuseOpenPushDelete, send, type RepoContext } from "./context.ts";

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

/** Runs a hook before the response, never letting it fail the request. */
function hook(ctx: RepoContext, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    ctx.log.warn({ err }, "tag recorder hook threw");
  }
}

/**
 * Takes room in the recorder's queue for the change's tag records before anything is stored, or refuses the change
 * (503). The room is held until the request has queued its records or failed, so concurrent pushes at the cap's
 * edge cannot together queue more than it.
 */
function reserveRoom(ctx: RepoContext, tags: readonly string[]): TagReservation | undefined {
  if (!ctx.recordTags || tags.length === 0) return undefined;
  const { namespace, repo } = splitNamespace(ctx.repo.name, ctx.defaultNamespace);
  const held = ctx.tagRecorder.reserve(namespace, tags.map((tag) => ({ repo, tag })));
  if (held === undefined) {
    throw new RegistryError("UNAVAILABLE", "the queue of tag records waiting for the chain is full; retry later").withHeaders({ "Retry-After": "30" });
  }
  return held;
}

/** Waits until the queued records are durable; a failure is logged (the push itself is stored). */
async function flushed(ctx: RepoContext): Promise<void> {
  try {
    await ctx.tagRecorder.flush();
  } catch (err) {
    ctx.log.warn({ err }, "tag recorder flush failed");
  }
}

/**
 * A push allowed only because the default namespace is open may not carry a `subject`: a referrer attaches itself
 * to the subject's digest, which may be what the namespace's owner pushed and recorded (its signatures, SBOMs and
 * attestations, as the referrers API lists them), and an open push cannot show the subject is its own.
 */
function refuseOpenPushSubject(ctx: RepoContext, bytes: Buffer): void {
  if (!ctx.openPush) return;
  const subject = parseManifest(bytes, ctx.req.headers["content-type"]).subject;
  if (subject === undefined) return;
  throw new RegistryError("DENIED", `requested access to the resource is denied: in an open default namespace only the namespace's owner and members may push a manifest with a subject (a referrer of ${subject.digest})`);
}

/** PUT /v2/<name>/manifests/<reference>. */
export async function putManifest(ctx: RepoContext, reference: string): Promise<void> {
  const bytes = await readBody(ctx.req, MAX_MANIFEST_BYTES, () => new RegistryError("MANIFEST_TOO_LARGE", `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`));
  // distribution-spec v1.1: a push by digest may name tags with `?tag=` (at most MAX_TAG_PARAMS of them)
  const tagParams = ctx.url.searchParams.getAll("tag");
  if (tagParams.length > MAX_TAG_PARAMS) throw new RegistryError("TAG_INVALID", `at most ${MAX_TAG_PARAMS} tag parameters per push`);
  refuseOpenPushSubject(ctx, bytes);
  const held = reserveRoom(ctx, looksLikeDigest(reference) ? tagParams : [reference, ...tagParams]);
  try {
    const r = await ctx.repo.manifests.put(reference, bytes, ctx.req.headers["content-type"], { tags: tagParams, allowSparse: ctx.sparseManifests, keepExistingTags: ctx.openPush, ...(ctx.openPush ? { openPusher: pusherOf(ctx) } : {}) });
    const headers: Record<string, string> = {
      Location: `/v2/${ctx.repo.name}/manifests/${r.digest}`,
      "Docker-Content-Digest": r.digest,
    };
    if (r.subject) headers["OCI-Subject"] = r.subject;
    if (tagParams.length > 0) headers["OCI-Tag"] = r.tags.join(",");
    const { namespace, repo } = splitNamespace(ctx.repo.name, ctx.defaultNamespace);
    for (const tag of ctx.recordTags ? r.tags : []) {
      hook(ctx, () => ctx.tagRecorder.recordTag({ namespace, repo, tag, digest: r.digest, mediaType: r.mediaType, size: r.size, pusher: pusherOf(ctx) }));
    }
    held?.release();
    if (ctx.recordTags && r.tags.length > 0) await flushed(ctx);
    send(ctx.res, 201, headers);
  } finally {
    held?.release();
  }
}

/** DELETE /v2/<name>/manifests/<reference>: by tag removes the tag; by digest the manifest and its tags. */
export async function deleteManifest(ctx: RepoContext, reference: string): Promise<void> {
  refuseOpenPushDelete(ctx, "manifests and tags");
  // by tag, the room is taken before anything; by digest, once the tags it removes are known, before any is removed
  let held = looksLikeDigest(reference) ? undefined : reserveRoom(ctx, [reference]);
  try {
    const r = await ctx.repo.manifests.delete(reference, { beforeRemoving: (tags) => (held = reserveRoom(ctx, tags)) });
    const { namespace, repo } = splitNamespace(ctx.repo.name, ctx.defaultNamespace);
    for (const tag of ctx.recordTags ? r.tags : []) {
      hook(ctx, () => ctx.tagRecorder.deleteTag({ namespace, repo, tag, digest: r.digest, pusher: pusherOf(ctx) }));
    }
    held?.release();
    if (ctx.recordTags && r.tags.length > 0) await flushed(ctx);
    send(ctx.res, 202);
  } finally {
    held?.release();
  }
}
