import { RegistryError } from "../errors.ts";
import { parseDigest } from "../digest.ts";
import { MEDIA_TYPES } from "../storage/manifest-parse.ts";
import { sendJson, type RepoContext, type RequestContext } from "./context.ts";

/** Applies `n` and `last` to a sorted list; returns the page and, when more remain, the Link header. */
function paginate(all: readonly string[], url: URL, path: string): { page: string[]; link: string | undefined } {
  const last = url.searchParams.get("last");
  const nRaw = url.searchParams.get("n");
  let items = last === null ? [...all] : all.filter((t) => t > last);
  if (nRaw === null) return { page: items, link: undefined };
  const n = Number(nRaw);
  if (!Number.isSafeInteger(n) || n < 0) throw new RegistryError("SIZE_INVALID", `invalid page size n=${JSON.stringify(nRaw.slice(0, 50))}`);
  const more = items.length > n;
  items = items.slice(0, n);
  const lastItem = items[items.length - 1];
  const link = more && lastItem !== undefined ? `<${path}?n=${n}&last=${encodeURIComponent(lastItem)}>; rel="next"` : undefined;
  return { page: items, link };
}

/** GET /v2/<name>/tags/list[?n=&last=]. */
export async function listTags(ctx: RepoContext): Promise<void> {
  if (!(await ctx.repo.exists())) throw new RegistryError("NAME_UNKNOWN", "repository name not known to registry", { name: ctx.repo.name });
  const path = `/v2/${ctx.repo.name}/tags/list`;
  const { page, link } = paginate(await ctx.repo.tags.all(), ctx.url, path);
  sendJson(ctx.res, 200, { name: ctx.repo.name, tags: page }, link ? { Link: link } : {});
}

/** GET /v2/_catalog[?n=&last=]. */
export async function listCatalog(ctx: RequestContext): Promise<void> {
  const { page, link } = paginate(await ctx.store.catalog(), ctx.url, "/v2/_catalog");
  sendJson(ctx.res, 200, { repositories: page }, link ? { Link: link } : {});
}

/** GET /v2/<name>/referrers/<digest>[?artifactType=]: an image index of the manifests whose subject is <digest>. */
export async function listReferrers(ctx: RepoContext, digest: string): Promise<void> {
  const d = parseDigest(digest);
  const artifactType = ctx.url.searchParams.get("artifactType") ?? undefined;
  const manifests = await ctx.repo.manifests.referrers(d.value, artifactType);
  const headers: Record<string, string> = artifactType === undefined ? {} : { "OCI-Filters-Applied": "artifactType" };
  sendJson(ctx.res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }, headers, MEDIA_TYPES.ociIndex);
}
