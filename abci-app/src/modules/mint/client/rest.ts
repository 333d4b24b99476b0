// x/mint's gateway routes (/cosmos/mint/v1beta1/…): rates and provisions as LegacyDec text.
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { RestModule, RestRoute } from "../../../sdk/client/route-table.ts";
import { decBytesText, mintParamsJson, P } from "./json.ts";

export const mintRoutes: RestModule = {
  name: "mint",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/mint/v1beta1/params", summary: "x/mint parameters",
      handler: async (c) => ({ params: mintParamsJson(QueryParamsResponse.decode(await ctx.abciQuery(c, `${P}Params`, new Uint8Array())).params) }),
    },
    {
      method: "get", path: "/cosmos/mint/v1beta1/inflation", summary: "The current annual inflation rate",
      handler: async (c) => ({ inflation: decBytesText(QueryInflationResponse.decode(await ctx.abciQuery(c, `${P}Inflation`, new Uint8Array())).inflation) }),
    },
    {
      method: "get", path: "/cosmos/mint/v1beta1/annual_provisions", summary: "The current annual provisions (utrust)",
      handler: async (c) => ({ annual_provisions: decBytesText(QueryAnnualProvisionsResponse.decode(await ctx.abciQuery(c, `${P}AnnualProvisions`, new Uint8Array())).annualProvisions) }),
    },
  ],
};
