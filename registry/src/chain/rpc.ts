// The registry's view of the chain: CometBFT JSON-RPC over fetch (abci_query, broadcast_tx_sync, status).
export interface AbciQueryResult {
  readonly code: number;
  readonly log: string;
  readonly value: Uint8Array;
  readonly height: bigint;
}

export class ChainRpc {
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, timeoutMs = 5000) {
    this.url = url.replace(/\/+$/, "");
    this.#timeoutMs = timeoutMs;
  }

  /** One JSON-RPC call. Network-level failures are retried twice: CometBFT closes idle kept-alive connections, and
   * the first request after a quiet period would otherwise fail. Every call here is idempotent (queries, and a
   * re-broadcast of identical tx bytes is deduplicated by the mempool). */
  async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    let res: Response | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        break;
      } catch (err) {
        if (attempt >= 2 || (err as Error).name === "TimeoutError") throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}${body.error.data ? `: ${body.error.data}` : ""}`);
    return body.result as T;
  }

  async abciQuery(path: string, data: Uint8Array): Promise<AbciQueryResult> {
    const r = await this.call<{ response: { code?: number; log?: string; value?: string | null; height?: string } }>("abci_query", { path, data: Buffer.from(data).toString("hex") });
    return {
      code: r.response.code ?? 0,
      log: r.response.log ?? "",
      value: r.response.value ? Buffer.from(r.response.value, "base64") : new Uint8Array(),
      height: BigInt(r.response.height ?? "0"),
    };
  }

  async broadcastTxSync(tx: Uint8Array): Promise<{ code: number; codespace: string; log: string; hash: string }> {
    const r = await this.call<{ code: number; codespace?: string; log?: string; hash: string }>("broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
    return { code: r.code, codespace: r.codespace ?? "", log: r.log ?? "", hash: r.hash };
  }

  async chainId(): Promise<string> {
    return (await this.call<{ node_info: { network: string } }>("status", {})).node_info.network;
  }
}
