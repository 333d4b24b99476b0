// The TrustNet registry module's routes (namespaces, repositories, tags recorded on chain).
// Lists forward `pagination.key|limit` to the chain, which pages them (one ABCI query per request, whatever the
// list's length); offset and reverse paging are refused.
import { RegistryQueryClient } from "../../../client/query-clients.ts";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { forwardedKeyPage, keyPageJson } from "../../../sdk/client/pagination.ts";
import type { MessageCodec } from "../../../sdk/proto-codec.ts";
import {
  QueryNamespacesByOwnerRequest, QueryNamespacesResponse, QueryParamsRequest, QueryParamsResponse, QueryRegistriesRequest, QueryRegistriesResponse, QueryReposRequest, QueryReposResponse,
  QueryTagHistoryRequest, QueryTagRecordsResponse, QueryTagsRequest,
} from "../types.ts";
import { ADDRESS, type RestContext, type RestModule, type RestRoute, type RestParam, type RouteCall } from "../../../sdk/client/route-table.ts";

export const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPO = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const nsParam: RestParam = { name: "namespace", in: "path", required: true, description: "namespace (e.g. library)", pattern: NAMESPACE };
const repoParam: RestParam = { name: "repo", in: "path", required: true, description: "repository path inside the namespace (may contain /)", pattern: REPO, multiSegment: true };

function checkLengths(ns: string, repo?: string): void {
  if (ns.length > 64) throw badRequest("namespace is longer than 64 characters");
  if (repo !== undefined && repo.length > 255) throw badRequest("repo is longer than 255 characters");
}

/** The registry's typed queries, answered by the app at the call's height (errors mapped to HTTP by abciQuery). */
const registryAt = (ctx: RestContext, c: RouteCall): RegistryQueryClient => new RegistryQueryClient({ request: (service, method, data) => ctx.abciQuery(c, `/${service}/${method}`, data) });

/** One page of a registry list query, at the call's height. */
async function onePage<Req, Res>(ctx: RestContext, c: RouteCall, method: string, req: MessageCodec<Req>, body: Omit<Req, "pagination">, res: MessageCodec<Res>): Promise<Res> {
  const request = req.encode({ ...body, pagination: forwardedKeyPage(c.query, "registry lists") } as Req).finish();
  return res.decode(await ctx.abciQuery(c, `/trustnet.registry.v1.Query/${method}`, request));
}

export const registryRoutes: RestModule = {
  name: "registry",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/trustnet/registry/v1/params", summary: "The registry's params: namespace_deposit, what a namespace claim locks until its release",
      handler: async (c) => ({ params: protoJson(QueryParamsResponse.decode(await ctx.abciQuery(c, "/trustnet.registry.v1.Query/Params", QueryParamsRequest.encode({}).finish())).params[0] ?? null) }),
    },
    {
      method: "get", path: "/trustnet/registry/v1/namespaces", summary: "Claimed namespaces (optionally of one owner)", paginated: true,
      params: [{ name: "owner", in: "query", description: "only this owner's namespaces", pattern: ADDRESS }],
      handler: async (c) => {
        const owner = typeof c.query.owner === "string" ? c.query.owner : "";
        const r = await onePage(ctx, c, "NamespacesByOwner", QueryNamespacesByOwnerRequest, { owner }, QueryNamespacesResponse);
        return { namespaces: protoJson(r.namespaces), pagination: keyPageJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/namespaces/{namespace}", summary: "One namespace, its owner and the deposit it holds; 404 when unclaimed", params: [nsParam],
      handler: async (c) => {
        checkLengths(c.params.namespace as string);
        return { namespace: protoJson((await registryAt(ctx, c).namespace(c.params.namespace as string)) ?? null) };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/repos/{namespace}", summary: "Repositories with tags recorded in a namespace", params: [nsParam], paginated: true,
      handler: async (c) => {
        checkLengths(c.params.namespace as string);
        const r = await onePage(ctx, c, "Repos", QueryReposRequest, { namespace: c.params.namespace as string }, QueryReposResponse);
        return { repos: r.repos, pagination: keyPageJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/tags/{namespace}/{repo}", summary: "Current tags of a repository, or one tag's history with ?history=<tag>", paginated: true,
      params: [nsParam, repoParam, { name: "history", in: "query", description: "a tag: answer its history, oldest first (a deletion has an empty digest)", pattern: TAG }],
      handler: async (c) => {
        const ns = c.params.namespace as string;
        const repo = c.params.repo as string;
        checkLengths(ns, repo);
        const tag = c.query.history;
        const r = typeof tag === "string"
          ? await onePage(ctx, c, "TagHistory", QueryTagHistoryRequest, { namespace: ns, repo, tag }, QueryTagRecordsResponse)
          : await onePage(ctx, c, "Tags", QueryTagsRequest, { namespace: ns, repo }, QueryTagRecordsResponse);
        return { records: protoJson(r.records), pagination: keyPageJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/registries", summary: "Registered registry operators and their endpoints", paginated: true,
      handler: async (c) => {
        const r = await onePage(ctx, c, "Registries", QueryRegistriesRequest, {}, QueryRegistriesResponse);
        return { registries: protoJson(r.registries), pagination: keyPageJson(r.pagination) };
      },
    },
  ],
};
