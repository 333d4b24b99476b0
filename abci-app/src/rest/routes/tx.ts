// x/auth/tx's gateway routes: broadcast, lookup, event search (CometBFT tx_search, no separate indexer), a block with
// its txs decoded, simulate, and TxDecode and TxEncode (txCodecRoutes).
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { badRequest, Grpc, RestError } from "../../sdk/client/rest-errors.ts";
import { protoJson } from "../../sdk/client/json.ts";
import { MAX_OFFSET, parsePageRequest, STANDARD_BASE64 } from "../../sdk/client/pagination.ts";
import { HEIGHT, TX_HASH, type RestContext, type RestModule, type RestRoute, type RouteCall } from "../../sdk/client/route-table.ts";
import { AppError } from "../../sdk/errors.ts";
import type { ModuleDescriptor, MsgHandler } from "../../sdk/module.ts";
import { decodeTx, MAX_TX_BYTES, type MsgRouter } from "../../sdk/tx/decode.ts";
import { blockJson, type CometBlock } from "../block-json.ts";
import { concurrencyLimit } from "../rpc-client.ts";
import { messageJson } from "../msg-json.ts";
import { txJson, txResponseJson, type CometTx } from "../tx-json.ts";
import { TxJsonError, txFromJson } from "../tx-from-json.ts";

/** CometBFT's tx_search answers at most 100 per page; a search page is clamped to that. */
export const MAX_SEARCH_LIMIT = 100;

function txBytesOf(body: unknown): string {
  const b = (body ?? {}) as { tx_bytes?: unknown };
  if (typeof b.tx_bytes !== "string" || b.tx_bytes === "") throw badRequest("tx_bytes (base64 TxRaw) is required");
  if (!STANDARD_BASE64.test(b.tx_bytes)) throw badRequest("tx_bytes must be standard base64");
  if (b.tx_bytes.length > Math.ceil(MAX_TX_BYTES / 3) * 4) throw badRequest(`tx_bytes is larger than ${MAX_TX_BYTES} bytes`);
  return b.tx_bytes;
}

function emptyTxResponse(hash: string, code: number, codespace: string, log: string): Record<string, unknown> {
  return { height: "0", txhash: hash.toUpperCase(), codespace, code, data: "", raw_log: log, logs: [], info: "", gas_wanted: "0", gas_used: "0", tx: null, timestamp: "", events: [] };
}

/** Block times kept across requests (a committed header never changes); the oldest go first beyond this many. */
export const MAX_CACHED_BLOCK_TIMES = 4096;

/**
 * The time of each height's block, from CometBFT `header`: each height is asked once and then kept, so a page of 100
 * txs from 100 blocks costs 100 header calls the first time only (the explorer's block and overview pages, and
 * every client paging through a history, ask for the same recent heights again and again).
 */
export function blockTimeSource(ctx: RestContext): (heights: readonly string[]) => Promise<Map<string, string>> {
  const cache = new Map<string, string>();
  return async (heights) => {
    const missing = [...new Set(heights)].filter((h) => !cache.has(h));
    const times = await Promise.all(missing.map(async (h) => (await ctx.rpc<{ header: { time: string } }>("header", { height: h })).header.time));
    missing.forEach((h, i) => cache.set(h, times[i] as string));
    const answer = new Map(heights.map((h) => [h, cache.get(h) ?? ""]));
    for (const h of cache.keys()) {
      if (cache.size <= MAX_CACHED_BLOCK_TIMES) break;
      cache.delete(h);
    }
    return answer;
  };
}

/** One block-time source per REST context (per server). */
const timeSources = new WeakMap<RestContext, (heights: readonly string[]) => Promise<Map<string, string>>>();
function blockTimes(ctx: RestContext, heights: readonly string[]): Promise<Map<string, string>> {
  let source = timeSources.get(ctx);
  if (!source) timeSources.set(ctx, (source = blockTimeSource(ctx)));
  return source(heights);
}

