// The REST gateway's answers for the CLI (`trustnet query txs|block|blocks`, `tx <hash> -o json`, `trustnet status`), read from a node's
// CometBFT RPC: the routes' own handlers run on cometRpc (the REST server's answer caps and error mapping), so `-o json`
// prints the body `GET /cosmos/tx/v1beta1/txs` and `/cosmos/base/tendermint/v1beta1/blocks/…` answer, as simd's CLI
// prints the gRPC responses those routes serve. A block search (no route serves one) prints its blocks as those do.
import { AnswerTooLargeError, CometRpc, CometRpcError } from "../client/comet-rpc.ts";
import { badRequest, Grpc, notFound, RestError } from "../sdk/client/rest-errors.ts";
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

/**
 * A block search's page as simd's `query blocks` prints it (the SDK's SearchBlocksResult): the counts as int64
 * strings, each block as GetBlockByHeight's `block` (proto JSON: bytes base64).
 */
export interface BlockSearchAnswer {
  readonly total_count: string;
  readonly count: string;
  readonly page_number: string;
  readonly page_total: string;
  readonly limit: string;
  readonly blocks: Record<string, unknown>[];
}

/** The most bytes of a `block_search` answer read: a page of blocks is up to `limit` whole blocks; a larger one is refused, "ask for fewer". */
export const BLOCK_SEARCH_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

export interface NodeAnswers {
  /** `GET /cosmos/tx/v1beta1/txs?query=…&page=…&limit=…&order_by=…`'s body (its checks and errors: RestError). */
  searchTxs(q: { readonly query: string; readonly page: number; readonly limit: number; readonly orderBy: "asc" | "desc" }): Promise<TxSearchAnswer>;
  /** `GET /cosmos/tx/v1beta1/txs/{hash}`'s `tx_response` (the SDK's TxResponse); an unknown hash is a NotFound RestError. */
  txResponse(hash: string): Promise<Record<string, unknown>>;
  /** `GET /cosmos/base/tendermint/v1beta1/blocks/{height}` (latest: `blocks/latest`)'s body: `{block_id, block, sdk_block}`. */
  block(height?: string): Promise<Record<string, unknown>>;
  /** The block with this hash (64 hex digits), as `block` prints one; an unknown hash is a NotFound RestError. */
  blockByHash(hash: string): Promise<Record<string, unknown>>;
  /** CometBFT `block_search`'s page (a query it cannot parse: InvalidArgument; a page past the last: no blocks). */
  searchBlocks(q: { readonly query: string; readonly page: number; readonly limit: number; readonly orderBy: "asc" | "desc" }): Promise<BlockSearchAnswer>;
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
  const search = new CometRpc(rpcUrl, 20_000);
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
    txResponse: async (hash) => ((await get("/cosmos/tx/v1beta1/txs/{hash}", { hash }, {})) as { tx_response: Record<string, unknown> }).tx_response,
    block: async (height) => (await (height === undefined ? get("/cosmos/base/tendermint/v1beta1/blocks/latest", {}, {}) : get("/cosmos/base/tendermint/v1beta1/blocks/{height}", { height }, {}))) as Record<string, unknown>,
    async blockByHash(hash) {
      if (!/^[0-9A-Fa-f]{64}$/u.test(hash)) throw badRequest("invalid hash: a block hash, 64 hex digits");
      // CometBFT answers an unknown hash with a null block, not an error.
      const b = await ctx.rpc<CometBlock | { block: null }>("block_by_hash", { hash: Buffer.from(hash, "hex").toString("base64") });
      if (b.block === null) throw notFound(`no block with hash ${hash.toUpperCase()}`);
      return blockJson(b as CometBlock);
    },
    async searchBlocks(q) {
      // Not a REST route: read on its own client, its answer capped for a page of whole blocks.
      const ask = async (page: number, perPage: number): Promise<{ blocks: CometBlock[]; total_count: string }> => {
        try {
          return await search.call("block_search", { query: q.query, page: String(page), per_page: String(perPage), order_by: q.orderBy }, BLOCK_SEARCH_ANSWER_MAX_BYTES);
        } catch (err) {
          if (err instanceof AnswerTooLargeError) throw new RestError(Grpc.OutOfRange, `the node's answer is more than ${err.maxBytes} bytes; ask for fewer blocks a page`);
          if (err instanceof CometRpcError) throw badRequest("query is not a valid CometBFT event query (e.g. block.height > 5)");
          throw new RestError(Grpc.Unavailable, "node unreachable");
        }
      };
      let r: { blocks: CometBlock[]; total_count: string };
      try {
        r = await ask(q.page, q.limit);
      } catch (err) {
        // CometBFT answers a page past the last with an error; page 1 (always served) tells a bad query from that.
        if (q.page === 1 || !(err instanceof RestError) || err.grpc !== Grpc.InvalidArgument) throw err;
        r = { blocks: [], total_count: (await ask(1, 1)).total_count };
      }
      const total = Number(r.total_count);
      return {
        total_count: r.total_count, count: String(r.blocks.length), page_number: String(q.page), page_total: String(Math.ceil(total / q.limit)), limit: String(q.limit),
        blocks: r.blocks.map((b) => blockJson(b).block as Record<string, unknown>),
      };
    },
    status: () => ctx.rpc<CometStatus>("status", {}),
  };
}
