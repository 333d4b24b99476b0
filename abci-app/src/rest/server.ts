// The app's HTTP surface on :1317 (loopback by default): the Cosmos SDK gateway's routes, TrustNet's module
// routes, the seed's thin /api routes, /openapi.json, /metrics and the explorer. Every module contributes its
// routes through one RestModule interface (route-table.ts); reads go through the same ABCI query router the chain
// answers, so there is one code path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { errorBody, fromAppCode, Grpc, RestError, badRequest } from "../sdk/client/rest-errors.ts";
import { limitConnectionsPerClient } from "./connection-limit.ts";
import { answerSender, cors, DEFAULT_LIMITS, endPreflight, inFlightLimiter, metricsAccess, rateLimiter, type RestLimits } from "./limits.ts";
import type { AppMetrics } from "./metrics.ts";
import { openApiDocument } from "./openapi.ts";
import { cometRpc } from "./rpc-client.ts";
import type { AbciQueryFn, RestContext, RestModule, RestRoute, RouteCall } from "../sdk/client/route-table.ts";
import { seedRoutes } from "./routes/seed-api.ts";
import { nodeRoutes } from "./routes/node.ts";
import { tendermintRoutes } from "./routes/tendermint.ts";
import { txCodecRoutes, txRoutes } from "./routes/tx.ts";
import { explorerAssets } from "./explorer/index.ts";
import { buildModules } from "../app/modules.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";

/**
 * The route sets served, in order: the node's own (blocks, node info, the node service), then every module's (ModuleDescriptor.client.rest,
 * in the app's module order), then tx broadcast/lookup, TxDecode (with the modules' messages) and the seed's /api
 * routes. A module's routes live in its client/rest.ts; nothing here names a module.
 */
export function restModules(modules: readonly ModuleDescriptor[]): RestModule[] {
  return [tendermintRoutes, nodeRoutes, ...modules.flatMap((m) => (m.client?.rest ? [m.client.rest] : [])), txRoutes, txCodecRoutes(modules), seedRoutes];
}

export interface RestOptions {
  readonly query: AbciQueryFn;
  /** The app's modules, whose REST routes are served (default: the app's module list, buildModules()). */
  readonly modules?: readonly ModuleDescriptor[];
  /** CometBFT RPC of this node, for tx broadcast/lookup, blocks and node info. */
  readonly rpcUrl: string;
  readonly metrics: AppMetrics;
  readonly appVersion: string;
  readonly host: string;
  readonly port: number;
  readonly limits?: Partial<RestLimits>;
  readonly logger?: Logger;
  /** Public CometBFT RPC URL the explorer's websocket uses (default: same host, port 26657). */
  readonly explorerRpcUrl?: string;
}

/** Express's `{name}` → `:name` (and `*name` for a multi-segment parameter). */
function expressPath(r: RestRoute): string {
  return r.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => (r.params?.find((p) => p.name === name)?.multiSegment ? `*${name}` : `:${name}`));
}

export function buildRoutes(ctx: RestContext, modules: readonly RestModule[]): RestRoute[] {
  return modules.flatMap((m) => m.routes(ctx).map((r) => ({ ...r, tag: r.tag ?? m.name })));
}

export function restContext(query: AbciQueryFn, rpcUrl: string, appVersion: string, logger?: Logger): RestContext {
  const raw = async (call: RouteCall, path: string, data: Uint8Array): Promise<{ code: number; codespace: string; log: string; value: Uint8Array; height: bigint }> => {
    const r = await query({ path, data, height: call.height, prove: false });
    return { code: r.code ?? 0, codespace: r.codespace || "sdk", log: r.log ?? "", value: r.value ?? new Uint8Array(), height: r.height ?? 0n };
  };
  return {
    appVersion,
    rpc: cometRpc(rpcUrl, undefined, undefined, (message) => logger?.warn(message)),
    async abciQueryRaw(call, path, data) {
      const r = await raw(call, path, data);
      call.setHeader("x-cosmos-block-height", String(r.height));
      return r;
    },
    async abciQuery(call, path, data) {
      const r = await raw(call, path, data);
      if (r.code !== 0) throw fromAppCode(r.code, r.log, r.codespace);
      call.setHeader("x-cosmos-block-height", String(r.height));
      return r.value;
    },
  };
}

