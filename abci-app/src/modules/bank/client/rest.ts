// x/bank's gateway routes; lists take SDK pagination (sorted by denom; the key is the denom's bytes).
import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse, QueryDenomMetadataRequest,
  QueryDenomMetadataResponse, QueryDenomsMetadataResponse, QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { coinJson } from "../../../sdk/client/json.ts";
import { paginate, parsePageRequest } from "../../../sdk/client/pagination.ts";
import { addressParam, DENOM, type RestModule, type RestRoute, type RestParam, type RouteCall } from "../../../sdk/client/route-table.ts";

const denomQuery: RestParam = { name: "denom", in: "query", required: true, description: "denomination, e.g. utrust", pattern: DENOM };
const byDenom = (c: { denom: string }): Buffer => Buffer.from(c.denom);

function denomOf(c: RouteCall): string {
  const d = c.query.denom;
  if (typeof d !== "string" || !DENOM.test(d)) throw badRequest("denom must be a valid denomination (e.g. utrust)");
  return d;
}

function metadataJson(m: Metadata): unknown {
  return {
    description: m.description, denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
    base: m.base, display: m.display, name: m.name, symbol: m.symbol, uri: m.uri, uri_hash: m.uriHash,
  };
}

export const bankRoutes: RestModule = {
  name: "bank",
  routes: (ctx): RestRoute[] => {
    const balances = async (c: RouteCall): Promise<unknown> => {
      const p = parsePageRequest(c.query);
      const all = QueryAllBalancesResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address: c.params.address as string, resolveDenom: false }).finish())).balances;
      const { page, pagination } = paginate(all, p, byDenom);
      return { balances: page.map(coinJson), pagination };
    };
    return [
      { method: "get", path: "/cosmos/bank/v1beta1/balances/{address}", summary: "All balances of an account", params: [addressParam], paginated: true, handler: balances },
      { method: "get", path: "/cosmos/bank/v1beta1/spendable_balances/{address}", summary: "Spendable balances (no vesting: equal to the balances)", params: [addressParam], paginated: true, handler: balances },
      {
        method: "get", path: "/cosmos/bank/v1beta1/balances/{address}/by_denom", summary: "One balance (0 when none)", params: [addressParam, denomQuery],
        handler: async (c) => ({
          balance: coinJson(QueryBalanceResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: c.params.address as string, denom: denomOf(c) }).finish())).balance),
        }),
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/supply", summary: "Total supply of every denomination", paginated: true,
        handler: async (c) => {
          const p = parsePageRequest(c.query);
          const s = QueryTotalSupplyResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/TotalSupply", new Uint8Array())).supply;
          const { page, pagination } = paginate(s, p, byDenom);
          return { supply: page.map(coinJson), pagination };
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
          const p = parsePageRequest(c.query);
          const all = QueryDenomsMetadataResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/DenomsMetadata", new Uint8Array())).metadatas;
          const { page, pagination } = paginate(all, p, (m) => Buffer.from(m.base));
          return { metadatas: page.map(metadataJson), pagination };
        },
      },
      {
        method: "get", path: "/cosmos/bank/v1beta1/denoms_metadata/{denom}", summary: "Display metadata of one denomination",
        params: [{ name: "denom", in: "path", required: true, description: "base denomination, e.g. utrust", pattern: DENOM }],
        handler: async (c) => ({
          metadata: metadataJson(QueryDenomMetadataResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/DenomMetadata", QueryDenomMetadataRequest.encode({ denom: c.params.denom as string }).finish())).metadata as Metadata),
        }),
      },
    ];
  },
};
