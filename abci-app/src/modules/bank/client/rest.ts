// x/bank's gateway routes; lists take SDK pagination, forwarded to the chain, which pages them. An account's balances,
// the supply and the metadata are sorted by denom (the key is the denom's bytes); denom_owners' key is a balance's
// store key.
import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse, QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse, QueryDenomMetadataRequest,
  QueryDenomMetadataResponse, QueryDenomsMetadataRequest, QueryDenomsMetadataResponse, QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
  QueryDenomOwnersByQueryRequest, QueryDenomOwnersByQueryResponse, QueryDenomOwnersRequest, QueryDenomOwnersResponse, QueryParamsResponse,
  QuerySendEnabledRequest, QuerySendEnabledResponse, QuerySpendableBalanceByDenomRequest, QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest, QuerySpendableBalancesResponse, type DenomOwner,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { coinJson } from "../../../sdk/client/json.ts";
import { forwardedPage, pageResponseJson } from "../../../sdk/client/pagination.ts";
import { addressParam, DENOM, type RestModule, type RestRoute, type RestParam, type RouteCall } from "../../../sdk/client/route-table.ts";

const denomQuery: RestParam = { name: "denom", in: "query", required: true, description: "denomination, e.g. utrust", pattern: DENOM };

function denomOf(c: RouteCall): string {
  const d = c.query.denom;
  if (typeof d !== "string" || !DENOM.test(d)) throw badRequest("denom must be a valid denomination (e.g. utrust)");
  return d;
}

/** A denomination's display metadata as the gateway prints it; `query bank denom-metadata -o json` prints the same (client/cli.ts). */
export interface MetadataJson {
  readonly description: string; readonly denom_units: { readonly denom: string; readonly exponent: number; readonly aliases: readonly string[] }[];
  readonly base: string; readonly display: string; readonly name: string; readonly symbol: string; readonly uri: string; readonly uri_hash: string;
}

export function metadataJson(m: Metadata): MetadataJson {
  return {
    description: m.description, denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
    base: m.base, display: m.display, name: m.name, symbol: m.symbol, uri: m.uri, uri_hash: m.uriHash,
  };
}

/** x/bank's params as the gateway prints them; `trustnet query bank params -o json` prints the same (client/cli.ts). */
export const paramsJson = (p: Params | undefined): { send_enabled: { denom: string; enabled: boolean }[]; default_send_enabled: boolean } => ({
  send_enabled: (p?.sendEnabled ?? []).map((e) => ({ denom: e.denom, enabled: e.enabled })), default_send_enabled: p?.defaultSendEnabled ?? false,
});

/** One of /denom_owners/{denom}'s `denom_owners`; `trustnet query bank denom-owners -o json` prints the same (client/cli.ts). */
export const ownerJson = (o: DenomOwner): unknown => ({ address: o.address, balance: coinJson(o.balance) });
const B = "/cosmos.bank.v1beta1.Query/";

