// The REST gateway's answers for the CLI (`trustnet query txs|block`, `trustnet status`), read from a node's CometBFT
// RPC: the routes' own handlers run on cometRpc (the REST server's answer caps and error mapping), so `-o json`
// prints the body `GET /cosmos/tx/v1beta1/txs` and `/cosmos/base/tendermint/v1beta1/blocks/…` answer, as simd's CLI
// prints the gRPC responses those routes serve.
import { badRequest, notFound } from "../sdk/client/rest-errors.ts";
import { JsonBytes, type RestContext, type RestRoute } from "../sdk/client/route-table.ts";
import { blockJson, type CometBlock } from "./block-json.ts";
import { tendermintRoutes } from "./routes/tendermint.ts";
import { txRoutes } from "./routes/tx.ts";
import { cometRpc } from "./rpc-client.ts";

/** A tx search's page, as `GET /cosmos/tx/v1beta1/txs` answers it. */
export interface TxSearchAnswer {
  readonly txs: unknown[];
  readonly tx_responses: { readonly txhash: string; readonly height: string; readonly code: number; readonly tx: { readonly body: { readonly messages: readonly ({ readonly "@type": string } | null)[] } } | null }[];
  readonly pagination: { readonly next_key: null; readonly total: string };
  readonly total: string;
}

/** CometBFT's `status` answer as it is (the SDK CLI's `status` prints it): node_info, sync_info, validator_info. */
export interface CometStatus {
  readonly node_info: { readonly id: string; readonly network: string; readonly version: string; readonly moniker: string } & Record<string, unknown>;
  readonly sync_info: {
    readonly latest_block_hash: string; readonly latest_app_hash: string; readonly latest_block_height: string; readonly latest_block_time: string;
    readonly earliest_block_height: string; readonly catching_up: boolean;
  } & Record<string, unknown>;
  readonly validator_info: { readonly address: string; readonly pub_key: { readonly type: string; readonly value: string }; readonly voting_power: string };
}

export interface NodeAnswers {
  /** `GET /cosmos/tx/v1beta1/txs?query=…&page=…&limit=…&order_by=…`'s body (its checks and errors: RestError). */
  searchTxs(q: { readonly query: string; readonly page: number; readonly limit: number; readonly orderBy: "asc" | "desc" }): Promise<TxSearchAnswer>;
  /** `GET /cosmos/base/tendermint/v1beta1/blocks/{height}` (latest: `blocks/latest`)'s body: `{block_id, block, sdk_block}`. */
  block(height?: string): Promise<Record<string, unknown>>;
  /** The block with this hash (64 hex digits), as `block` prints one; an unknown hash is a NotFound RestError. */
  blockByHash(hash: string): Promise<Record<string, unknown>>;
  /** CometBFT's `status`. */
  status(): Promise<CometStatus>;
}

const unused = (): never => {
  throw new Error("node answers read CometBFT only");
};

/** The answers of the node whose CometBFT RPC is at `rpcUrl`. */
export function nodeAnswers(rpcUrl: string): NodeAnswers {
  // appVersion names only a block answer's ETag, a header nobody reads here.
  const ctx: RestContext = { appVersion: "", rpc: cometRpc(rpcUrl), abciQuery: unused, abciQueryRaw: unused };
  const routes: RestRoute[] = [...txRoutes.routes(ctx), ...tendermintRoutes.routes(ctx)];
  const get = async (path: string, params: Record<string, string>, query: Record<string, unknown>): Promise<unknown> => {
    const route = routes.find((r) => r.method === "get" && r.path === path);
    if (!route) throw new Error(`no route ${path}`);
    for (const p of route.params ?? []) {
      const v = p.in === "path" ? params[p.name] : query[p.name];
      if (typeof v === "string" && p.pattern && !p.pattern.test(v)) throw badRequest(`invalid ${p.name}: ${p.description}`);
    }
    const body = await route.handler({ params, query, body: undefined, height: 0n, setHeader: () => undefined });
    return body instanceof JsonBytes ? JSON.parse(body.bytes.toString("utf8")) : body;
  };
  return {
    searchTxs: async (q) => (await get("/cosmos/tx/v1beta1/txs", {}, { query: q.query, page: String(q.page), limit: String(q.limit), order_by: q.orderBy === "desc" ? "ORDER_BY_DESC" : "ORDER_BY_ASC" })) as TxSearchAnswer,
    block: async (height) => (await (height === undefined ? get("/cosmos/base/tendermint/v1beta1/blocks/latest", {}, {}) : get("/cosmos/base/tendermint/v1beta1/blocks/{height}", { height }, {}))) as Record<string, unknown>,
    async blockByHash(hash) {
      if (!/^[0-9A-Fa-f]{64}$/u.test(hash)) throw badRequest("invalid hash: a block hash, 64 hex digits");
      // CometBFT answers an unknown hash with a null block, not an error.
      const b = await ctx.rpc<CometBlock | { block: null }>("block_by_hash", { hash: Buffer.from(hash, "hex").toString("base64") });
      if (b.block === null) throw notFound(`no block with hash ${hash.toUpperCase()}`);
      return blockJson(b as CometBlock);
    },
    status: () => ctx.rpc<CometStatus>("status", {}),
  };
}