/** Cosmos SDK modules whose gateway routes answer 501 when this chain serves none of their routes. */
const COSMOS_SDK_MODULES = ["authz", "distribution", "evidence", "feegrant", "gov", "mint", "params", "slashing", "upgrade"] as const;

/** Matches `/cosmos/<m>/…` for every SDK module with no route in `routes` (a served module's unknown route is a 404). */
function absentCosmosModules(routes: readonly RestRoute[]): RegExp {
  const absent = COSMOS_SDK_MODULES.filter((m) => !routes.some((r) => r.path.startsWith(`/cosmos/${m}/`)));
  return absent.length === 0 ? /$^/ : new RegExp(`^/cosmos/(${absent.join("|")})/`);
}

/**
 * Routes of services this chain serves whose methods it does not implement (yet), by path and the SDK method's name:
 * they answer 501 as the SDK's gateway does for an unimplemented method, while no route in the table serves them.
 */
const UNIMPLEMENTED_SDK_ROUTES: ReadonlyMap<string, string> = new Map([
  ["/cosmos/tx/v1beta1/encode/amino", "TxEncodeAmino"],
  ["/cosmos/tx/v1beta1/decode/amino", "TxDecodeAmino"],
]);

export function createRestApp(o: Omit<RestOptions, "host" | "port">): { app: express.Express; routes: RestRoute[] } {
  const limits: RestLimits = { ...DEFAULT_LIMITS, ...o.limits };
  const ctx = restContext(o.query, o.rpcUrl, o.appVersion, o.logger);
  const routes = buildRoutes(ctx, restModules(o.modules ?? buildModules().modules));
  const absentModule = absentCosmosModules(routes);
  const unimplemented = new Map([...UNIMPLEMENTED_SDK_ROUTES].filter(([path]) => !routes.some((r) => r.path === path)));
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.on("finish", () => o.metrics.restRequests.inc({ route: (req.route as { path?: string } | undefined)?.path ?? "unmatched", method: req.method, code: String(res.statusCode) }));
    next();
  });
  if (limits.trustProxy !== undefined) app.set("trust proxy", limits.trustProxy);
  app.use(cors(limits));
  app.use(rateLimiter(limits));
  app.use(endPreflight);
  app.use(inFlightLimiter(limits));
  // Every body is read as JSON (whatever its content type), so an oversized one is refused whatever it claims to be.
  app.use(express.json({ limit: limits.maxBodyBytes, type: () => true }));
  const sendAnswer = answerSender(limits.maxPendingAnswerBytes);

  for (const r of routes) {
    app[r.method](expressPath(r), (req: Request, res: Response, next: NextFunction) => {
      const run = async (): Promise<unknown> => {
        const raw = req.params as Record<string, string | string[]>;
        const params: Record<string, string> = {};
        for (const p of r.params ?? []) {
          const v = p.in === "path" ? ([] as string[]).concat(raw[p.name] ?? []).join("/") : req.query[p.name];
          if (v === undefined || v === "") {
            if (p.required) throw badRequest(`${p.name} is required`);
            continue;
          }
          for (const one of p.repeated && Array.isArray(v) ? (v as unknown[]) : [v]) {
            if (typeof one !== "string") throw badRequest(`${p.name} must be given once`);
            if (p.pattern && !p.pattern.test(one)) throw badRequest(`invalid ${p.name}: ${p.description}`);
          }
          if (p.in === "path" && typeof v === "string") params[p.name] = v;
        }
        const h = req.header("x-cosmos-block-height") ?? "0";
        if (!/^\d{1,19}$/.test(h)) throw badRequest("x-cosmos-block-height must be a non-negative integer");
        if (r.method === "post" && (req.body === null || typeof req.body !== "object" || Array.isArray(req.body))) throw badRequest("request body must be a JSON object");
        return r.handler({ params, query: req.query as Record<string, unknown>, body: req.body, height: BigInt(h), setHeader: (n, v) => res.setHeader(n, v) });
      };
      run().then((body) => sendAnswer(res, body), next);
    });
  }
  const doc = openApiDocument(routes, o.appVersion);
  app.get("/openapi.json", (_req, res) => void res.json(doc));
  app.get("/metrics", metricsAccess(limits), (_req, res, next) => {
    o.metrics.registry.metrics().then((text) => res.type(o.metrics.registry.contentType).send(text), next);
  });
  explorerAssets(app, { rpcUrl: o.explorerRpcUrl });
  app.use((req: Request, res: Response) => {
    // Routes of Cosmos modules this chain does not have answer 501 as the SDK's gateway does for unregistered services,
    // and so do the SDK methods of a served module it does not implement.
    const method = unimplemented.get(req.path.replace(/(.)\/$/, "$1"));
    if (method !== undefined) return void res.status(501).json({ code: Grpc.Unimplemented, message: `not implemented: this chain does not serve ${method} (yet)`, details: [] });
    const known = absentModule.test(req.path);
    res.status(known ? 501 : 404).json(known
      ? { code: Grpc.Unimplemented, message: "this chain does not serve that module (yet)", details: [] }
      : { code: Grpc.NotFound, message: "no such route; see /openapi.json", details: [] });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = errorBody(err);
    if (e.internal) o.logger?.error({ err, path: req.path }, "REST handler failed");
    res.status(e.status).json(e.body);
  });
  return { app, routes };
}

