import { RegistryError } from "../errors.ts";
import { parseDigest } from "../digest.ts";
import { refuseOpenPushDelete, send, type RepoContext } from "./context.ts";
import { parseRange } from "./range.ts";

/** GET/HEAD /v2/<name>/blobs/<digest>, with single-range support. */
export async function getBlob(ctx: RepoContext, digest: string, head: boolean): Promise<void> {
  const d = parseDigest(digest);
  const desc = await ctx.repo.blobs.stat(d.value);
  const base = { "Docker-Content-Digest": desc.digest, "Accept-Ranges": "bytes", ETag: `"${desc.digest}"` };
  const range = parseRange(ctx.req.headers.range, desc.size);
  if (range === "invalid") {
    ctx.res.setHeader("Content-Range", `bytes */${desc.size}`);
    throw new RegistryError("RANGE_NOT_SATISFIABLE", "requested range not satisfiable", { size: desc.size });
  }
  const { res } = ctx;
  res.setHeader("Content-Type", "application/octet-stream");
  for (const [k, v] of Object.entries(base)) res.setHeader(k, v);
  if (range) {
    res.statusCode = 206;
    res.setHeader("Content-Range", `bytes ${range.start}-${range.end - 1}/${desc.size}`);
    res.setHeader("Content-Length", range.end - range.start);
  } else {
    res.statusCode = 200;
    res.setHeader("Content-Length", desc.size);
  }
  if (head) {
    res.end();
    return;
  }
  await ctx.repo.blobs.copyTo(d.value, res, range?.start ?? 0, range?.end ?? desc.size);
  res.end();
}

/** DELETE /v2/<name>/blobs/<digest>: unlinks it from the repository. */
export async function deleteBlob(ctx: RepoContext, digest: string): Promise<void> {
  refuseOpenPushDelete(ctx, "blobs");
  await ctx.repo.blobs.delete(parseDigest(digest).value);
  send(ctx.res, 202);
}
