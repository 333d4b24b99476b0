// The app's HTTP surface on :1317 (loopback by default): Cosmos-SDK-style REST, TrustNet routes, /metrics and
// an explorer page. Reads go through the same ABCI query router the chain answers, so there is one code path.
import type { Server } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import { QueryAccountRequest, QueryAccountResponse, QueryParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse, QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { registryTypes } from "../modules/registry/index.ts";
import { accountJson, coinJson, protoJson } from "./json.ts";
import { EXPLORER_HTML } from "./explorer-page.ts";
import type { AppMetrics } from "./metrics.ts";

export interface RestOptions {
  readonly query: (req: RequestQuery) => Partial<ResponseQuery> | Promise<Partial<ResponseQuery>>;
  /** CometBFT RPC of this node, for tx broadcast/lookup and node info. */
  readonly rpcUrl: string;
  readonly metrics: AppMetrics;
  readonly appVersion: string;
  readonly host: string;
  readonly port: number;
}

class HttpError extends Error {
  readonly status: number;
  readonly grpc: number;
  constructor(status: number, grpc: number, message: string) {
    super(message);
    this.status = status;
    this.grpc = grpc;
  }
}

/** App result code → gRPC status code and HTTP status (grpc-gateway's table). */
function fromAppCode(code: number, log: string): HttpError {
  if (code === 22 || code === 38) return new HttpError(404, 5, log);
  if ([2, 3, 7, 8, 10, 18, 26, 29].includes(code)) return new HttpError(400, 3, log);
  if (code === 6) return new HttpError(501, 12, log);
  return new HttpError(500, 2, log);
}

async function rpc<T>(url: string, method: string, params: Record<string, unknown>): Promise<T> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new HttpError(503, 14, `CometBFT RPC unreachable: ${(err as Error).message}`);
  }
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new HttpError(/not found/i.test(body.error.data ?? "") ? 404 : 400, /not found/i.test(body.error.data ?? "") ? 5 : 3, `${body.error.message}: ${body.error.data ?? ""}`);
  return body.result as T;
}

