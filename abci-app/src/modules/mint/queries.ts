import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { utf8 } from "../../sdk/keys.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { paramsProto, type MintViewKeeper } from "./keeper.ts";
import { MINT_QUERY_SCHEMAS } from "./schemas.ts";

const P = "/cosmos.mint.v1beta1.Query/";

/**
 * The `/cosmos.mint.v1beta1.Query/*` paths cosmjs's setupMintExtension uses. Inflation and AnnualProvisions are
 * `bytes` holding the Dec's wire string (the SDK's customtype LegacyDec), which cosmjs decodes as ASCII.
 */
export function mintQueries(k: MintViewKeeper): QueryHandler[] {
  const q = (method: string, handle: QueryHandler["handle"]): QueryHandler => ({ path: `${P}${method}`, request: MINT_QUERY_SCHEMAS.get(method), handle });
  return [
    q("Params", (ctx) => QueryParamsResponse.encode({ params: paramsProto(k.getParams(ctx.store)) }).finish()),
    q("Inflation", (ctx) => QueryInflationResponse.encode({ inflation: utf8(k.getMinter(ctx.store).inflation.toString()) }).finish()),
    q("AnnualProvisions", (ctx) => QueryAnnualProvisionsResponse.encode({ annualProvisions: utf8(k.getMinter(ctx.store).annualProvisions.toString()) }).finish()),
  ];
}