/**
 * tx_search calls one server makes at once (of its MAX_RPC_IN_FLIGHT CometBFT calls); the others wait their turn.
 * CometBFT 0.38 loads and sorts every tx a search matches before it cuts the page, and an exact condition can still
 * match nearly every tx (`message.module='bank'`): without this, 32 such searches could take every RPC slot (the
 * broadcasts, headers and lookups of everyone else queued behind them) and make CometBFT walk its index 32 times at once.
 */
export const MAX_TX_SEARCH_IN_FLIGHT = 4;

/** One tx_search limit per REST context (per server). */
const searchSlots = new WeakMap<RestContext, <T>(run: () => Promise<T>) => Promise<T>>();
function txSearch<T>(ctx: RestContext, params: Record<string, unknown>): Promise<T> {
  let slot = searchSlots.get(ctx);
  if (!slot) searchSlots.set(ctx, (slot = concurrencyLimit(MAX_TX_SEARCH_IN_FLIGHT)));
  return slot(() => ctx.rpc<T>("tx_search", params));
}

function uintParam(c: RouteCall, name: string): number | undefined {
  const v = c.query[name];
  if (v === undefined || v === "") return undefined;
  if (typeof v !== "string" || !/^\d{1,20}$/.test(v)) throw badRequest(`${name} must be a non-negative integer`);
  // Larger than any page or offset we serve: the callers clamp (limit) or refuse (offset) it.
  return Math.min(Number(v), Number.MAX_SAFE_INTEGER);
}

/** The events query: `query` (SDK ≥ 0.50) or the older repeated `events` joined with AND. */
function searchQuery(c: RouteCall): string {
  const q = c.query.query;
  const ev = c.query.events;
  let query: string;
  if (typeof q === "string" && q.trim() !== "") query = q.trim();
  else if (typeof ev === "string" && ev !== "") query = ev;
  else if (Array.isArray(ev) && ev.length > 0 && ev.every((e) => typeof e === "string")) query = (ev as string[]).join(" AND ");
  else throw badRequest("query (a CometBFT event query, e.g. message.sender='trust1…') is required");
  if (query.length > 1024) throw badRequest("query is longer than 1024 characters");
  if (!hasEqualityCondition(query)) {
    throw badRequest("query needs at least one exact condition (key='value' or tx.height=N, e.g. message.sender='trust1…'): ranges, CONTAINS and EXISTS alone (tx.height>0) make the node load every matching tx");
  }
  return query;
}

/**
 * Whether a CometBFT event query has a condition `key=value` among its AND-joined conditions (quoted values are
 * blanked first: they may hold "AND" or "="). CometBFT's tx_search loads and sorts every match before it cuts a page,
 * and a condition of ranges, CONTAINS or EXISTS alone (`tx.height>0`) matches every tx ever indexed; an exact
 * condition confines the work to the txs it names (a block, a sender, a hash).
 */
export function hasEqualityCondition(query: string): boolean {
  const blanked = query.replace(/'[^']*'/g, "''");
  return blanked.split(/\s+AND\s+/i).some((c) => /^\s*[A-Za-z0-9_.-]+\s*=(?!=)/.test(c));
}

