// x/mint's gateway routes (/cosmos/mint/v1beta1/…): rates and provisions as LegacyDec text.
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { RestModule, RestRoute } from "../../../sdk/client/route-table.ts";
import { decText } from "../../../sdk/client/json.ts";

const P = "/cosmos.mint.v1beta1.Query/";
const text = (b: Uint8Array): string => decText(new TextDecoder().decode(b));

export const mintRoutes: RestModule = {
  name: "mint",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/mint/v1beta1/params", summary: "x/mint parameters",
      handler: async (c) => {
        const p = QueryParamsResponse.decode(await ctx.abciQuery(c, `${P}Params`, new Uint8Array())).params;
        return {
          params: {
            mint_denom: p.mintDenom, inflation_rate_change: decText(p.inflationRateChange), inflation_max: decText(p.inflationMax),
            inflation_min: decText(p.inflationMin), goal_bonded: decText(p.goalBonded), blocks_per_year: p.blocksPerYear.toString(),
          },
        };
      },
    },
    {
      method: "get", path: "/cosmos/mint/v1beta1/inflation", summary: "The current annual inflation rate",
      handler: async (c) => ({ inflation: text(QueryInflationResponse.decode(await ctx.abciQuery(c, `${P}Inflation`, new Uint8Array())).inflation) }),
    },
    {
      method: "get", path: "/cosmos/mint/v1beta1/annual_provisions", summary: "The current annual provisions (utrust)",
      handler: async (c) => ({ annual_provisions: text(QueryAnnualProvisionsResponse.decode(await ctx.abciQuery(c, `${P}AnnualProvisions`, new Uint8Array())).annualProvisions) }),
    },
  ],
};
