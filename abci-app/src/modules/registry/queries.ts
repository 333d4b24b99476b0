import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidHeight, ErrKeyNotFound } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { type MessageSchema, schema } from "../../sdk/proto-scan.ts";
import * as types from "./types.ts";
import type { RegistryViewKeeper } from "./keeper.ts";
import { validateNamespace, validateRepo, validateTag } from "./names.ts";
import {
  QueryNamespaceRequest, QueryNamespaceResponse, QueryNamespacesByOwnerRequest, QueryNamespacesResponse, QueryRegistriesResponse,
  QueryNamespaceRightsRequest, QueryNamespaceRightsResponse, QueryRightsAtRequest, QueryRightsAtResponse,
  QueryReposRequest, QueryReposResponse, QueryTagHistoryRequest, QueryTagRecordsResponse, QueryTagsRequest,
} from "./types.ts";

const P = "/trustnet.registry.v1.Query/";

/**
 * The strict-scan schema of a query's request: `/trustnet.registry.v1.Query/<M>` takes `Query<M>Request` (its codec
 * knows its schema); Registries takes no request.
 */
function requestSchema(path: string): MessageSchema {
  const method = path.slice(P.length);
  if (method === "Registries") return schema(`trustnet.registry.v1.${method}Request`, []);
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
      path: `${P}Namespace`,
      handle(ctx, data) {
        const { namespace } = QueryNamespaceRequest.decode(data);
        validateNamespace(namespace);
        const owner = k.ownerOf(ctx.store, namespace);
        if (owner === undefined) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = namespace ${namespace} is not claimed`);
        return QueryNamespaceResponse.encode({ namespace: [{ namespace, owner }] }).finish();
      },
    },
    {
      path: `${P}NamespacesByOwner`,
      handle(ctx, data) {
        const { owner } = QueryNamespacesByOwnerRequest.decode(data);
        if (owner === "") return QueryNamespacesResponse.encode({ namespaces: k.allNamespaces(ctx.store) }).finish();
        addressBytes(owner);
        return QueryNamespacesResponse.encode({ namespaces: k.namespacesOf(ctx.store, owner) }).finish();
      },
    },
    {
      path: `${P}Repos`,
      handle(ctx, data) {
        const { namespace } = QueryReposRequest.decode(data);
        validateNamespace(namespace);
        return QueryReposResponse.encode({ repos: k.repos(ctx.store, namespace) }).finish();
      },
    },
    {
      path: `${P}Tags`,
      handle(ctx, data) {
        const { namespace, repo } = QueryTagsRequest.decode(data);
        validateNamespace(namespace);
        validateRepo(namespace, repo);
        return QueryTagRecordsResponse.encode({ records: k.tags(ctx.store, namespace, repo) }).finish();
      },
    },
    {
      path: `${P}TagHistory`,
      handle(ctx, data) {
        const { namespace, repo, tag } = QueryTagHistoryRequest.decode(data);
        validateNamespace(namespace);
        validateRepo(namespace, repo);
        validateTag(tag);
        return QueryTagRecordsResponse.encode({ records: k.history(ctx.store, namespace, repo, tag) }).finish();
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
      handle(ctx) {
        return QueryRegistriesResponse.encode({ registries: k.registries(ctx.store) }).finish();
      },
    },
  ];
}
