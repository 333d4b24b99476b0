// The one CometBFT JSON-RPC client (POST over fetch): abci_query, broadcast_tx_sync, status, waitForHeight.
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
    const e = cause as { name?: string; message?: string; cause?: { code?: unknown; message?: unknown } } | undefined;
    const reason = typeof e?.cause?.code === "string" ? e.cause.code : e?.name === "TimeoutError" ? "TimeoutError" : typeof e?.cause?.message === "string" ? e.cause.message : (e?.message ?? String(cause));
    super(`${method} at ${url}: ${e?.message ?? String(cause)}${reason !== e?.message ? ` (${reason})` : ""}`, { cause });
    this.name = "NodeUnreachableError";
    this.reason = reason;
  }
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

export class CometRpc {
  readonly url: string;
  readonly #timeoutMs: number;
  #id = 0;

  constructor(url: string, timeoutMs = 10_000) {
    this.url = url.replace(/\/+$/u, "");
    this.#timeoutMs = timeoutMs;
  }

  /**
   * One JSON-RPC call. A network-level failure is retried twice: CometBFT closes idle kept-alive connections, and
   * the first request after a quiet period would otherwise fail. A timeout is not retried. Every method a client
   * sends is idempotent (queries; the mempool deduplicates a re-broadcast of the same tx bytes).
   */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params });
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
    let reply: { result?: T; error?: { code?: number; message?: string; data?: string } };
    try {
      reply = (await res.json()) as typeof reply;
    } catch (err) {
      throw new NodeUnreachableError(this.url, method, new Error(`HTTP ${res.status}, not JSON-RPC (${(err as Error).message})`));
    }
    if (reply.error) throw new CometRpcError(method, reply.error);
    if (reply.result === undefined) throw new NodeUnreachableError(this.url, method, new Error(`HTTP ${res.status}, no result`));
    return reply.result;
  }

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
