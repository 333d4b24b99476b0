// The one CometBFT JSON-RPC client (POST over fetch): abci_query, broadcast_tx_sync, status, waitForHeight; and
// CometRpcPool, the same calls over a bounded pool of kept-alive connections for load tools (benchmarks, soak tests).
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** The node answered with a JSON-RPC error (`code`, `message`, `data` as CometBFT sent them). */
export class CometRpcError extends Error {
  readonly method: string;
  readonly code: number;
  /** CometBFT's own message ("Internal error", "Invalid params"…); `data` says why. */
  readonly rpcMessage: string;
  readonly data: string;
  constructor(method: string, e: { code?: number; message?: string; data?: string }) {
    super(`${method}: ${e.message ?? "error"}${e.data ? `: ${e.data}` : ""}`);
    this.name = "CometRpcError";
    this.method = method;
    this.code = e.code ?? 0;
    this.rpcMessage = e.message ?? "";
    this.data = e.data ?? "";
  }
}

/** No usable answer: connection refused or reset, a timeout, or a body that is not JSON-RPC. */
export class NodeUnreachableError extends Error {
  /** The system error code beneath fetch's "fetch failed" (ECONNREFUSED, ECONNRESET…), or "TimeoutError". */
  readonly reason: string;
  constructor(url: string, method: string, cause: unknown) {
    const e = cause as { name?: string; message?: string; code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
    // fetch wraps the system error ("fetch failed", cause ECONNREFUSED); node:http gives it directly.
    const reason = typeof e?.cause?.code === "string" ? e.cause.code : typeof e?.code === "string" ? e.code : e?.name === "TimeoutError" ? "TimeoutError" : typeof e?.cause?.message === "string" ? e.cause.message : (e?.message ?? String(cause));
    super(`${method} at ${url}: ${e?.message ?? String(cause)}${reason !== e?.message ? ` (${reason})` : ""}`, { cause });
    this.name = "NodeUnreachableError";
    this.reason = reason;
  }
}

/** The node's answer grew past the caller's byte cap; it was dropped unread and its connection closed. */
export class AnswerTooLargeError extends Error {
  readonly method: string;
  readonly maxBytes: number;
  constructor(method: string, maxBytes: number) {
    super(`${method}: the answer is more than ${maxBytes} bytes`);
    this.name = "AnswerTooLargeError";
    this.method = method;
    this.maxBytes = maxBytes;
  }
}

/**
 * A fetch answer's body as text, counted while it streams in: past `maxBytes` (or a Content-Length past it) the read
 * stops, the body is cancelled (which closes the connection: it cannot be reused) and AnswerTooLargeError is thrown.
 */
async function cappedText(res: Response, method: string, maxBytes: number): Promise<string> {
  if (maxBytes === Infinity) return res.text();
  const tooLarge = async (): Promise<never> => {
    await res.body?.cancel().catch(() => undefined);
    throw new AnswerTooLargeError(method, maxBytes);
  };
  if (Number(res.headers.get("content-length") ?? 0) > maxBytes) return tooLarge();
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLargeError(method, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, bytes).toString("utf8");
}

/** A JSON-RPC error object as CometBFT sends it. */
export interface RpcErrorBody {
  readonly code: number;
  readonly message: string;
  readonly data?: string;
}

/** One call as the node answered it: the HTTP status and the result or the error (a body that is no JSON-RPC: `unreadable`). */
export interface RpcAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly result?: T;
  readonly error?: RpcErrorBody;
  /** Why the body is no JSON-RPC reply (e.g. an HTTP 413 page). */
  readonly unreadable?: string;
}

const requestBody = (id: number, method: string, params: Record<string, unknown>) => ({ jsonrpc: "2.0", id, method, params });

/** A reply (or one reply of a batch) as an answer. */
function answerOf<T>(status: number, reply: unknown): RpcAnswer<T> {
  if (typeof reply !== "object" || reply === null) return { status, unreadable: `HTTP ${status}, not JSON-RPC` };
  const r = reply as { result?: T; error?: Partial<RpcErrorBody> };
  return r.error ? { status, error: { code: r.error.code ?? 0, message: r.error.message ?? "", ...(r.error.data ? { data: r.error.data } : {}) } } : { status, result: r.result };
}