/** Connections the server holds at once, and from one client address (not behind a trusted proxy). */
export const MAX_CONNECTIONS = 1000;
export const MAX_CONNECTIONS_PER_CLIENT = 256;

/** How long the REST server waits for a client (milliseconds); HTTP_TIMEOUTS are the ones it runs with. */
export interface HttpTimeouts {
  /** From a connection's first byte (or its accepting, for one that sends nothing) to the end of the headers; then 408 and close. */
  readonly headersMs: number;
  /** From the same start to the end of the request body. */
  readonly requestMs: number;
  /** An idle keep-alive socket between requests (Node ≥ 24 adds its keepAliveTimeoutBuffer, 1 s). */
  readonly keepAliveMs: number;
  /** No byte moving either way while a request is answered (a client that does not read its answer); then the socket is destroyed. */
  readonly idleMs: number;
  /** How often the header and request deadlines are checked (Node's default, 30 s, would let a socket outlive them by that much). */
  readonly checkIntervalMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 30_000, checkIntervalMs: 1_000 };

/**
 * The HTTP server around the app, with `timeouts` (HTTP_TIMEOUTS: headers within 10 s, the request within 30 s, an
 * idle keep-alive socket closed after 5 s, an answer the client does not read for 30 s dropped, checked every second),
 * so a socket that sends nothing, trickles header lines or never reads cannot hold a connection slot. One client
 * (clientKey) may hold at most MAX_CONNECTIONS_PER_CLIENT of the MAX_CONNECTIONS, so it cannot take every slot;
 * behind a trusted reverse proxy every client shares the proxy's address, so there the cap is the proxy's to enforce.
 */
export function restHttpServer(app: (req: IncomingMessage, res: ServerResponse) => void, limits: Pick<RestLimits, "trustProxy"> = {}, timeouts: HttpTimeouts = HTTP_TIMEOUTS): Server {
  const server = createServer({
    requestTimeout: timeouts.requestMs, headersTimeout: timeouts.headersMs, keepAliveTimeout: timeouts.keepAliveMs, connectionsCheckingInterval: timeouts.checkIntervalMs,
  }, app);
  // Socket inactivity while a request is answered (Node's default is none): with no 'timeout' listener the socket is destroyed.
  server.timeout = timeouts.idleMs;
  server.maxConnections = MAX_CONNECTIONS;
  if (limits.trustProxy === undefined) limitConnectionsPerClient(server, MAX_CONNECTIONS_PER_CLIENT);
  return server;
}

export async function startRestServer(o: RestOptions): Promise<Server> {
  const { app } = createRestApp(o);
  const server = restHttpServer(app, o.limits ?? {});
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

export { RestError };
