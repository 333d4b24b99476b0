// Per-client rate limiting (a token bucket: `burst` requests at once, refilled at `perSecond`; a client is an IPv4
// address or an IPv6 /56, client-key.ts), a cap on requests in flight, and CORS. Refusals use the SDK error body: 429 with Retry-After, 503 when too many are in flight.
import { isIP } from "node:net";
import type { NextFunction, Request, Response } from "express";
import { Grpc } from "../sdk/client/rest-errors.ts";
import { JsonBytes } from "../sdk/client/route-table.ts";
import { clientKey } from "./client-key.ts";
import { MAX_TX_JSON_BODY_BYTES } from "../sdk/tx/decode.ts";

export interface RestLimits {
  /** Token bucket per client IP; 0 disables the limit. */
  readonly ratePerSecond: number;
  readonly rateBurst: number;
  /** Requests being answered at once (all clients); beyond it: 503. */
  readonly maxInFlight: number;
  /**
   * Of those, the ones one client (clientKey) may have at once; beyond it: 503 for that client only. Default: a
   * quarter of maxInFlight, so one client's slow requests (or answers it does not read) cannot take every slot.
   */
  readonly maxInFlightPerClient?: number;
  /** JSON bodies larger than this are refused with 413 (by default: room for the largest tx, base64 in tx_bytes). */
  readonly maxBodyBytes: number;
  /** Access-Control-Allow-Origin for GET (and their preflights); undefined = no CORS headers. */
  readonly corsOrigin: string | undefined;
  /** Also allow cross-origin POST (broadcast/simulate from web wallets). Off by default. */
  readonly corsPost: boolean;
  /**
   * Which peers are reverse proxies whose X-Forwarded-For names the client (Express's `trust proxy`: named ranges,
   * addresses/CIDRs, or a hop count). Undefined (the default): none, so a client can never pick its own rate-limit
   * bucket with a forged header.
   */
  readonly trustProxy?: string | number | undefined;
  /**
   * Serve /metrics to every client. Off by default: it answers loopback clients only (the client as `trust proxy`
   * names it), since process and node internals are the operator's, like the CometBFT and registry metrics ports.
   */
  readonly metricsPublic?: boolean;
  /**
   * Bytes of route answers handed to their sockets and not yet taken by their clients, all clients together; an answer
   * that would pass it is a 503 (default MAX_PENDING_ANSWER_BYTES).
   */
  readonly maxPendingAnswerBytes?: number;
}

/**
 * A full block's answer is ~2.7 × block.max_bytes of JSON (its txs base64, twice: `block` and `sdk_block`), 58 MB on
 * the devnet, and a client that does not read it keeps it in the process that runs the chain until the idle timeout
 * (30 s): 64 such requests in flight from one client would hold 3.7 GB. At most this many bytes are held so at once.
 */
export const MAX_PENDING_ANSWER_BYTES = 256 * 1024 * 1024;

export const DEFAULT_LIMITS: RestLimits = { ratePerSecond: 50, rateBurst: 200, maxInFlight: 256, maxBodyBytes: MAX_TX_JSON_BODY_BYTES, corsOrigin: "*", corsPost: false };

/** Parses `--rest-rate-limit` values: `off` or `<per-second>[:<burst>]`. */
export function parseRateLimit(s: string): { ratePerSecond: number; rateBurst: number } {
  if (s === "off") return { ratePerSecond: 0, rateBurst: 0 };
  const m = /^(\d{1,6}(?:\.\d{1,3})?)(?::(\d{1,7}))?$/.exec(s);
  if (!m || Number(m[1]) <= 0) throw new Error(`rate limit must be off or <per-second>[:<burst>] (e.g. 50:200), got ${JSON.stringify(s)}`);
  const rate = Number(m[1]);
  return { ratePerSecond: rate, rateBurst: m[2] ? Number(m[2]) : Math.ceil(rate * 4) };
}

