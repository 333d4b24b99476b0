import {
  QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { fromBech32 } from "@cosmjs/encoding";
import type { QueryCtx } from "../../sdk/context.ts";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { paginate } from "../../sdk/pagination.ts";
import { ErrNoSigningInfoFound } from "./errors.ts";
import { type SlashingViewKeeper, VALCONS_PREFIX } from "./keeper.ts";
import { paramsProto } from "./params.ts";
import { SLASHING_QUERY_SCHEMAS } from "./schemas.ts";

const P = "/cosmos.slashing.v1beta1.Query/";

function consBytes(address: string): Uint8Array {
  if (address === "") throw ErrInvalidRequest.wrap("empty consensus address");
  let d: { prefix: string; data: Uint8Array };
  try {
    d = fromBech32(address, 90);
  } catch {
    throw ErrInvalidAddress.wrap(`invalid consensus address ${JSON.stringify(address.slice(0, 100))}: not bech32`);
  }
  if (d.prefix !== VALCONS_PREFIX || d.data.length !== 20) throw ErrInvalidAddress.wrap(`invalid consensus address ${address}: want a 20-byte ${VALCONS_PREFIX} address`);
  return d.data;
}

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
