// Typed query clients per module: encode the request, run abci_query, decode the response. auth, bank and staking are
// cosmjs-types' generated QueryClientImpl over an abci_query transport; the registry's is written the same way over
// its hand-declared codecs.
import { QueryClientImpl as AuthQuery } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryClientImpl as BankQuery } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryClientImpl as StakingQuery } from "cosmjs-types/cosmos/staking/v1beta1/query";
import type { Rpc } from "cosmjs-types/helpers";
import { allPages } from "../sdk/client/cli-query.ts";
import { ErrKeyNotFound } from "../sdk/errors.ts";
import { type PageRequest, type PageResponse, pageAfter } from "../sdk/key-page.ts";
import {
  QueryNamespaceRequest, QueryNamespaceResponse, QueryNamespaceRightsRequest, QueryNamespaceRightsResponse, QueryNamespacesByOwnerRequest,
  QueryNamespacesResponse, QueryRegistriesRequest, QueryRegistriesResponse, QueryReposRequest, QueryReposResponse, QueryRightsAtRequest, QueryRightsAtResponse,
  QueryTagHistoryRequest, QueryTagRecordsResponse, QueryTagsRequest, type NamespaceInfo, type RegistryInfo, type TagRecord,
  QueryParamsResponse as QueryRegistryParamsResponse, type Params as RegistryParams,
} from "../modules/registry/types.ts";
import { tagKey } from "../modules/registry/keys.ts";
import type { AbciQueryResult } from "./comet-rpc.ts";

/** The app refused a query: its `(codespace, code)` and user-facing log. */
export class AbciQueryError extends Error {
  readonly path: string;
  readonly code: number;
  readonly codespace: string;
  constructor(path: string, r: { code: number; codespace: string; log: string }) {
    super(r.log || `${path} failed with code ${r.code}`);
    this.name = "AbciQueryError";
    this.path = path;
    this.code = r.code;
    this.codespace = r.codespace;
  }
  /** sdk/22 (key not found): what a query for something absent answers. */
  get notFound(): boolean {
    return this.codespace === ErrKeyNotFound.codespace && this.code === ErrKeyNotFound.code;
  }
}

/** Anything that answers an ABCI query: CometRpc over the network, or the REST server's in-process router. */
export type AbciQuerier = (path: string, data: Uint8Array) => Promise<AbciQueryResult>;

/** cosmjs-types' `Rpc` over abci_query (`/<service>/<method>`): a non-zero code throws AbciQueryError. */
export function abciRpc(query: AbciQuerier): Rpc {
  return {
    async request(service, method, data) {
      const path = `/${service}/${method}`;
      const r = await query(path, data);
      if (r.code !== 0) throw new AbciQueryError(path, r);
      return r.value;
    },
  };
}

/** `undefined` when the query answered "not found" (sdk/22); any other failure is rethrown. */
export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof AbciQueryError && err.notFound) return undefined;
    throw err;
  }
}

const REGISTRY = "trustnet.registry.v1.Query";

/** `/trustnet.registry.v1.Query/*`, in the shape of cosmjs-types' QueryClientImpl; the lists return every page. */
export class RegistryQueryClient {
  readonly #rpc: Rpc;
  constructor(rpc: Rpc) {
    this.#rpc = rpc;
  }

