// cosmos.base.node's gateway routes (the SDK's client/grpc/node service): the node's configuration and status,
// from the app's own query (its minimum gas price, pruning, committed height) and CometBFT's header at that height.
import { ConfigResponse, StatusResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import { protoTimestamp } from "../../sdk/client/json.ts";
import type { RestModule, RestRoute } from "../../sdk/client/route-table.ts";

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
        const header = s.height > 0n ? (await ctx.rpc<{ header: { app_hash?: string; next_validators_hash?: string } }>("header", { height: s.height.toString() })).header : undefined;
        return {
          earliest_store_height: s.earliestStoreHeight.toString(), height: s.height.toString(), timestamp: s.timestamp ? protoTimestamp(s.timestamp) : null,
          app_hash: hexToBase64(header?.app_hash), validator_hash: hexToBase64(header?.next_validators_hash),
        };
      },
    },
  ],
};
