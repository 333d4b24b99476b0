// The leasing module's records read over ABCI queries (`AbciQuery`: the node's RPC in the CLI and the provider
// daemon, the app's query router in tests): the one place that encodes leasing query requests, walks their pages
// and tells "not found" from a failure. The CLI queries (cli.ts), `trustnet lease|provider` and the daemon use it.
import { allPages, type AbciQuery } from "../../../sdk/client/cli-query.ts";
import { MAX_PAGE_LIMIT, pageAfter } from "../../../sdk/key-page.ts";
import type { MessageCodec } from "../../../sdk/proto-codec.ts";
import {
  type Lease, type Params, type Provider, QueryEarningsRequest, QueryEarningsResponse, QueryEscrowRequest, QueryEscrowResponse, QueryLeaseRequest,
  QueryLeaseResponse, QueryLeasesByProviderRequest, QueryLeasesByTenantRequest, QueryLeasesResponse, QueryParamsResponse, QueryProviderRequest, QueryProviderResponse,
  QueryProvidersRequest, QueryProvidersResponse,
} from "../types.ts";

const Q = "/trustnet.leasing.v1.Query/";
/** The chain's largest page. */
const PAGE_LIMIT = MAX_PAGE_LIMIT;
const page = pageAfter;

/**
 * What the leasing queries answer for an absent provider or lease (queries.ts: sdk/22 with this log); the error an
 * AbciQuery throws for it carries the log, whichever client made it (cosmjs "Query failed with (22): …", the chain
 * client's AbciQueryError).
 */
const NOT_FOUND = /code = NotFound desc = /u;

/** `undefined` when the record does not exist; any other failure is rethrown. */
async function orAbsent<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof Error && NOT_FOUND.test(err.message)) return undefined;
    throw err;
  }
}

/** A lease id as typed: a positive 64-bit decimal, or an error saying so (before anything is sent). */
export function parseLeaseId(v: string): bigint {
  if (!/^[1-9]\d{0,19}$/u.test(v) || BigInt(v) >= 2n ** 64n) throw new Error(`"${v}" is not a lease id (a positive whole number)`);
  return BigInt(v);
}

export async function fetchParams(query: AbciQuery): Promise<Params> {
  const p = QueryParamsResponse.decode(await query(`${Q}Params`, new Uint8Array())).params[0];
  if (!p) throw new Error("the node answered no leasing params");
  return p;
}

/** One record by key: its decoded answer, or `undefined` when the chain has no such record. */
async function fetchOne<Req, Res>(query: AbciQuery, method: string, request: MessageCodec<Req>, req: Req, response: MessageCodec<Res>): Promise<Res | undefined> {
  const v = await orAbsent(query(`${Q}${method}`, request.encode(req).finish()));
  return v === undefined ? undefined : response.decode(v);
}

export async function fetchProvider(query: AbciQuery, owner: string): Promise<Provider | undefined> {
  return (await fetchOne(query, "Provider", QueryProviderRequest, { owner }, QueryProviderResponse))?.provider[0];
}

export async function fetchLease(query: AbciQuery, id: bigint): Promise<Lease | undefined> {
  return (await fetchOne(query, "Lease", QueryLeaseRequest, { leaseId: id }, QueryLeaseResponse))?.lease[0];
}

export const fetchEscrow = (query: AbciQuery, id: bigint): Promise<QueryEscrowResponse | undefined> => fetchOne(query, "Escrow", QueryEscrowRequest, { leaseId: id }, QueryEscrowResponse);

export const fetchEarnings = (query: AbciQuery, owner: string): Promise<QueryEarningsResponse | undefined> => fetchOne(query, "Earnings", QueryEarningsRequest, { owner }, QueryEarningsResponse);

/** The providers' filter: region and image (empty: any), free capacity at least. */
export interface ProviderFilter {
  readonly region: string; readonly image: string; readonly cpuMillis: bigint; readonly memoryMib: bigint; readonly diskGib: bigint; readonly bandwidthMbps: bigint;
}

/** Every page of the providers matching `filter`. */
export function fetchProviders(query: AbciQuery, filter: ProviderFilter, pageLimit = PAGE_LIMIT): Promise<Provider[]> {
  return allPages(query, `${Q}Providers`, (key) => QueryProvidersRequest.encode({ ...filter, pagination: page(key, pageLimit) }).finish(), (v) => {
    const r = QueryProvidersResponse.decode(v);
    return { items: r.providers, nextKey: r.pagination[0]?.nextKey };
  });
}

/** Every page of the leases of a tenant or of a provider in `state` (0 any, 1 pending, 2 ready, 3 closed, 4 open). */
export function fetchLeases(query: AbciQuery, by: "tenant" | "provider", owner: string, state: bigint, pageLimit = PAGE_LIMIT): Promise<Lease[]> {
  const codec = by === "tenant" ? QueryLeasesByTenantRequest : QueryLeasesByProviderRequest;
  return allPages(query, `${Q}${by === "tenant" ? "LeasesByTenant" : "LeasesByProvider"}`, (key) => codec.encode({ owner, state, pagination: page(key, pageLimit) }).finish(), (v) => {
    const r = QueryLeasesResponse.decode(v);
    return { items: r.leases, nextKey: r.pagination[0]?.nextKey };
  });
}
