// The leasing module's routes: providers, leases, escrow, earnings, params (docs/leasing.md). Lists page on the
// chain (pagination.key is the store key of the next item, pagination.limit at most 1000).
import * as L from "../types.ts";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { forwardedKeyPage, keyPageJson } from "../../../sdk/client/pagination.ts";
import { ADDRESS, addressParam, type RestModule, type RestParam, type RestRoute, type RouteCall } from "../../../sdk/client/route-table.ts";
import { PROVIDER_STATUS_FILTERS, providerStatusFilter } from "./view.ts";

const Q = "/trustnet.leasing.v1.Query/";
const UINT = /^\d{1,19}$/;
const idParam: RestParam = { name: "lease_id", in: "path", required: true, description: "lease id", pattern: /^[1-9]\d{0,18}$/, type: "integer" };
const uintQuery = (name: string, description: string): RestParam => ({ name, in: "query", description, pattern: UINT, type: "integer" });

function uint(c: RouteCall, name: string): bigint {
  const v = c.query[name];
  if (v === undefined || v === "") return 0n;
  if (typeof v !== "string" || !UINT.test(v)) throw badRequest(`${name} must be a non-negative integer`);
  return BigInt(v);
}

function str(c: RouteCall, name: string): string {
  const v = c.query[name];
  if (v === undefined) return "";
  if (typeof v !== "string") throw badRequest(`${name} must be given once`);
  return v;
}

/** The chain pages itself: forward the key and limit (offset and reverse paging are not offered here). */
const page = (c: RouteCall): L.PageRequest[] => forwardedKeyPage(c.query, "leasing lists");
const pageJson = keyPageJson;

const STATES: Readonly<Record<string, bigint>> = { "": 0n, pending: 1n, ready: 2n, closed: 3n, open: 4n };
const leaseJson = (l: L.Lease) => ({ ...(protoJson(l) as object), state: L.LeaseStateName[String(l.state)] });

export const leasingRoutes: RestModule = {
  name: "leasing",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/trustnet/leasing/v1/providers", summary: "Providers, filtered by region, image, free capacity and whether they take new leases", paginated: true,
      params: [
        { name: "region", in: "query", description: "only this region" }, { name: "image", in: "query", description: "only providers offering this image" },
        uintQuery("cpu_millis", "at least this many free millicores"), uintQuery("memory_mib", "at least this much free memory (MiB)"),
        uintQuery("disk_gib", "at least this much free disk (GiB)"), uintQuery("bandwidth_mbps", "at least this much free bandwidth (Mbit/s)"),
        { name: "status", in: "query", description: "active: only providers taking new leases; paused: only paused ones; all (default): both. Applied to each page the chain returns: a page may hold fewer than pagination.limit; follow next_key", pattern: /^(all|active|paused)$/ },
      ],
      handler: async (c) => {
        const keep = providerStatusFilter(str(c, "status") || "all");
        if (keep === undefined) throw badRequest(`status must be one of ${Object.keys(PROVIDER_STATUS_FILTERS).join(", ")}`);
        const req = { region: str(c, "region"), image: str(c, "image"), cpuMillis: uint(c, "cpu_millis"), memoryMib: uint(c, "memory_mib"), diskGib: uint(c, "disk_gib"), bandwidthMbps: uint(c, "bandwidth_mbps"), pagination: page(c) };
        const r = L.QueryProvidersResponse.decode(await ctx.abciQuery(c, `${Q}Providers`, L.QueryProvidersRequest.encode(req).finish()));
        return { providers: protoJson(r.providers.filter((p) => keep(p.paused))), pagination: pageJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/trustnet/leasing/v1/providers/{address}", summary: "One provider; 404 when not registered", params: [addressParam],
      handler: async (c) => ({ provider: protoJson(L.QueryProviderResponse.decode(await ctx.abciQuery(c, `${Q}Provider`, L.QueryProviderRequest.encode({ owner: c.params.address as string }).finish())).provider[0] ?? null) }),
    },
    {
      method: "get", path: "/trustnet/leasing/v1/providers/{address}/earnings", summary: "A provider's accrued lease payments, rewards payable and held, what it was paid and the take burned", params: [addressParam],
      handler: async (c) => protoJson(L.QueryEarningsResponse.decode(await ctx.abciQuery(c, `${Q}Earnings`, L.QueryEarningsRequest.encode({ owner: c.params.address as string }).finish()))),
    },
    {
      method: "get", path: "/trustnet/leasing/v1/leases", summary: "Leases of a tenant or of a provider", paginated: true,
      params: [
        { name: "tenant", in: "query", description: "the tenant's address", pattern: ADDRESS }, { name: "provider", in: "query", description: "the provider's address", pattern: ADDRESS },
        { name: "state", in: "query", description: "pending, ready, closed or open (pending or ready)", pattern: /^(pending|ready|closed|open)$/ },
      ],
      handler: async (c) => {
        const tenant = str(c, "tenant");
        const provider = str(c, "provider");
        if ((tenant === "") === (provider === "")) throw badRequest("give exactly one of tenant and provider");
        const req = { owner: tenant || provider, state: STATES[str(c, "state")] ?? 0n, pagination: page(c) };
        const bytes = tenant
          ? await ctx.abciQuery(c, `${Q}LeasesByTenant`, L.QueryLeasesByTenantRequest.encode(req).finish())
          : await ctx.abciQuery(c, `${Q}LeasesByProvider`, L.QueryLeasesByProviderRequest.encode(req).finish());
        const r = L.QueryLeasesResponse.decode(bytes);
        return { leases: r.leases.map(leaseJson), pagination: pageJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/trustnet/leasing/v1/leases/{lease_id}", summary: "One lease; 404 when unknown", params: [idParam],
      handler: async (c) => {
        const l = L.QueryLeaseResponse.decode(await ctx.abciQuery(c, `${Q}Lease`, L.QueryLeaseRequest.encode({ leaseId: BigInt(c.params.lease_id as string) }).finish())).lease[0];
        return { lease: l ? leaseJson(l) : null };
      },
    },
    {
      method: "get", path: "/trustnet/leasing/v1/leases/{lease_id}/escrow", summary: "A lease's escrow: balance, unsettled accrual, blocks and seconds left at its rate", params: [idParam],
      handler: async (c) => {
        const e = L.QueryEscrowResponse.decode(await ctx.abciQuery(c, `${Q}Escrow`, L.QueryEscrowRequest.encode({ leaseId: BigInt(c.params.lease_id as string) }).finish()));
        return { ...(protoJson(e) as object), state: L.LeaseStateName[String(e.state)] };
      },
    },
    {
      method: "get", path: "/trustnet/leasing/v1/params", summary: "The leasing module's parameters",
      handler: async (c) => ({ params: protoJson(L.QueryParamsResponse.decode(await ctx.abciQuery(c, `${Q}Params`, new Uint8Array())).params[0] ?? null) }),
    },
  ],
};
