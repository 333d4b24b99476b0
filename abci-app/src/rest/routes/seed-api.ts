// The seed's convenience endpoints, kept thin: each is one or two RPC/ABCI calls reshaped for the explorer and
// for curl users. Clients that need the full shapes use the Cosmos routes.
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { badRequest, Grpc, RestError } from "../../sdk/client/rest-errors.ts";
import { coinJson } from "../../sdk/client/json.ts";
import { addressParam, TX_HASH, type RestModule, type RestRoute } from "../../sdk/client/route-table.ts";
import { txResponseJson, type CometTx } from "../tx-json.ts";
import { valcons } from "../block-json.ts";

interface Meta { block_id: { hash: string }; header: { height: string; time: string; proposer_address: string }; num_txs: string }

export const seedRoutes: RestModule = {
  name: "api",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/api/status", summary: "Thin: chain id, latest height and time, catching_up, app version (from CometBFT /status)",
      handler: async () => {
        const s = await ctx.rpc<{ node_info: { network: string; version: string; moniker: string }; sync_info: { latest_block_height: string; latest_block_time: string; catching_up: boolean } }>("status", {});
        return { chain_id: s.node_info.network, moniker: s.node_info.moniker, height: s.sync_info.latest_block_height, time: s.sync_info.latest_block_time, catching_up: s.sync_info.catching_up, cometbft_version: s.node_info.version, app_version: ctx.appVersion };
      },
    },
    {
      method: "get", path: "/api/blocks", summary: "Thin: the latest block headers (at most 20; CometBFT /blockchain), newest first",
      params: [{ name: "limit", in: "query", type: "integer", description: "1–20, default 20", pattern: /^\d{1,2}$/ }],
      handler: async (c) => {
        const limit = Math.min(20, Math.max(1, Number(c.query.limit ?? 20) || 20));
        const s = await ctx.rpc<{ sync_info: { latest_block_height: string } }>("status", {});
        const max = Number(s.sync_info.latest_block_height);
        if (max < 1) return { height: String(max), blocks: [] };
        const r = await ctx.rpc<{ last_height: string; block_metas: Meta[] }>("blockchain", { minHeight: String(Math.max(1, max - limit + 1)), maxHeight: String(max) });
        return {
          height: r.last_height,
          blocks: r.block_metas.map((m) => ({ height: m.header.height, time: m.header.time, hash: m.block_id.hash, num_txs: m.num_txs, proposer: valcons(m.header.proposer_address) })),
        };
      },
    },
    {
      method: "get", path: "/api/tx/{hash}", summary: "Thin: a committed tx's TxResponse", params: [{ name: "hash", in: "path", required: true, description: "tx hash, 64 hex characters", pattern: TX_HASH }],
      handler: async (c) => {
        let t: CometTx;
        try {
          t = await ctx.rpc<CometTx>("tx", { hash: Buffer.from(c.params.hash as string, "hex").toString("base64") });
        } catch (err) {
          if (err instanceof RestError && err.grpc === Grpc.NotFound) throw new RestError(Grpc.NotFound, "tx not found");
          throw err;
        }
        const h = await ctx.rpc<{ header: { time: string } }>("header", { height: t.height });
        return txResponseJson(t, h.header.time);
      },
    },
    {
      method: "get", path: "/api/balance/{address}", summary: "Thin: an account's balances", params: [addressParam],
      handler: async (c) => {
        const a = c.params.address;
        if (!a) throw badRequest("address is required");
        // one page of the most AllBalances answers (1000): every balance of any account but one holding more denominations
        const pagination = { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false };
        const b = QueryAllBalancesResponse.decode(await ctx.abciQuery(c, "/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address: a, pagination, resolveDenom: false }).finish()));
        return { address: a, balances: b.balances.map(coinJson) };
      },
    },
  ],
};
