// The TrustNet registry module's routes (namespaces, repositories, tags recorded on chain).
import { RegistryQueryClient } from "../../../client/query-clients.ts";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { paginate, parsePageRequest } from "../../../sdk/client/pagination.ts";
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

export const registryRoutes: RestModule = {
  name: "registry",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/trustnet/registry/v1/namespaces", summary: "Claimed namespaces (optionally of one owner)", paginated: true,
      params: [{ name: "owner", in: "query", description: "only this owner's namespaces", pattern: ADDRESS }],
      handler: async (c) => {
        const owner = typeof c.query.owner === "string" ? c.query.owner : "";
        const namespaces = await registryAt(ctx, c).namespacesByOwner(owner);
        const { page, pagination } = paginate(namespaces, parsePageRequest(c.query), (n) => Buffer.from(n.namespace));
        return { namespaces: protoJson(page), pagination };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/namespaces/{namespace}", summary: "One namespace and its owner; 404 when unclaimed", params: [nsParam],
      handler: async (c) => {
        checkLengths(c.params.namespace as string);
        return { namespace: protoJson((await registryAt(ctx, c).namespace(c.params.namespace as string)) ?? null) };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/repos/{namespace}", summary: "Repositories with tags recorded in a namespace", params: [nsParam], paginated: true,
      handler: async (c) => {
        checkLengths(c.params.namespace as string);
        const repos = await registryAt(ctx, c).repos(c.params.namespace as string);
        const { page, pagination } = paginate(repos, parsePageRequest(c.query), (x) => Buffer.from(x));
        return { repos: page, pagination };
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/tags/{namespace}/{repo}", summary: "Current tags of a repository, or one tag's history with ?history=<tag>",
      params: [nsParam, repoParam, { name: "history", in: "query", description: "a tag: answer its history, oldest first (a deletion has an empty digest)", pattern: TAG }],
      handler: async (c) => {
        const ns = c.params.namespace as string;
        const repo = c.params.repo as string;
        checkLengths(ns, repo);
        const tag = c.query.history;
        const registry = registryAt(ctx, c);
        return protoJson({ records: typeof tag === "string" ? await registry.tagHistory(ns, repo, tag) : await registry.tags(ns, repo) });
      },
    },
    {
      method: "get", path: "/trustnet/registry/v1/registries", summary: "Registered registry operators and their endpoints",
      handler: async (c) => protoJson({ registries: await registryAt(ctx, c).registries() }),
    },
  ],
};