export const txRoutes: RestModule = {
  name: "tx",
  routes: (ctx): RestRoute[] => [
    {
      method: "post", path: "/cosmos/tx/v1beta1/txs", summary: "Broadcast a signed TxRaw; a rejected tx is HTTP 200 with a non-zero tx_response.code",
      body: { description: "BroadcastTxRequest", required: ["tx_bytes", "mode"], properties: { tx_bytes: { type: "string", description: "base64 TxRaw" }, mode: { type: "string", description: "BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC" } } },
      handler: async (c) => {
        const tx = txBytesOf(c.body);
        const mode = (c.body as { mode?: unknown }).mode;
        let method: string;
        if (mode === "BROADCAST_MODE_SYNC" || mode === 2) method = "broadcast_tx_sync";
        else if (mode === "BROADCAST_MODE_ASYNC" || mode === 3) method = "broadcast_tx_async";
        else if (mode === "BROADCAST_MODE_BLOCK" || mode === 1) throw badRequest("BROADCAST_MODE_BLOCK is not supported (as in Cosmos SDK >= 0.47); use BROADCAST_MODE_SYNC and look the tx up");
        else throw badRequest("mode must be BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC");
        const hash = Buffer.from(await crypto.subtle.digest("SHA-256", Buffer.from(tx, "base64"))).toString("hex");
        try {
          const r = await ctx.rpc<{ code: number; codespace?: string; log?: string; hash: string }>(method, { tx });
          return { tx_response: emptyTxResponse(r.hash, r.code, r.codespace ?? "", r.log ?? "") };
        } catch (err) {
          // CometBFT refuses these before CheckTx; the SDK reports them as codes, not HTTP errors.
          if (err instanceof RestError && err.grpc === Grpc.AlreadyExists) return { tx_response: emptyTxResponse(hash, 19, "sdk", "tx already exists in mempool cache") };
          if (err instanceof RestError && err.grpc === Grpc.OutOfRange) return { tx_response: emptyTxResponse(hash, 21, "sdk", "tx too large") };
          throw err;
        }
      },
    },
    {
      method: "get", path: "/cosmos/tx/v1beta1/txs/{hash}", summary: "A committed tx and its result",
      params: [{ name: "hash", in: "path", required: true, description: "tx hash, 64 hex characters", pattern: TX_HASH }],
      handler: async (c) => {
        let t: CometTx;
        try {
          t = await ctx.rpc<CometTx>("tx", { hash: Buffer.from(c.params.hash as string, "hex").toString("base64") });
        } catch (err) {
          if (err instanceof RestError && err.grpc === Grpc.NotFound) throw new RestError(Grpc.NotFound, `tx not found: ${(c.params.hash as string).toUpperCase()}`);
          throw err;
        }
        const times = await blockTimes(ctx, [t.height]);
        const r = txResponseJson(t, times.get(t.height) ?? "");
        return { tx: txJson(Buffer.from(t.tx, "base64")), tx_response: r };
      },
    },
    {
      method: "get", path: "/cosmos/tx/v1beta1/txs", summary: `Search committed txs by events (CometBFT tx_search); at most ${MAX_SEARCH_LIMIT} per page`,
      params: [
        { name: "query", in: "query", required: true, description: "CometBFT event query with at least one exact condition, e.g. message.sender='trust1…' AND tx.height>5" },
        { name: "events", in: "query", description: "older form: repeated conditions joined with AND" },
        { name: "order_by", in: "query", description: "ORDER_BY_ASC (default) or ORDER_BY_DESC" },
        { name: "page", in: "query", type: "integer", description: "1-based page (SDK >= 0.50); pagination.offset wins when both are given" },
        { name: "limit", in: "query", type: "integer", description: "page size (SDK >= 0.50)" },
      ],
      paginated: true,
      handler: async (c) => {
        const query = searchQuery(c);
        const order = c.query.order_by ?? "ORDER_BY_ASC";
        if (order !== "ORDER_BY_ASC" && order !== "ORDER_BY_DESC" && order !== "ORDER_BY_UNSPECIFIED" && order !== "") throw badRequest("order_by must be ORDER_BY_ASC or ORDER_BY_DESC");
        if (c.query["pagination.key"] !== undefined && c.query["pagination.key"] !== "") throw badRequest("pagination.key is not supported by tx search; use pagination.offset or page");
        const limitRaw = uintParam(c, "pagination.limit") ?? uintParam(c, "limit") ?? 0;
        const limit = Math.min(limitRaw === 0 ? MAX_SEARCH_LIMIT : limitRaw, MAX_SEARCH_LIMIT);
        const page = uintParam(c, "page");
        const offset = uintParam(c, "pagination.offset") ?? (page && page > 0 ? (page - 1) * limit : 0);
        if (offset > MAX_OFFSET) throw badRequest(`offset must be at most ${MAX_OFFSET}`);
        const reverse = c.query["pagination.reverse"] === "true";
        const orderBy = order === "ORDER_BY_DESC" !== reverse ? "desc" : "asc";
        // Fetch the CometBFT pages of `limit` txs that cover [offset, offset + limit): two at most, whatever they hold.
        // A page is no larger than the client asked for, so a client whose page is past the REST server's byte cap
        // for a CometBFT answer (RPC_ANSWER_MAX_BYTES.tx_search: 400, "ask for fewer") can always ask for fewer.
        const perPage = limit;
        const lastPage = Math.floor((offset + limit - 1) / perPage) + 1;
        const ask = async (p: number, n: number): Promise<{ txs: CometTx[]; total_count: string } | undefined> => {
          try {
            return await txSearch<{ txs: CometTx[]; total_count: string }>(ctx, { query, page: String(p), per_page: String(n), order_by: orderBy, prove: false });
          } catch (err) {
            if (err instanceof RestError && err.grpc === Grpc.InvalidArgument) {
              // CometBFT answers a page past the end with an error; page 1 (always served) tells a bad query from that.
              if (p > 1) return undefined;
              throw badRequest("query is not a valid CometBFT event query (e.g. message.sender='trust1…')");
            }
            throw err;
          }
        };
        const found: CometTx[] = [];
        let total: number | undefined;
        for (let p = Math.floor(offset / perPage) + 1; found.length < limit && p <= lastPage; p++) {
          const r = await ask(p, perPage);
          if (r === undefined) {
            // A page past the last: empty, with the search's real total (one tx of page 1 asked for it), not "0".
            total ??= Number((await ask(1, 1))?.total_count ?? 0);
            break;
          }
          total = Number(r.total_count);
          const skip = p === Math.floor(offset / perPage) + 1 ? offset % perPage : 0;
          found.push(...r.txs.slice(skip, skip + (limit - found.length)));
          if (p * perPage >= total) break;
        }
        const times = await blockTimes(ctx, found.map((t) => t.height));
        return {
          txs: found.map((t) => txJson(Buffer.from(t.tx, "base64"))),
          tx_responses: found.map((t) => txResponseJson(t, times.get(t.height) ?? "")),
          pagination: { next_key: null, total: String(total ?? 0) },
          total: String(total ?? 0),
        };
      },
    },
    {
      method: "get", path: "/cosmos/tx/v1beta1/txs/block/{height}", summary: "A block with its txs decoded (GetBlockWithTxs); the txs paged by pagination.offset/limit",
      params: [{ name: "height", in: "path", required: true, description: "block height (a positive integer)", pattern: HEIGHT }],
      paginated: true,
      handler: async (c) => {
        const p = parsePageRequest(c.query);
        if (p.key !== undefined) throw badRequest("pagination.key is not supported by GetBlockWithTxs; use pagination.offset");
        // The block as the block routes read it (CometBFT `block`, up to the chain's block cap): a height past the
        // latest is CometBFT's error, mapped as there.
        const block = await ctx.rpc<CometBlock>("block", { height: c.params.height });
        const all = block.block.data.txs ?? [];
        // As the SDK: an offset at or past the block's txs is an error, unless the block has none.
        if (all.length > 0 && p.offset >= all.length) throw badRequest(`out of range: cannot paginate ${all.length} txs with offset ${p.offset} and limit ${p.limit}`);
        const ordered = p.reverse ? [...all].reverse() : all;
        const { block_id, block: body } = blockJson(block);
        return {
          txs: ordered.slice(p.offset, p.offset + p.limit).map((t) => txJson(Buffer.from(t, "base64"))),
          block_id,
          block: body,
          pagination: { next_key: null, total: String(all.length) },
        };
      },
    },
    {
      method: "post", path: "/cosmos/tx/v1beta1/simulate", summary: "Simulate a tx (signatures are not checked) for its gas",
      body: { description: "SimulateRequest", required: ["tx_bytes"], properties: { tx_bytes: { type: "string", description: "base64 TxRaw" } } },
      handler: async (c) => {
        const txBytes = Buffer.from(txBytesOf(c.body), "base64");
        const r = await ctx.abciQueryRaw(c, "/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes }).finish());
        // A tx that would fail is the client's problem, not the server's: InvalidArgument with the app's message. Code 1
        // (codespace sdk) is the app's own failure, whose log names it (query-router's queryError): never echoed.
        if (r.code === 1 && r.codespace === "sdk") throw new RestError(Grpc.Internal, "internal error");
        if (r.code !== 0) throw badRequest(r.log || `simulation failed with code ${r.code}`);
        const s = SimulateResponse.decode(r.value);
        return {
          gas_info: s.gasInfo ? { gas_wanted: s.gasInfo.gasWanted.toString(), gas_used: s.gasInfo.gasUsed.toString() } : null,
          result: s.result
            ? { data: Buffer.from(s.result.data).toString("base64"), log: s.result.log, events: protoJson(s.result.events), msg_responses: s.result.msgResponses.map(messageJson) }
            : null,
        };
      },
    },
  ],
};

/** The modules' message handlers by type URL: the router the app decodes txs with (TrustNetApp builds the same). */
function msgRouterOf(modules: readonly ModuleDescriptor[]): MsgRouter {
  return new Map(modules.flatMap((m) => (m.msgs ?? []).map((h) => [h.typeUrl, h as MsgHandler<unknown>] as const)));
}

/**
 * TxDecode (`POST /cosmos/tx/v1beta1/decode`): a TxRaw decoded by the chain's own decoder (decodeTx: the strict scan,
 * no unknown fields, the size and message limits; not the messages' stateless checks) with the app's `modules`' messages,
 * printed as the tx routes print a tx. A tx the chain would refuse to decode is a 400 with the chain's reason.
 */
export function txCodecRoutes(modules: readonly ModuleDescriptor[]): RestModule {
  const router = msgRouterOf(modules);
  return {
    name: "tx",
    routes: (): RestRoute[] => [
      {
        method: "post", path: "/cosmos/tx/v1beta1/decode", summary: "Decode a TxRaw (TxDecode) with the chain's strict decoder; the tx as the tx routes print it",
        body: { description: "TxDecodeRequest", required: ["tx_bytes"], properties: { tx_bytes: { type: "string", description: "base64 TxRaw" } } },
        handler: async (c) => {
          const bytes = Buffer.from(txBytesOf(c.body), "base64");
          try {
            // As the SDK's TxDecode: the decoder's rules (unknown fields, size, routed messages), not the messages'
            // stateless checks, so a tx the chain refuses (a zero amount, a bad address) can still be looked at.
            decodeTx(bytes, router, { validateBasic: false });
          } catch (err) {
            if (err instanceof AppError) throw badRequest(err.message);
            throw err;
          }
          return { tx: txJson(bytes) };
        },
      },
      {
        method: "post", path: "/cosmos/tx/v1beta1/encode", summary: "Encode a tx given as the SDK's JSON (TxEncode), read strictly; its TxRaw bytes, as the chain's decoder reads them",
        body: { description: "TxEncodeRequest", required: ["tx"], properties: { tx: { type: "object", description: "the Tx as TxDecode and the tx routes print it: {body, auth_info, signatures}" } } },
        handler: async (c) => {
          const req = (c.body ?? {}) as Record<string, unknown>;
          const extra = Object.keys(req).find((k) => k !== "tx");
          if (extra !== undefined) throw badRequest(`${extra.slice(0, 100)}: unknown field`);
          if (req.tx === undefined || req.tx === null) throw badRequest("tx (the Tx as JSON) is required");
          let bytes: Uint8Array;
          try {
            // The reader refuses what the gateway would not print back (an unknown field, another form), by path.
            const t = txFromJson(req.tx);
            bytes = TxRaw.encode({ bodyBytes: t.bodyBytes, authInfoBytes: t.authInfoBytes, signatures: [...t.signatures] }).finish();
            // And the bytes must be a tx this chain decodes (routed messages, the size limit), as TxDecode requires.
            decodeTx(bytes, router, { validateBasic: false });
          } catch (err) {
            // Paths named from the request body (`tx.body.messages[0].amont: unknown field`).
            if (err instanceof TxJsonError) throw badRequest(err.message.startsWith("tx") ? err.message : `tx.${err.message}`);
            if (err instanceof AppError) throw badRequest(err.message);
            throw err;
          }
          return { tx_bytes: Buffer.from(bytes).toString("base64") };
        },
      },
    ],
  };
}