const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * Parses `--rest-trust-proxy`: `off`, a hop count (1–10), or a comma list of loopback|linklocal|uniquelocal and IP
 * addresses or CIDRs (e.g. `loopback,10.0.0.0/8`). Anything else is refused: a typo must not silently trust everyone.
 */
export function parseTrustProxy(s: string): string | number | undefined {
  if (s === "off") return undefined;
  if (/^\d{1,2}$/.test(s)) {
    const n = Number(s);
    if (n < 1 || n > 10) throw new Error(`--rest-trust-proxy: a hop count is 1..10, got ${s}`);
    return n;
  }
  const parts = s.split(",").map((x) => x.trim());
  for (const p of parts) {
    if (NAMED_RANGES.has(p)) continue;
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(p);
    const v = m?.[1] !== undefined ? isIP(m[1]) : 0;
    if (!m || v === 0 || (m[2] !== undefined && Number(m[2]) > (v === 4 ? 32 : 128))) {
      throw new Error(`--rest-trust-proxy: ${JSON.stringify(p)} is not loopback, linklocal, uniquelocal, an IP address or a CIDR (or give off, or a hop count)`);
    }
  }
  return parts.join(",");
}

const sdkBody = (code: number, message: string): { code: number; message: string; details: never[] } => ({ code, message, details: [] });

export function rateLimiter(l: RestLimits, now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  // Forget idle clients so the map cannot grow without bound.
  const sweep = setInterval(() => {
    const t = now();
    for (const [ip, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * l.ratePerSecond >= l.rateBurst) buckets.delete(ip);
  }, 30_000);
  sweep.unref();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (l.ratePerSecond <= 0) return next();
    // req.ip is the socket's address unless `trust proxy` names the peer as a proxy (then X-Forwarded-For's client);
    // an IPv6 client is its /56, so rotating through the addresses of its own network is no way out of the limit.
    const ip = clientKey(req.ip ?? req.socket.remoteAddress ?? "unknown");
    const t = now();
    const b = buckets.get(ip) ?? { tokens: l.rateBurst, at: t };
    b.tokens = Math.min(l.rateBurst, b.tokens + ((t - b.at) / 1000) * l.ratePerSecond);
    b.at = t;
    buckets.set(ip, b);
    if (b.tokens < 1) {
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil((1 - b.tokens) / l.ratePerSecond))));
      res.status(429).json(sdkBody(Grpc.ResourceExhausted, "rate limit exceeded; retry later"));
      return;
    }
    b.tokens -= 1;
    next();
  };
}

export function inFlightLimiter(l: RestLimits) {
  let inFlight = 0;
  const perClient = l.maxInFlightPerClient ?? Math.max(1, Math.ceil(l.maxInFlight / 4));
  const ofClient = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const client = clientKey(req.ip ?? req.socket.remoteAddress ?? "unknown");
    const mine = ofClient.get(client) ?? 0;
    if (inFlight >= l.maxInFlight || mine >= perClient) {
      res.setHeader("Retry-After", "1");
      res.removeHeader("ETag"); // the route's, for the answer not sent
      res.status(503).json(sdkBody(Grpc.Unavailable, "server busy; retry later"));
      return;
    }
    inFlight++;
    ofClient.set(client, mine + 1);
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      inFlight--;
      const left = (ofClient.get(client) ?? 1) - 1;
      if (left <= 0) ofClient.delete(client);
      else ofClient.set(client, left);
    };
    res.on("finish", release);
    res.on("close", release);
    next();
  };
}

/**
 * Sends a route's answer as JSON when it fits the budget of answer bytes not yet taken by clients (`maxBytes`), and
 * counts it until its client has it (or its connection closes); otherwise answers 503 "server busy" with Retry-After,
 * or a 503 that says why without one when the answer alone is more than the budget.
 */