export const bankRoutes: RestModule = {
  name: "bank",
  routes: (ctx): RestRoute[] => {
    // The chain pages an account's balances (AllBalances, SpendableBalances): the request's pagination forwarded.
    const balances = async (c: RouteCall): Promise<unknown> => {
      const r = QueryAllBalancesResponse.decode(await ctx.abciQuery(c, `${B}AllBalances`, QueryAllBalancesRequest.encode({ address: c.params.address as string, pagination: forwardedPage(c.query), resolveDenom: false }).finish()));
      return { balances: r.balances.map(coinJson), pagination: pageResponseJson(r.pagination) };
    };
    return [
      { method: "get", path: "/cosmos/bank/v1beta1/balances/{address}", summary: "All balances of an account", params: [addressParam], paginated: true, handler: balances },
      {
        method: "get", path: "/cosmos/bank/v1beta1/spendable_balances/{address}", summary: "Spendable balances (no vesting: equal to the balances)", params: [addressParam], paginated: true,
        handler: async (c) => {
          const r = QuerySpendableBalancesResponse.decode(await ctx.abciQuery(c, `${B}SpendableBalances`, QuerySpendableBalancesRequest.encode({ address: c.params.address as string, pagination: forwardedPage(c.query) }).finish()));
          return { balances: r.balances.map(coinJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/spendable_balances/{address}/by_denom", summary: "One spendable balance (no vesting: the balance; 0 when none)", params: [addressParam, denomQuery],
        handler: async (c) => ({
          balance: coinJson(QuerySpendableBalanceByDenomResponse.decode(await ctx.abciQuery(c, `${B}SpendableBalanceByDenom`, QuerySpendableBalanceByDenomRequest.encode({ address: c.params.address as string, denom: denomOf(c) }).finish())).balance),
        }),
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/params", summary: "Bank params: the SDK's defaults, constants (no params store, no governance)",
        handler: async (c) => {
          return { params: paramsJson(QueryParamsResponse.decode(await ctx.abciQuery(c, `${B}Params`, new Uint8Array())).params) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/send_enabled", summary: "Per-denom send-enabled entries (none are stored: every denom follows default_send_enabled)", paginated: true,
        params: [{ name: "denoms", in: "query", description: "denominations to look up (repeat the parameter for several)", pattern: DENOM, repeated: true }],
        handler: async (c) => {
          const denoms = c.query.denoms === undefined || c.query.denoms === "" ? [] : ([] as string[]).concat(c.query.denoms as string | string[]);
          const r = QuerySendEnabledResponse.decode(await ctx.abciQuery(c, `${B}SendEnabled`, QuerySendEnabledRequest.encode({ denoms, pagination: forwardedPage(c.query) }).finish()));
          return { send_enabled: r.sendEnabled.map((e) => ({ denom: e.denom, enabled: e.enabled })), pagination: r.pagination ? pageResponseJson(r.pagination) : null };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denom_owners/{denom}", summary: "The accounts holding a denomination, by address (at most 10,000 balances read per page)", paginated: true,
        params: [{ name: "denom", in: "path", required: true, description: "denomination, e.g. utrust", pattern: DENOM }],
        handler: async (c) => {
          const r = QueryDenomOwnersResponse.decode(await ctx.abciQuery(c, `${B}DenomOwners`, QueryDenomOwnersRequest.encode({ denom: c.params.denom as string, pagination: forwardedPage(c.query) }).finish()));
          return { denom_owners: r.denomOwners.map(ownerJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denom_owners_by_query", summary: "denom_owners with the denomination as a query parameter", paginated: true, params: [denomQuery],
        handler: async (c) => {
          const r = QueryDenomOwnersByQueryResponse.decode(await ctx.abciQuery(c, `${B}DenomOwnersByQuery`, QueryDenomOwnersByQueryRequest.encode({ denom: denomOf(c), pagination: forwardedPage(c.query) }).finish()));
          return { denom_owners: r.denomOwners.map(ownerJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/balances/{address}/by_denom", summary: "One balance (0 when none)", params: [addressParam, denomQuery],
        handler: async (c) => ({
          balance: coinJson(QueryBalanceResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: c.params.address as string, denom: denomOf(c) }).finish())).balance),
        }),
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/supply", summary: "Total supply of every denomination", paginated: true,
        handler: async (c) => {
          const r = QueryTotalSupplyResponse.decode(await ctx.abciQuery(c, `${B}TotalSupply`, QueryTotalSupplyRequest.encode({ pagination: forwardedPage(c.query) }).finish()));
          return { supply: r.supply.map(coinJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/supply/by_denom", summary: "Supply of one denomination", params: [denomQuery],
        handler: async (c) => ({
          amount: coinJson(QuerySupplyOfResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: denomOf(c) }).finish())).amount),
        }),
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denoms_metadata", summary: "Display metadata of every known denomination", paginated: true,
        handler: async (c) => {
          const r = QueryDenomsMetadataResponse.decode(await ctx.abciQuery(c, `${B}DenomsMetadata`, QueryDenomsMetadataRequest.encode({ pagination: forwardedPage(c.query) }).finish()));
          return { metadatas: r.metadatas.map(metadataJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denoms_metadata/{denom}", summary: "Display metadata of one denomination",
        params: [{ name: "denom", in: "path", required: true, description: "base denomination, e.g. utrust", pattern: DENOM }],
        handler: async (c) => ({
          metadata: metadataJson(QueryDenomMetadataResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/DenomMetadata", QueryDenomMetadataRequest.encode({ denom: c.params.denom as string }).finish())).metadata as Metadata),
        }),
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denoms_metadata_by_query_string", summary: "Display metadata of one denomination, named in the query string", params: [denomQuery],
        handler: async (c) => ({
          metadata: metadataJson(QueryDenomMetadataByQueryStringResponse.decode(await ctx.abciQuery(c, `${B}DenomMetadataByQueryString`, QueryDenomMetadataByQueryStringRequest.encode({ denom: denomOf(c) }).finish())).metadata as Metadata),
        }),
      },
    ];
  },
};
