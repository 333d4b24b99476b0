import { RegistryError } from "../errors.ts";
import { parseDigest } from "../digest.ts";
import { MEDIA_TYPES } from "../storage/manifest-parse.ts";
import { REFERRERS_PAGE_ENTRIES } from "../storage/manifest-store.ts";
import { sendJson, type RepoContext, type RequestContext } from "./context.ts";

/**
 * The catalog's and a tags list's page when no `n` is asked, and their largest page (a larger `n` gets this many,
 * and a Link): distribution's default `catalog.maxentries`. A repository's tags are not bounded, and every
 * anonymous GET of a public one would otherwise copy all of them. A client that lists tags follows the Link, as
 * the spec asks (skopeo 1.9 list-tags read 2,500 tags through three pages); docker and containerd never list them.
 */
export const LISTING_PAGE_ENTRIES = 1000;

/**
 * Applies `n` and `last` to a sorted list; returns the page (at most LISTING_PAGE_ENTRIES names, `n` or not) and,
 * when more remain, the Link header.
 */
function paginate(all: readonly string[], url: URL, path: string): { page: string[]; link: string | undefined } {
  const last = url.searchParams.get("last");
  const nRaw = url.searchParams.get("n");
  let items = last === null ? [...all] : all.filter((t) => t > last);
  const asked = nRaw === null ? Infinity : Number(nRaw);
  if (nRaw !== null && (!Number.isSafeInteger(asked) || asked < 0)) throw new RegistryError("SIZE_INVALID", `invalid page size n=${JSON.stringify(nRaw.slice(0, 50))}`);
  const n = Math.min(asked, LISTING_PAGE_ENTRIES);
  const more = items.length > n;
  items = items.slice(0, n);
  const lastItem = items[items.length - 1];
  const link = more && lastItem !== undefined ? `<${path}?n=${n}&last=${encodeURIComponent(lastItem)}>; rel="next"` : undefined;
  return { page: items, link };
}

/** GET /v2/<name>/tags/list[?n=&last=]: at most LISTING_PAGE_ENTRIES tags a page, `n` or not. */
export async function listTags(ctx: RepoContext): Promise<void> {
  if (!(await ctx.repo.exists())) throw new RegistryError("NAME_UNKNOWN", "repository name not known to registry", { name: ctx.repo.name });
  const path = `/v2/${ctx.repo.name}/tags/list`;
  const { page, link } = paginate(await ctx.repo.tags.all(), ctx.url, path);
  sendJson(ctx.res, 200, { name: ctx.repo.name, tags: page }, link ? { Link: link } : {});
}

/** GET /v2/_catalog[?n=&last=]: at most LISTING_PAGE_ENTRIES names a page, `n` or not. */
export async function listCatalog(ctx: RequestContext): Promise<void> {
  const { page, link } = paginate(await ctx.store.catalog(), ctx.url, "/v2/_catalog");
  sendJson(ctx.res, 200, { repositories: page }, link ? { Link: link } : {});
}

/**
 * GET /v2/<name>/referrers/<digest>[?artifactType=][&n=][&last=]: an image index of the manifests whose subject is
 * <digest>, a page at a time (at most REFERRERS_PAGE_ENTRIES, or `n` if smaller); when more remain, a
 * `Link: <…?last=<referrer digest>…>; rel="next"` header (distribution-spec v1.1) names the next page.
 */
export async function listReferrers(ctx: RepoContext, digest: string): Promise<void> {
  const d = parseDigest(digest);
  const artifactType = ctx.url.searchParams.get("artifactType") ?? undefined;
  const lastRaw = ctx.url.searchParams.get("last");
  const last = lastRaw === null ? undefined : parseDigest(lastRaw).value;
  const nRaw = ctx.url.searchParams.get("n");
  const n = nRaw === null ? REFERRERS_PAGE_ENTRIES : Number(nRaw);
  if (!Number.isSafeInteger(n) || n < 1) throw new RegistryError("SIZE_INVALID", `invalid page size n=${JSON.stringify((nRaw ?? "").slice(0, 50))}`);
  const limit = Math.min(n, REFERRERS_PAGE_ENTRIES);
  const page = await ctx.repo.manifests.referrers(d.value, artifactType, last, limit);
  const headers: Record<string, string> = artifactType === undefined ? {} : { "OCI-Filters-Applied": "artifactType" };
  if (page.next !== undefined) {
    const q = new URLSearchParams({ ...(artifactType === undefined ? {} : { artifactType }), ...(nRaw === null ? {} : { n: String(limit) }), last: page.next });
    headers["Link"] = `</v2/${ctx.repo.name}/referrers/${d.value}?${q.toString()}>; rel="next"`;
  }
  sendJson(ctx.res, 200, { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: page.manifests }, headers, MEDIA_TYPES.ociIndex);
}