/** A body's text as JSON, or its answer when it is none. */
function parseBody(status: number, text: string): { reply: unknown } | { answer: RpcAnswer<never> } {
  try {
    return { reply: JSON.parse(text) as unknown };
  } catch (err) {
    return { answer: { status, unreadable: `HTTP ${status}, not JSON-RPC (${(err as Error).message}): ${text.slice(0, 200)}` } };
  }
}

/** The result of an answer; a JSON-RPC error throws CometRpcError, anything else without a result NodeUnreachableError. */
function resultOf<T>(url: string, method: string, a: RpcAnswer<T>): T {
  if (a.error) throw new CometRpcError(method, a.error);
  if (a.unreadable !== undefined) throw new NodeUnreachableError(url, method, new Error(a.unreadable));
  if (a.result === undefined) throw new NodeUnreachableError(url, method, new Error(`HTTP ${a.status}, no result`));
  return a.result;
}

export interface AbciQueryResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly value: Uint8Array;
  readonly height: bigint;
}

export interface BroadcastResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly hash: string;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Stop early (e.g. the node's process died). */
  readonly gaveUp?: () => boolean;
}

/** The typed CometBFT calls, over a transport's `call` (CometRpc: fetch with retries; CometRpcPool: pooled sockets). */
abstract class CometCalls {
  abstract readonly url: string;
  abstract call<T>(method: string, params?: Record<string, unknown>): Promise<T>;

  /** `abci_query`; the app's answer, whatever its code (a JSON-RPC failure throws). */
  async abciQuery(path: string, data: Uint8Array, height?: bigint): Promise<AbciQueryResult> {
    const params: Record<string, unknown> = { path, data: Buffer.from(data).toString("hex") };
    if (height !== undefined) params.height = height.toString();
    const r = await this.call<{ response: { code?: number; codespace?: string; log?: string; value?: string | null; height?: string } }>("abci_query", params);
    return {
      code: r.response.code ?? 0, codespace: r.response.codespace ?? "", log: r.response.log ?? "",
      value: r.response.value ? Buffer.from(r.response.value, "base64") : new Uint8Array(), height: BigInt(r.response.height ?? "0"),
    };
  }

