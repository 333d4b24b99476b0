import type { IncomingMessage } from "node:http";
import { RegistryError } from "../errors.ts";
import { parseDigest } from "../digest.ts";
import { canonicalName, validateName } from "../names.ts";
import type { BodyOptions, ChunkClaim } from "../storage/upload-store.ts";
import { contentLengthOf, send, type RepoContext } from "./context.ts";
import { parseContentRange } from "./range.ts";

/** A request body's chunks are node:http's fresh copies, held by nobody but the upload store. */
const OWNED: BodyOptions = { owned: true };

function hasBody(req: IncomingMessage): boolean {
  const n = contentLengthOf(req);
  return (n !== undefined && n > 0) || req.headers["transfer-encoding"] !== undefined;
}

function sessionHeaders(name: string, id: string, offset: number): Record<string, string> {
  return {
    Location: `/v2/${name}/blobs/uploads/${id}`,
    Range: `0-${Math.max(0, offset - 1)}`,
    "Docker-Upload-UUID": id,
  };
}

/** Reads Content-Range and Content-Length into a claim; a Content-Length that contradicts the range is refused. */
function claimOf(req: IncomingMessage): ChunkClaim {
  const declared = req.headers["content-length"];
  const length = contentLengthOf(req);
  if (declared !== undefined && length === undefined) throw new RegistryError("SIZE_INVALID", "invalid Content-Length");
  const range = parseContentRange(req.headers["content-range"]);
  if (range === "invalid") throw new RegistryError("CHUNK_OUT_OF_ORDER", "invalid Content-Range");
  if (range === undefined) return length === undefined ? {} : { length };
  const rangeLength = range.end - range.start + 1;
  if (length !== undefined && length !== rangeLength) {
    throw new RegistryError("SIZE_INVALID", `Content-Length ${length} does not match Content-Range ${range.start}-${range.end}`);
  }
  return { start: range.start, length: rangeLength };
}

function ownerOf(ctx: RepoContext): string {
  return ctx.identity.kind === "account" ? ctx.identity.address : "";
}

/** POST /v2/<name>/blobs/uploads/ : new session, monolithic upload (?digest=) or cross-repo mount (?mount=&from=). */
export async function startUpload(ctx: RepoContext, mayPullFrom: (name: string) => Promise<boolean>): Promise<void> {
  const { repo, url, req, res } = ctx;
  const mount = url.searchParams.get("mount");
  const from = url.searchParams.get("from");
  if (mount !== null) {
    const d = parseDigest(mount);
    let mounted = false;
    if (from !== null) {
      const source = canonicalName(validateName(from), ctx.defaultNamespace);
      if (await mayPullFrom(source)) mounted = await repo.blobs.mountFrom(ctx.store.repository(source).blobs, d.value);
    } else if (await mayPullFrom(repo.name)) {
      // Anonymous mount (no `from`): a blob some repository still links as a blob, since the caller may pull every
      // repository (pull rights are registry-wide: anonymousPull, or any authenticated account). A blob deleted
      // everywhere, or a manifest's bytes, starts a normal session.
      mounted = await repo.blobs.mountStored(d.value);
    }
    if (mounted) {
      req.resume();
      send(res, 201, { Location: `/v2/${repo.name}/blobs/${d.value}`, "Docker-Content-Digest": d.value });
      return;
    }
  }
  const digest = url.searchParams.get("digest");
  if (digest !== null) {
    const d = parseDigest(digest);
    const claim = claimOf(req);
    let upload;
    try {
      if (claim.length !== undefined) repo.blobs.checkUploadSize(claim.length);
      upload = await repo.blobs.startUpload(ctx.now(), ownerOf(ctx), ctx.openPush, claim.length ?? 0);
    } catch (err) {
      req.resume();
      throw err;
    }
    try {
      await upload.commit(d.value, req, claim, OWNED);
    } catch (err) {
      await upload.cancel().catch(() => undefined);
      throw err;
    }
    send(res, 201, { Location: `/v2/${repo.name}/blobs/${d.value}`, "Docker-Content-Digest": d.value });
    return;
  }
  if (hasBody(req)) {
    // A POST body without ?digest= is not part of the protocol; refuse rather than guess.
    req.resume();
    throw new RegistryError("BLOB_UPLOAD_INVALID", "a POST with a body needs ?digest=");
  }
  req.resume();
  const upload = await repo.blobs.startUpload(ctx.now(), ownerOf(ctx), ctx.openPush);
  send(res, 202, { ...sessionHeaders(repo.name, upload.id, 0), "OCI-Chunk-Min-Length": "0" });
}

/** Runs a chunk-carrying handler; a 416 it raises tells the client where the session stands (Location, acknowledged Range). */
async function reportingSessionOn416(ctx: RepoContext, id: string, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (err) {
    if (err instanceof RegistryError && err.kind === "CHUNK_OUT_OF_ORDER") {
      const s = await ctx.repo.blobs.upload(id, ownerOf(ctx)).status().catch(() => undefined);
      if (s) err.withHeaders(sessionHeaders(ctx.repo.name, s.id, s.offset));
    }
    throw err;
  }
}

/** PATCH <location>: append a chunk (with Content-Range) or a stream (without, as docker sends). */
export function patchUpload(ctx: RepoContext, id: string): Promise<void> {
  return reportingSessionOn416(ctx, id, async () => {
    const claim = claimOf(ctx.req);
    const s = await ctx.repo.blobs.upload(id, ownerOf(ctx)).append(ctx.req, claim, OWNED);
    send(ctx.res, 202, sessionHeaders(ctx.repo.name, s.id, s.offset));
  });
}

/** PUT <location>?digest=: optional last chunk, verify, move into the blob store. */
export async function finishUpload(ctx: RepoContext, id: string): Promise<void> {
  const { repo, req, url } = ctx;
  const digest = url.searchParams.get("digest");
  if (digest === null) {
    req.resume();
    throw new RegistryError("DIGEST_INVALID", "the closing PUT needs ?digest=");
  }
  await reportingSessionOn416(ctx, id, async () => {
    const claim = claimOf(req);
    const body = hasBody(req) ? req : undefined;
    if (!body) req.resume();
    const done = await repo.blobs.upload(id, ownerOf(ctx)).commit(digest, body, claim, OWNED);
    send(ctx.res, 201, { Location: `/v2/${repo.name}/blobs/${done.digest}`, "Docker-Content-Digest": done.digest });
  });
}

/** GET <location>: 204 with the acknowledged Range. */
export async function uploadStatus(ctx: RepoContext, id: string): Promise<void> {
  const s = await ctx.repo.blobs.upload(id, ownerOf(ctx)).status();
  send(ctx.res, 204, sessionHeaders(ctx.repo.name, s.id, s.offset));
}

/** DELETE <location>: cancel. */
export async function cancelUpload(ctx: RepoContext, id: string): Promise<void> {
  await ctx.repo.blobs.upload(id, ownerOf(ctx)).cancel();
  send(ctx.res, 204);
}
