import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidRequest, ErrKeyNotFound } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import type { MessageCodec } from "../../sdk/proto-codec.ts";
import { type LeasingViewKeeper } from "./keeper.ts";
import { byProviderPrefix, byTenantPrefix, openByProviderPrefix } from "./keys.ts";
import {
  type Lease, LeaseState, type PageRequest, type PageResponse, type Provider, QueryEarningsRequest, QueryEarningsResponse, QueryEscrowRequest, QueryEscrowResponse,
  QueryLeaseRequest, QueryLeaseResponse, QueryLeasesByProviderRequest, QueryLeasesByTenantRequest, type QueryLeasesRequest, QueryLeasesResponse,
  QueryParamsRequest, QueryParamsResponse, QueryProviderRequest, QueryProviderResponse, QueryProvidersRequest, QueryProvidersResponse,
} from "./types.ts";

const P = "/trustnet.leasing.v1.Query/";
const DEFAULT_LIMIT = 100n;
const MAX_LIMIT = 1000n;
/** A page scans at most this many entries past the filter, so that a selective filter cannot make a query unbounded. */
const MAX_SCAN = 10_000;

/** Key pagination (the SDK's PageRequest: `key` and `limit`; offset, count_total and reverse are refused). */
function paginate<T>(pages: readonly PageRequest[], scan: (start?: Uint8Array) => Iterable<readonly [Uint8Array, T]>, keep: (t: T) => boolean): { items: T[]; pagination: PageResponse[] } {
  const req = pages[0];
  if (pages.length > 1) throw ErrInvalidRequest.wrap("pagination given twice");
  if (req && (req.offset > 0n || req.countTotal > 0n || req.reverse > 0n)) throw ErrInvalidRequest.wrap("only key pagination is supported (no offset, count_total or reverse)");
  const limit = req && req.limit > 0n ? req.limit : DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${MAX_LIMIT}`);
  const items: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let scanned = 0;
  for (const [k, t] of scan(req && req.key.length > 0 ? req.key : undefined)) {
    if (BigInt(items.length) >= limit || scanned >= MAX_SCAN) {
      nextKey = k;
      break;
    }
    scanned++;
    if (keep(t)) items.push(t);
  }
  return { items, pagination: [{ nextKey, total: 0n }] };
}

function stateFilter(state: bigint): (l: Lease) => boolean {
  if (state > 4n) throw ErrInvalidRequest.wrap(`state ${state}: 0 any, 1 pending, 2 ready, 3 closed, 4 open`);
  return (l) => state === 0n || l.state === state || (state === 4n && l.state !== LeaseState.closed);
}

const free = (p: Provider) => ({ cpuMillis: p.cpuMillis - p.usedCpuMillis, memoryMib: p.memoryMib - p.usedMemoryMib, diskGib: p.diskGib - p.usedDiskGib, bandwidthMbps: p.bandwidthMbps - p.usedBandwidthMbps });

const notFound = (what: string) => ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = ${what} not found`);

/** A handler with its strict-scan request schema, from the request's codec. */
function query<Req>(method: string, request: MessageCodec<Req>, handle: (ctx: Parameters<QueryHandler["handle"]>[0], req: Req) => Uint8Array): QueryHandler {
  return { path: `${P}${method}`, request: request.schema, handle: (ctx, data) => handle(ctx, request.decode(data)) };
}

export function leasingQueries(k: LeasingViewKeeper): QueryHandler[] {
  const leasesBy = (method: string, codec: MessageCodec<QueryLeasesRequest>, prefix: (raw: Uint8Array) => Uint8Array): QueryHandler =>
    query(method, codec, (ctx, r) => {
      const keep = stateFilter(r.state);
      // a provider's open leases have their own index (the daemon's reconciliation asks for them every few blocks)
      const open = prefix === byProviderPrefix && r.state !== 0n && r.state !== LeaseState.closed;
      const prefixed = (open ? openByProviderPrefix : prefix)(addressBytes(r.owner, "owner"));
      const { items, pagination } = paginate(r.pagination, (start) => k.leasesUnder(ctx.store, prefixed, start), keep);
      return QueryLeasesResponse.encode({ leases: items, pagination }).finish();
    });
  return [
    query("Providers", QueryProvidersRequest, (ctx, r) => {
      const keep = (p: Provider): boolean => {
        const f = free(p);
        return (r.region === "" || p.region === r.region) && (r.image === "" || p.images.includes(r.image)) &&
          f.cpuMillis >= r.cpuMillis && f.memoryMib >= r.memoryMib && f.diskGib >= r.diskGib && f.bandwidthMbps >= r.bandwidthMbps;
      };
      const { items, pagination } = paginate(r.pagination, (start) => k.providers(ctx.store, start), keep);
      return QueryProvidersResponse.encode({ providers: items, pagination }).finish();
    }),
    query("Provider", QueryProviderRequest, (ctx, r) => {
      const p = k.provider(ctx.store, r.owner);
      if (!p) throw notFound(`provider ${r.owner}`);
      return QueryProviderResponse.encode({ provider: [p] }).finish();
    }),
    leasesBy("LeasesByTenant", QueryLeasesByTenantRequest, byTenantPrefix),
    leasesBy("LeasesByProvider", QueryLeasesByProviderRequest, byProviderPrefix),
    query("Lease", QueryLeaseRequest, (ctx, r) => {
      const l = k.lease(ctx.store, r.leaseId);
      if (!l) throw notFound(`lease ${r.leaseId}`);
      return QueryLeaseResponse.encode({ lease: [l] }).finish();
    }),
    query("Escrow", QueryEscrowRequest, (ctx, r) => {
      const l = k.lease(ctx.store, r.leaseId);
      if (!l) throw notFound(`lease ${r.leaseId}`);
      const accrued = k.accrued(l, ctx.height);
      const balance = BigInt(l.balance) - accrued;
      const rate = BigInt(l.rate);
      const blocksLeft = l.state === LeaseState.closed || rate === 0n ? 0n : balance / rate;
      const secondsLeft = (blocksLeft * k.params(ctx.store).expectedBlockTimeMs) / 1000n;
      return QueryEscrowResponse.encode({ leaseId: l.id, rate: l.rate, balance: balance.toString(), accrued: accrued.toString(), blocksLeft, secondsLeft, height: ctx.height, state: l.state }).finish();
    }),
    query("Earnings", QueryEarningsRequest, (ctx, r) => {
      const p = k.provider(ctx.store, r.owner);
      if (!p) throw notFound(`provider ${r.owner}`);
      let accrued = 0n;
      for (const [, l] of k.openLeasesOf(ctx.store, r.owner)) accrued += k.accrued(l, ctx.height);
      const payable = k.payableRewards(ctx.store, p);
      const held = k.owedRewards(ctx.store, p) - payable;
      return QueryEarningsResponse.encode({
        accrued: accrued.toString(), rewards: payable.toString(), paid: p.paidTotal, openLeases: p.openLeases, rewardsHeld: held.toString(), take: p.takeTotal,
      }).finish();
    }),
    query("Params", QueryParamsRequest, (ctx) => QueryParamsResponse.encode({ params: [k.params(ctx.store)] }).finish()),
  ];
}
