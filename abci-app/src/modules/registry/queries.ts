import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidHeight, ErrKeyNotFound } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { keyPage } from "../../sdk/key-page.ts";
import type { MessageSchema } from "../../sdk/proto-scan.ts";
import * as types from "./types.ts";
import type { RegistryViewKeeper } from "./keeper.ts";
import { validateNamespace, validateRepo, validateTag } from "./names.ts";
import { paramsProto } from "./params.ts";
import {
  QueryNamespaceRequest, QueryNamespaceResponse, QueryParamsResponse, QueryNamespacesByOwnerRequest, QueryNamespacesResponse, QueryRegistriesRequest, QueryRegistriesResponse,
  QueryNamespaceRightsRequest, QueryNamespaceRightsResponse, QueryRightsAtRequest, QueryRightsAtResponse,
  QueryReposRequest, QueryReposResponse, QueryTagHistoryRequest, QueryTagRecordsResponse, QueryTagsRequest,
} from "./types.ts";

const P = "/trustnet.registry.v1.Query/";

/** The strict-scan schema of a query's request: `/trustnet.registry.v1.Query/<M>` takes `Query<M>Request` (its codec knows its schema). */
function requestSchema(path: string): MessageSchema {
  const method = path.slice(P.length);
  const codec = (types as Record<string, unknown>)[`Query${method}Request`] as { schema?: MessageSchema } | undefined;
  if (!codec?.schema) throw new Error(`registry query ${path} has no request codec`);
  return codec.schema;
}

export function registryQueries(k: RegistryViewKeeper): QueryHandler[] {
  return queryHandlers(k).map((q) => ({ ...q, request: requestSchema(q.path) }));
}

function queryHandlers(k: RegistryViewKeeper): QueryHandler[] {
  return [
    {
      path: `${P}Params`,
      handle: (ctx) => QueryParamsResponse.encode({ params: [paramsProto(k.params(ctx.store))] }).finish(),
    },
    {
      path: `${P}Namespace`,
      handle(ctx, data) {
        const { namespace } = QueryNamespaceRequest.decode(data);
        validateNamespace(namespace);
        const info = k.namespaceInfo(ctx.store, namespace);
        if (info === undefined) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = namespace ${namespace} is not claimed`);
        return QueryNamespaceResponse.encode({ namespace: [info] }).finish();
      },
    },
    {
      path: `${P}NamespacesByOwner`,
      handle(ctx, data) {
        const { owner, pagination } = QueryNamespacesByOwnerRequest.decode(data);
        if (owner !== "") addressBytes(owner);
        const { items, pagination: next } = keyPage(pagination, (start) => k.namespaceEntries(ctx.store, owner === "" ? undefined : owner, start));
        return QueryNamespacesResponse.encode({ namespaces: items, pagination: next }).finish();
      },
    },
    {
      path: `${P}Repos`,
      handle(ctx, data) {
        const { namespace, pagination } = QueryReposRequest.decode(data);
        validateNamespace(namespace);
        const { items, pagination: next } = keyPage(pagination, (start) => k.repoEntries(ctx.store, namespace, start));
        return QueryReposResponse.encode({ repos: items, pagination: next }).finish();
      },
    },
    {
      path: `${P}Tags`,
      handle(ctx, data) {
        const { namespace, repo, pagination } = QueryTagsRequest.decode(data);
        validateNamespace(namespace);
        validateRepo(namespace, repo);
        const { items, pagination: next } = keyPage(pagination, (start) => k.tagEntries(ctx.store, namespace, repo, start));
        return QueryTagRecordsResponse.encode({ records: items, pagination: next }).finish();
      },
    },
    {
      path: `${P}TagHistory`,
      handle(ctx, data) {
        const { namespace, repo, tag, pagination } = QueryTagHistoryRequest.decode(data);
        validateNamespace(namespace);
        validateRepo(namespace, repo);
        validateTag(tag);
        const { items, pagination: next } = keyPage(pagination, (start) => k.historyEntries(ctx.store, namespace, repo, tag, start));
        return QueryTagRecordsResponse.encode({ records: items, pagination: next }).finish();
      },
    },
    {
      path: `${P}NamespaceRights`,
      handle(ctx, data) {
        const { namespace } = QueryNamespaceRightsRequest.decode(data);
        validateNamespace(namespace);
        const owner = k.ownerOf(ctx.store, namespace);
        if (owner === undefined) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = namespace ${namespace} is not claimed`);
        return QueryNamespaceRightsResponse.encode({ owner, authorized: k.authorized(ctx.store, namespace), members: k.members(ctx.store, namespace) }).finish();
      },
    },
    {
      path: `${P}RightsAt`,
      handle(ctx, data) {
        const { namespace, operator, pusher, height } = QueryRightsAtRequest.decode(data);
        validateNamespace(namespace);
        addressBytes(operator, "operator");
        if (pusher !== "") addressBytes(pusher, "pusher");
        const h = height === 0n ? ctx.height : height;
        if (h > ctx.height) throw ErrInvalidHeight.wrap(`height ${h} is past the latest block ${ctx.height}`);
        const r = k.rightsAt(ctx.store, namespace, operator, pusher, h);
        const b = (x: boolean): bigint => (x ? 1n : 0n);
        return QueryRightsAtResponse.encode({ owner: r.owner, operatorAuthorized: b(r.operatorAuthorized), pusherIsOwner: b(r.pusherIsOwner), pusherIsMember: b(r.pusherIsMember), height: h }).finish();
      },
    },
    {
      path: `${P}Registries`,
      handle(ctx, data) {
        const { items, pagination } = keyPage(QueryRegistriesRequest.decode(data).pagination, (start) => k.registryEntries(ctx.store, start));
        return QueryRegistriesResponse.encode({ registries: items, pagination }).finish();
      },
    },
  ];
}
