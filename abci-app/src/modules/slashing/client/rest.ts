// x/slashing's gateway routes (/cosmos/slashing/v1beta1/...): params and validators' signing infos, in the SDK's
// JSON (snake_case, decimals as "0.050000000000000000", durations as jsonpb prints a Duration: protoDuration,
// "600s", "600.500s"; times as RFC 3339 as jsonpb prints a Timestamp: protoTimestamp, "2026-12-05T03:00:00.500Z").
import {
  QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import type { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { formatDec } from "../../../sdk/dec.ts";
import { fromAppCode, notFound } from "../../../sdk/client/rest-errors.ts";
import { protoDuration, protoTimestamp } from "../../../sdk/client/json.ts";
import { forwardedPage, pageResponseJson } from "../../../sdk/client/pagination.ts";
import type { RestModule, RestRoute } from "../../../sdk/client/route-table.ts";

/** x/slashing's ErrNoSigningInfoFound (codespace slashing); the app answers it for an unknown consensus address. */
const ErrNoSigningInfoCode = 8;
const CONS_ADDRESS = /^trustvalcons1[02-9ac-hj-np-z]{38,58}$/;
const dec = (b: Uint8Array): string => formatDec(BigInt(new TextDecoder().decode(b) || "0"));

/** x/slashing's params as the gateway prints them; `trustnet query slashing params -o json` prints the same (client/cli.ts). */
export function paramsJson(p: Params | undefined): Record<string, string> | null {
  if (!p) return null;
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(), min_signed_per_window: dec(p.minSignedPerWindow),
    downtime_jail_duration: protoDuration(p.downtimeJailDuration), slash_fraction_double_sign: dec(p.slashFractionDoubleSign), slash_fraction_downtime: dec(p.slashFractionDowntime),
  };
}

/** A signing info as the gateway prints it; `trustnet query slashing signing-info|signing-infos -o json` print the same (client/cli.ts). */
export function infoJson(i: ValidatorSigningInfo | undefined): unknown {
  if (!i) return null;
  return {
    address: i.address, start_height: i.startHeight.toString(), index_offset: i.indexOffset.toString(), jailed_until: protoTimestamp(i.jailedUntil),
    tombstoned: i.tombstoned, missed_blocks_counter: i.missedBlocksCounter.toString(),
  };
}

export const slashingRoutes: RestModule = {
  name: "slashing",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/slashing/v1beta1/params", summary: "Liveness window, jail time and slash fractions",
      handler: async (c) => ({ params: paramsJson(QueryParamsResponse.decode(await ctx.abciQuery(c, "/cosmos.slashing.v1beta1.Query/Params", new Uint8Array())).params) }),
    },
    {
      method: "get", path: "/cosmos/slashing/v1beta1/signing_infos", summary: "Every validator's signing info (missed blocks, jail, tombstone)", paginated: true,
      handler: async (c) => {
        // the chain pages (one query per request); the first 1,000 alone were kept before
        const r = QuerySigningInfosResponse.decode(await ctx.abciQuery(c, "/cosmos.slashing.v1beta1.Query/SigningInfos", QuerySigningInfosRequest.encode({ pagination: forwardedPage(c.query) }).finish()));
        return { info: r.info.map(infoJson), pagination: pageResponseJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/cosmos/slashing/v1beta1/signing_infos/{cons_address}", summary: "One validator's signing info, by consensus address",
      params: [{ name: "cons_address", in: "path", required: true, description: "bech32 consensus address (trustvalcons1…)", pattern: CONS_ADDRESS }],
      handler: async (c) => {
        const r = await ctx.abciQueryRaw(c, "/cosmos.slashing.v1beta1.Query/SigningInfo", QuerySigningInfoRequest.encode({ consAddress: c.params.cons_address as string }).finish());
        if (r.code === ErrNoSigningInfoCode) throw notFound(r.log); // slashing 8: the SDK gateway's NotFound
        if (r.code !== 0) throw fromAppCode(r.code, r.log);
        return { val_signing_info: infoJson(QuerySigningInfoResponse.decode(r.value).valSigningInfo) };
      },
    },
  ],
};