export function answerSender(maxBytes: number = MAX_PENDING_ANSWER_BYTES): (res: Response, body: unknown) => void {
  let pending = 0;
  return (res, body) => {
    const answer = body instanceof JsonBytes ? body.bytes : JSON.stringify(body);
    const bytes = Buffer.byteLength(answer);
    if (bytes > maxBytes) {
      // Never sent, however long the client waits: no Retry-After. (A block past ~100 MB of block.max_bytes.)
      res.removeHeader("ETag");
      res.status(503).json(sdkBody(Grpc.Unavailable, `the answer is ${bytes} bytes, more than the ${maxBytes} this server holds for answers not yet read`));
      return;
    }
    if (pending + bytes > maxBytes) {
      res.setHeader("Retry-After", "1");
      res.removeHeader("ETag"); // the route's, for the answer not sent
      res.status(503).json(sdkBody(Grpc.Unavailable, "server busy (answers not yet read by their clients); retry later"));
      return;
    }
    pending += bytes;
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      pending -= bytes;
    };
    res.on("finish", release);
    res.on("close", release);
    res.type("json").send(answer);
  };
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(ip: string | undefined): boolean {
  if (ip === undefined) return false;
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return ip === "::1" || (isIP(v4) === 4 && v4.startsWith("127."));
}

/**
 * Guards /metrics: unless `metricsPublic`, a client that is not on loopback gets 403. req.ip is the socket's peer
 * unless `trust proxy` names that peer as a proxy (then the forwarded client), so a trusted reverse proxy on this
 * host does not make every visitor look local.
 */
export function metricsAccess(l: Pick<RestLimits, "metricsPublic">) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (l.metricsPublic || isLoopback(req.ip ?? req.socket.remoteAddress)) return next();
    res.status(403).json(sdkBody(Grpc.PermissionDenied, "/metrics answers loopback clients only on this node (--rest-metrics-public serves it to everyone)"));
  };
}

/** A browser's request from a page of another origin: its Origin header names a host other than the one asked. */
function crossSite(req: Request): boolean {
  const origin = req.header("origin");
  if (origin === undefined || origin === "") return false;
  try {
    return new URL(origin).host !== (req.header("host") ?? "");
  } catch {
    return true; // "null" (a sandboxed page, a file://) or garbage
  }
}

/**
 * Paths no other origin may read, whatever --rest-cors-origin says: the operator's Prometheus metrics (process and
 * node internals) are for the scraper, not for a page a visitor's browser runs.
 */
export const NO_CORS_PATHS: ReadonlySet<string> = new Set(["/metrics"]);

export function cors(l: RestLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = NO_CORS_PATHS.has(req.path) ? undefined : l.corsOrigin;
    const allowed = origin !== undefined && (req.method === "GET" || req.method === "HEAD" || (l.corsPost && req.method === "POST"));
    if (req.method === "OPTIONS") {
      const wanted = String(req.header("access-control-request-method") ?? "").toUpperCase();
      if (origin !== undefined && (wanted === "GET" || wanted === "HEAD" || (l.corsPost && wanted === "POST"))) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Allow-Methods", l.corsPost ? "GET, HEAD, POST" : "GET, HEAD");
        res.setHeader("Access-Control-Allow-Headers", "Content-Type, x-cosmos-block-height");
        res.setHeader("Access-Control-Max-Age", "600");
      }
      return next(); // answered by endPreflight, behind the rate limit
    }
    // CORS only hides the answer: a "simple" cross-site POST (text/plain, no preflight) would still run. Unless
    // cross-origin POST is on, a POST whose Origin names another site is refused before it does anything.
    if (req.method === "POST" && !l.corsPost && crossSite(req)) {
      res.status(403).json(sdkBody(Grpc.PermissionDenied, "cross-origin POST is disabled on this node (--rest-cors-post enables it)"));
      return;
    }
    if (allowed) {
      res.setHeader("Access-Control-Allow-Origin", origin as string);
      res.setHeader("Access-Control-Expose-Headers", "x-cosmos-block-height");
    }
    next();
  };
}

/**
 * Answers a preflight (OPTIONS; `cors` set its headers) with 204. It sits behind the rate limiter, so a client over
 * its limit gets 429 for preflights too: they are no free way to keep the server busy.
 */
export function endPreflight(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "OPTIONS") return next();
  res.status(204).end();
}