export async function startRestServer(o: RestOptions): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "1mb" }));
  app.use((req, res, next) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.on("finish", () => o.metrics.restRequests.inc({ route: (req.route as { path?: string } | undefined)?.path ?? "unmatched", method: req.method, code: String(res.statusCode) }));
    if (req.method === "OPTIONS") return void res.status(204).end();
    next();
  });

  const heightOf = (req: Request): bigint => {
    const h = req.header("x-cosmos-block-height") ?? "0";
    if (!/^\d{1,19}$/.test(h)) throw new HttpError(400, 3, "x-cosmos-block-height must be a non-negative integer");
    return BigInt(h);
  };
  const query = async (req: Request, res: Response, path: string, data: Uint8Array): Promise<Uint8Array> => {
    const r = await o.query({ path, data, height: heightOf(req), prove: false });
    if (r.code) throw fromAppCode(r.code, r.log ?? "");
    res.setHeader("x-cosmos-block-height", String(r.height ?? 0n));
    return r.value ?? new Uint8Array();
  };
  const route = (path: string, method: "get" | "post", h: (req: Request, res: Response) => Promise<unknown>): void => {
    app[method](path, (req: Request, res: Response, next: NextFunction) => {
      h(req, res).then((body) => res.json(body), next);
    });
  };
  const param = (req: Request, name: string): string => String((req.params as Record<string, string>)[name] ?? "");

  route("/cosmos/auth/v1beta1/accounts/:address", "get", async (req, res) => ({
    account: accountJson(QueryAccountResponse.decode(await query(req, res, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: param(req, "address") }).finish())).account),
  }));
  route("/cosmos/auth/v1beta1/params", "get", async (req, res) => protoJson(QueryParamsResponse.decode(await query(req, res, "/cosmos.auth.v1beta1.Query/Params", new Uint8Array()))));
  const balances = async (req: Request, res: Response): Promise<unknown> => {
    const b = QueryAllBalancesResponse.decode(await query(req, res, "/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address: param(req, "address"), resolveDenom: false }).finish()));
    return { balances: b.balances.map(coinJson), pagination: { next_key: null, total: String(b.balances.length) } };
  };
  route("/cosmos/bank/v1beta1/balances/:address", "get", balances);
  route("/cosmos/bank/v1beta1/spendable_balances/:address", "get", balances);
  route("/cosmos/bank/v1beta1/balances/:address/by_denom", "get", async (req, res) => ({
    balance: coinJson(QueryBalanceResponse.decode(await query(req, res, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: param(req, "address"), denom: String(req.query.denom ?? "") }).finish())).balance),
  }));
  route("/cosmos/bank/v1beta1/supply", "get", async (req, res) => {
    const s = QueryTotalSupplyResponse.decode(await query(req, res, "/cosmos.bank.v1beta1.Query/TotalSupply", new Uint8Array()));
    return { supply: s.supply.map(coinJson), pagination: { next_key: null, total: String(s.supply.length) } };
  });
  route("/cosmos/bank/v1beta1/supply/by_denom", "get", async (req, res) => ({
    amount: coinJson(QuerySupplyOfResponse.decode(await query(req, res, "/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: String(req.query.denom ?? "") }).finish())).amount),
  }));
  route("/cosmos/tx/v1beta1/simulate", "post", async (req, res) => {
    const txBytes = Buffer.from(String((req.body as { tx_bytes?: string }).tx_bytes ?? ""), "base64");
    if (txBytes.length === 0) throw new HttpError(400, 3, "tx_bytes (base64) is required");
    const { SimulateRequest } = await import("cosmjs-types/cosmos/tx/v1beta1/service");
    return protoJson(SimulateResponse.decode(await query(req, res, "/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes }).finish())));
  });
  route("/cosmos/tx/v1beta1/txs", "post", async (req) => {
    const body = req.body as { tx_bytes?: string; mode?: string };
    const tx = String(body.tx_bytes ?? "");
    if (tx === "") throw new HttpError(400, 3, "tx_bytes (base64) is required");
    const method = body.mode === "BROADCAST_MODE_ASYNC" ? "broadcast_tx_async" : "broadcast_tx_sync";
    const r = await rpc<{ code: number; codespace?: string; log?: string; hash: string }>(o.rpcUrl, method, { tx });
    return { tx_response: { height: "0", txhash: r.hash, codespace: r.codespace ?? "", code: r.code, data: "", raw_log: r.log ?? "", logs: [], info: "", gas_wanted: "0", gas_used: "0", tx: null, timestamp: "", events: [] } };
  });
  route("/cosmos/tx/v1beta1/txs/:hash", "get", async (req) => {
    const hash = param(req, "hash");
    if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new HttpError(400, 3, "hash must be 64 hex characters");
    const r = await rpc<{ hash: string; height: string; tx_result: { code: number; codespace?: string; log?: string; gas_wanted?: string; gas_used?: string; events?: unknown[]; data?: string } }>(o.rpcUrl, "tx", { hash: Buffer.from(hash, "hex").toString("base64") });
    return { tx_response: { height: r.height, txhash: r.hash, code: r.tx_result.code, codespace: r.tx_result.codespace ?? "", raw_log: r.tx_result.log ?? "", gas_wanted: r.tx_result.gas_wanted ?? "0", gas_used: r.tx_result.gas_used ?? "0", events: r.tx_result.events ?? [], data: r.tx_result.data ?? "" } };
  });
  route("/cosmos/base/tendermint/v1beta1/node_info", "get", async () => {
    const s = await rpc<{ node_info: Record<string, unknown> }>(o.rpcUrl, "status", {});
    return { default_node_info: s.node_info, application_version: { name: "trustnet", app_name: "trustnet-app", version: o.appVersion, git_commit: "", cosmos_sdk_version: "v0.50-compatible" } };
  });
  route("/cosmos/base/tendermint/v1beta1/syncing", "get", async () => ({
    syncing: (await rpc<{ sync_info: { catching_up: boolean } }>(o.rpcUrl, "status", {})).sync_info.catching_up,
  }));
  route("/cosmos/base/tendermint/v1beta1/blocks/latest", "get", async () => rpc(o.rpcUrl, "block", {}));
  route("/cosmos/base/tendermint/v1beta1/blocks/:height", "get", async (req) => {
    const h = param(req, "height");
    if (!/^\d{1,19}$/.test(h)) throw new HttpError(400, 3, "height must be a positive integer");
    return rpc(o.rpcUrl, "block", { height: h });
  });
  route("/trustnet/explorer/v1/blocks", "get", async (req) => {
    const limit = Math.min(50, Math.max(1, Number(req.query.limit ?? 20) || 20));
    const s = await rpc<{ sync_info: { latest_block_height: string } }>(o.rpcUrl, "status", {});
    const max = Number(s.sync_info.latest_block_height);
    return rpc(o.rpcUrl, "blockchain", { minHeight: String(Math.max(1, max - limit + 1)), maxHeight: String(max) });
  });
  // TrustNet registry module.
  const rq = "/trustnet.registry.v1.Query/";
  route("/trustnet/registry/v1/namespaces", "get", async (req, res) => protoJson(registryTypes.QueryNamespacesResponse.decode(await query(req, res, `${rq}NamespacesByOwner`, registryTypes.QueryNamespacesByOwnerRequest.encode({ owner: String(req.query.owner ?? "") }).finish()))));
  route("/trustnet/registry/v1/namespaces/:namespace", "get", async (req, res) => {
    const r = registryTypes.QueryNamespaceResponse.decode(await query(req, res, `${rq}Namespace`, registryTypes.QueryNamespaceRequest.encode({ namespace: param(req, "namespace") }).finish()));
    return { namespace: protoJson(r.namespace[0] ?? null) };
  });
  route("/trustnet/registry/v1/repos/:namespace", "get", async (req, res) => protoJson(registryTypes.QueryReposResponse.decode(await query(req, res, `${rq}Repos`, registryTypes.QueryReposRequest.encode({ namespace: param(req, "namespace") }).finish()))));
  route("/trustnet/registry/v1/tags/:namespace/*repo", "get", async (req, res) => {
    const repo = ([] as string[]).concat((req.params as Record<string, string | string[]>).repo ?? []).join("/");
    const tag = req.query.history;
    const bytes = typeof tag === "string"
      ? await query(req, res, `${rq}TagHistory`, registryTypes.QueryTagHistoryRequest.encode({ namespace: param(req, "namespace"), repo, tag }).finish())
      : await query(req, res, `${rq}Tags`, registryTypes.QueryTagsRequest.encode({ namespace: param(req, "namespace"), repo }).finish());
    return protoJson(registryTypes.QueryTagRecordsResponse.decode(bytes));
  });

  app.get("/metrics", (_req, res, next) => {
    o.metrics.registry.metrics().then((text) => res.type(o.metrics.registry.contentType).send(text), next);
  });
  app.get("/", (_req, res) => {
    res.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'");
    res.type("html").send(EXPLORER_HTML);
  });
  app.use((_req: Request, res: Response) => {
    res.status(501).json({ code: 12, message: "route not implemented by TrustNet", details: [] });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err instanceof HttpError ? err : (err as { type?: string }).type === "entity.parse.failed" ? new HttpError(400, 3, "request body is not valid JSON") : new HttpError(500, 2, (err as Error).message);
    res.status(e.status).json({ code: e.grpc, message: e.message, details: [] });
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(o.port, o.host, () => resolve(server));
    server.once("error", reject);
  });
}