  /** `broadcast_tx_sync`: the CheckTx result and the tx hash (upper-case hex). */
  async broadcastTxSync(tx: Uint8Array): Promise<BroadcastResult> {
    const r = await this.call<{ code: number; codespace?: string; log?: string; hash: string }>("broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
    return { code: r.code, codespace: r.codespace ?? "", log: r.log ?? "", hash: r.hash };
  }

  async status(): Promise<{ network: string; height: bigint; appHash: string; catchingUp: boolean; nodeId: string; version: string }> {
    const r = await this.call<{ node_info: { network: string; id: string; version: string }; sync_info: { latest_block_height: string; latest_app_hash: string; catching_up: boolean } }>("status");
    return {
      network: r.node_info.network, nodeId: r.node_info.id, version: r.node_info.version,
      height: BigInt(r.sync_info.latest_block_height), appHash: r.sync_info.latest_app_hash, catchingUp: r.sync_info.catching_up,
    };
  }

  async chainId(): Promise<string> {
    return (await this.call<{ node_info: { network: string } }>("status")).node_info.network;
  }

  async height(): Promise<number> {
    return Number((await this.status()).height);
  }

  /** Polls `status` until the latest height is at least `height` and returns it; an unreachable node is retried until the deadline. */
  async waitForHeight(height: number, opts: WaitOptions = {}): Promise<number> {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const deadline = performance.now() + timeoutMs;
    let last = "no answer yet";
    while (performance.now() < deadline && !(opts.gaveUp?.() ?? false)) {
      try {
        const h = await this.height();
        if (h >= height) return h;
        last = `height ${h}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(opts.pollMs ?? 200);
    }
    throw new Error(`height ${height} not reached at ${this.url} within ${timeoutMs} ms (last: ${last})`);
  }
}

export class CometRpc extends CometCalls {
  readonly url: string;
  readonly #timeoutMs: number;
  #id = 0;

  constructor(url: string, timeoutMs = 10_000) {
    super();
    this.url = url.replace(/\/+$/u, "");
    this.#timeoutMs = timeoutMs;
  }

  /**
   * One JSON-RPC call. A network-level failure is retried twice: CometBFT closes idle kept-alive connections, and
   * the first request after a quiet period would otherwise fail. A timeout is not retried. Every method a client
   * sends is idempotent (queries; the mempool deduplicates a re-broadcast of the same tx bytes). An answer longer
   * than `maxAnswerBytes` is not read past that: AnswerTooLargeError, its connection closed.
   */
  async call<T>(method: string, params: Record<string, unknown> = {}, maxAnswerBytes = Infinity): Promise<T> {
    const body = JSON.stringify(requestBody(++this.#id, method, params));
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(this.#timeoutMs) });
        break;
      } catch (err) {
        if (attempt >= 2 || (err as Error).name === "TimeoutError") throw new NodeUnreachableError(this.url, method, err);
        await sleep(100);
      }
    }
    const parsed = parseBody(res.status, await cappedText(res, method, maxAnswerBytes));
    return resultOf(this.url, method, "answer" in parsed ? parsed.answer : answerOf<T>(res.status, parsed.reply));
  }

}

/**
 * How long the pool keeps an idle connection: under CometBFT's own idle limit (its RPC server sets no IdleTimeout, so
 * Go closes an idle kept-alive connection after ReadTimeout, 10 s), so the pool never sends a request on a connection
 * the node is closing at that moment (ECONNRESET, "socket hang up", with nothing retried).
 */
export const POOL_IDLE_MS = 5_000;

/**
 * JSON-RPC over at most `sockets` kept-alive HTTP connections (1: everything over one connection), for load tools
 * that send thousands of requests (CometBFT refuses connections past max_open_connections). No retry: a load tool
 * counts what failed. `answer` gives the node's answer as it is; `call` its result, throwing as CometRpc.call does.
 * A connection idle for `idleMs` is closed by the pool (POOL_IDLE_MS), before the node would.
 */
export class CometRpcPool extends CometCalls {
  readonly url: string;
  readonly #agent: Agent;
  readonly #target: URL;
  readonly #timeoutMs: number;
  #id = 0;

  constructor(url: string, sockets = 32, timeoutMs = 30_000, idleMs = POOL_IDLE_MS) {
    super();
    this.url = url.replace(/\/+$/u, "");
    this.#target = new URL(this.url);
    // The agent's `timeout` is what a free (idle) socket gets (Agent#keepSocketAlive); a request sets its own below.
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets, timeout: idleMs });
    this.#timeoutMs = timeoutMs;
  }

  /** POSTs a call or a batch; the HTTP status and the parsed body. Rejects with NodeUnreachableError when no answer comes. */
  #post(method: string, body: unknown, timeoutMs: number): Promise<{ status: number } & ({ reply: unknown } | { answer: RpcAnswer<never> })> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => reject(new NodeUnreachableError(this.url, method, err));
      const req = request({
        host: this.#target.hostname, port: this.#target.port, path: this.#target.pathname, method: "POST", agent: this.#agent, timeout: timeoutMs,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ...parseBody(status, Buffer.concat(chunks).toString("utf8")) });
        });
        res.on("error", fail);
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: "TimeoutError" })));
      req.on("error", fail);
      req.end(data);
    });
  }

  /** One call as the node answered it (result, JSON-RPC error, or an unreadable body); rejects only when no answer came. */
  async answer<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, timeoutMs = this.#timeoutMs): Promise<RpcAnswer<T>> {
    const r = await this.#post(method, requestBody(++this.#id, method, params), timeoutMs);
    return "answer" in r ? r.answer : answerOf<T>(r.status, r.reply);
  }

  /** One call's result: a JSON-RPC error throws CometRpcError, no answer NodeUnreachableError (as CometRpc.call). */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return resultOf(this.url, method, await this.answer<T>(method, params));
  }

  /** `broadcast_tx_sync` for each tx in one JSON-RPC batch: each tx's answer, in order (a missing reply is unreadable). */
  async broadcastBatch(txs: readonly Uint8Array[]): Promise<RpcAnswer<{ code: number; log?: string; hash: string }>[]> {
    const first = this.#id + 1;
    this.#id += txs.length;
    const body = txs.map((tx, i) => requestBody(first + i, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") }));
    const r = await this.#post("broadcast_tx_sync", body.length === 1 ? body[0] : body, this.#timeoutMs);
    if ("answer" in r) return txs.map(() => r.answer);
    const replies = (Array.isArray(r.reply) ? r.reply : [r.reply]) as { id?: unknown }[];
    const byId = new Map(replies.map((x) => [x?.id, x]));
    return body.map((b) => (byId.has(b.id) ? answerOf(r.status, byId.get(b.id)) : { status: r.status, unreadable: "no reply for this tx in the batch" }));
  }

  close(): void {
    this.#agent.destroy();
  }
}
