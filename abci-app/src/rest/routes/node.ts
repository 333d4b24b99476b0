// cosmos.base.node's gateway routes (the SDK's client/grpc/node service): the node's configuration and status,
// from the app's own query (its minimum gas price, pruning, committed height) and CometBFT's header at that height.
import { ConfigResponse, StatusResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import { protoTimestamp } from "../../sdk/client/json.ts";
import type { RestModule, RestRoute } from "../../sdk/client/route-table.ts";

/** CometBFT's RFC 3339 header time ("…T20:49:01.123456789Z") as a Timestamp; undefined when it is not one. */
function headerTimestamp(t: string | undefined): { seconds: bigint; nanos: number } | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/u.exec(t ?? "");
  const ms = m ? Date.parse(`${m[1]}Z`) : Number.NaN;
  return m && Number.isFinite(ms) ? { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) } : undefined;
}

const hexToBase64 = (hex: string | undefined): string => Buffer.from(/^(?:[0-9A-Fa-f]{2})*$/.test(hex ?? "") ? (hex ?? "") : "", "hex").toString("base64");

export const nodeRoutes: RestModule = {
  name: "node",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/base/node/v1beta1/config", summary: "The node's minimum gas price (the chain's), pruning and halt height",
      handler: async (c) => {
        const r = ConfigResponse.decode(await ctx.abciQuery(c, "/cosmos.base.node.v1beta1.Service/Config", new Uint8Array()));
        return { minimum_gas_price: r.minimumGasPrice, pruning_keep_recent: r.pruningKeepRecent, pruning_interval: r.pruningInterval, halt_height: r.haltHeight.toString() };
      },
    },
    {
      method: "get", path: "/cosmos/base/node/v1beta1/status", summary: "The committed height, the earliest height queries read, and that block's time, app hash and validator hash",
      handler: async (c) => {
        const s = StatusResponse.decode(await ctx.abciQuery(c, "/cosmos.base.node.v1beta1.Service/Status", new Uint8Array()));
        // As the SDK's: the block header's app_hash (the state before that block) and next_validators_hash.
        // The app knows the latest block's time only; a past height's comes from its header.
        const header = s.height > 0n ? (await ctx.rpc<{ header: { time?: string; app_hash?: string; next_validators_hash?: string } }>("header", { height: s.height.toString() })).header : undefined;
        const time = s.timestamp ?? headerTimestamp(header?.time);
        return {
          earliest_store_height: s.earliestStoreHeight.toString(), height: s.height.toString(), timestamp: time ? protoTimestamp(time) : null,
          app_hash: hexToBase64(header?.app_hash), validator_hash: hexToBase64(header?.next_validators_hash),
        };
      },
    },
  ],
};
