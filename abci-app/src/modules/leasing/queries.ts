import { addressBytes } from "../../sdk/address.ts";
import { ErrInvalidRequest, ErrKeyNotFound } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { keyPage } from "../../sdk/key-page.ts";
import type { MessageCodec } from "../../sdk/proto-codec.ts";
import { type LeasingViewKeeper } from "./keeper.ts";
import { byProviderPrefix, byTenantPrefix, openByProviderPrefix } from "./keys.ts";
import {
  type Lease, LeaseState, type Provider, QueryEarningsRequest, QueryEarningsResponse, QueryEscrowRequest, QueryEscrowResponse,
  QueryLeaseRequest, QueryLeaseResponse, QueryLeasesByProviderRequest, QueryLeasesByTenantRequest, type QueryLeasesRequest, QueryLeasesResponse,
  QueryParamsRequest, QueryParamsResponse, QueryProviderRequest, QueryProviderResponse, QueryProvidersRequest, QueryProvidersResponse,
} from "./types.ts";

const P = "/trustnet.leasing.v1.Query/";
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
      const { items, pagination } = keyPage(r.pagination, (start) => k.leasesUnder(ctx.store, prefixed, start), keep);
      return QueryLeasesResponse.encode({ leases: items, pagination }).finish();
    });
  return [
    query("Providers", QueryProvidersRequest, (ctx, r) => {
      const keep = (p: Provider): boolean => {
        const f = free(p);
        return (r.region === "" || p.region === r.region) && (r.image === "" || p.images.includes(r.image)) &&
          f.cpuMillis >= r.cpuMillis && f.memoryMib >= r.memoryMib && f.diskGib >= r.diskGib && f.bandwidthMbps >= r.bandwidthMbps;
      };
      const { items, pagination } = keyPage(r.pagination, (start) => k.providers(ctx.store, start), keep);
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