  /** Every page of a list (`allPages`: follows each answer's next key; a repeated key is an error, not a loop). */
  #all<T>(method: string, request: (pagination: PageRequest[]) => Uint8Array, decode: (v: Uint8Array) => { items: T[]; pagination: PageResponse[] }): Promise<T[]> {
    const query = (_path: string, data: Uint8Array): Promise<Uint8Array> => this.#rpc.request(REGISTRY, method, data);
    return allPages(query, `${REGISTRY}/${method}`, (key) => request(pageAfter(key)), (v) => {
      const page = decode(v);
      return { items: page.items, nextKey: page.pagination[0]?.nextKey };
    });
  }

  /** The registry's params: `namespaceDeposit` is what a claim locks. */
  async params(): Promise<RegistryParams | undefined> {
    return QueryRegistryParamsResponse.decode(await this.#rpc.request(REGISTRY, "Params", new Uint8Array())).params[0];
  }

  async namespace(namespace: string): Promise<NamespaceInfo | undefined> {
    return QueryNamespaceResponse.decode(await this.#rpc.request(REGISTRY, "Namespace", QueryNamespaceRequest.encode({ namespace }).finish())).namespace[0];
  }
  /** The namespaces of `owner`; every namespace for an empty owner. */
  async namespacesByOwner(owner: string): Promise<NamespaceInfo[]> {
    return this.#all("NamespacesByOwner", (pagination) => QueryNamespacesByOwnerRequest.encode({ owner, pagination }).finish(), (v) => {
      const r = QueryNamespacesResponse.decode(v);
      return { items: r.namespaces, pagination: r.pagination };
    });
  }
  async namespaceRights(namespace: string): Promise<{ owner: string; authorized: string[]; members: string[] }> {
    return QueryNamespaceRightsResponse.decode(await this.#rpc.request(REGISTRY, "NamespaceRights", QueryNamespaceRightsRequest.encode({ namespace }).finish()));
  }
  /** Whether `operator` was authorised for `namespace`, and `pusher` its owner or a member, at the end of block `height`. */
  async rightsAt(req: { namespace: string; operator: string; pusher: string; height: bigint }): Promise<{ owner: string; operatorAuthorized: boolean; pusherIsOwner: boolean; pusherIsMember: boolean; height: bigint }> {
    const v = QueryRightsAtResponse.decode(await this.#rpc.request(REGISTRY, "RightsAt", QueryRightsAtRequest.encode(req).finish()));
    return { owner: v.owner, operatorAuthorized: v.operatorAuthorized === 1n, pusherIsOwner: v.pusherIsOwner === 1n, pusherIsMember: v.pusherIsMember === 1n, height: v.height };
  }
  async repos(namespace: string): Promise<string[]> {
    return this.#all("Repos", (pagination) => QueryReposRequest.encode({ namespace, pagination }).finish(), (v) => {
      const r = QueryReposResponse.decode(v);
      return { items: r.repos, pagination: r.pagination };
    });
  }
  async tags(namespace: string, repo: string): Promise<TagRecord[]> {
    return this.#all("Tags", (pagination) => QueryTagsRequest.encode({ namespace, repo, pagination }).finish(), records);
  }
  /**
   * The chain's current record of one tag, or undefined (never recorded, or deleted): one Tags page of one record
   * from the tag's own store key (a page starts at its key, inclusive), kept only if it is that tag.
   */
  async tag(namespace: string, repo: string, tag: string): Promise<TagRecord | undefined> {
    const page = [{ key: tagKey(namespace, repo, tag), offset: 0n, limit: 1n, countTotal: 0n, reverse: 0n }];
    const r = QueryTagRecordsResponse.decode(await this.#rpc.request(REGISTRY, "Tags", QueryTagsRequest.encode({ namespace, repo, pagination: page }).finish()));
    const rec = r.records[0];
    return rec !== undefined && rec.tag === tag ? rec : undefined;
  }
  async tagHistory(namespace: string, repo: string, tag: string): Promise<TagRecord[]> {
    return this.#all("TagHistory", (pagination) => QueryTagHistoryRequest.encode({ namespace, repo, tag, pagination }).finish(), records);
  }
  async registries(): Promise<RegistryInfo[]> {
    return this.#all("Registries", (pagination) => QueryRegistriesRequest.encode({ pagination }).finish(), (v) => {
      const r = QueryRegistriesResponse.decode(v);
      return { items: r.registries, pagination: r.pagination };
    });
  }
}

function records(v: Uint8Array): { items: TagRecord[]; pagination: PageResponse[] } {
  const r = QueryTagRecordsResponse.decode(v);
  return { items: r.records, pagination: r.pagination };
}

export interface QueryClients {
  readonly auth: AuthQuery;
  readonly bank: BankQuery;
  readonly staking: StakingQuery;
  readonly registry: RegistryQueryClient;
}

/** One typed client per module over `query` (e.g. `(p, d) => rpc.abciQuery(p, d)`). */
export function queryClients(query: AbciQuerier): QueryClients {
  const rpc = abciRpc(query);
  return { auth: new AuthQuery(rpc), bank: new BankQuery(rpc), staking: new StakingQuery(rpc), registry: new RegistryQueryClient(rpc) };
}
