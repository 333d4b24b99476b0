import {
  QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import type { QueryCtx } from "../../sdk/context.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { paginate } from "../../sdk/pagination.ts";
import { ErrNoSigningInfoFound } from "./errors.ts";
import { consBytes, type SlashingViewKeeper } from "./keeper.ts";
import { paramsProto } from "./params.ts";
import { SLASHING_QUERY_SCHEMAS } from "./schemas.ts";

const P = "/cosmos.slashing.v1beta1.Query/";

/** The queries cosmjs's setupSlashingExtension calls. */
export function slashingQueries(k: SlashingViewKeeper): QueryHandler[] {
  const q = (method: string, handle: (ctx: QueryCtx, data: Uint8Array) => Uint8Array): QueryHandler => ({ path: `${P}${method}`, request: SLASHING_QUERY_SCHEMAS.get(method), handle });
  return [
    q("Params", (ctx) => QueryParamsResponse.encode({ params: paramsProto(k.getParams(ctx.store)) }).finish()),
    q("SigningInfo", (ctx, data) => {
      const { consAddress } = QuerySigningInfoRequest.decode(data);
      const info = k.getSigningInfo(ctx.store, consBytes(consAddress));
      if (!info) throw ErrNoSigningInfoFound.wrap(`SigningInfo not found for validator ${consAddress}`);
      return QuerySigningInfoResponse.encode({ valSigningInfo: info }).finish();
    }),
    q("SigningInfos", (ctx, data) => {
      const req = QuerySigningInfosRequest.decode(data);
      const { items, page } = paginate(req.pagination, (start) => k.iterateSigningInfos(ctx.store, start), (i) => i);
      return QuerySigningInfosResponse.encode({ info: items, pagination: page }).finish();
    }),
  ];
}
