// JSON-RPC calls to CometBFT over a bounded pool of keep-alive connections, for tests that send thousands of
// requests (CometBFT refuses connections past max_open_connections; a pool keeps the test about the app).
import { Agent, request } from "node:http";

export interface RpcAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly result?: T;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: string };
}

export class RpcPool {
  readonly #agent: Agent;
  readonly #url: URL;
  #id = 0;

  constructor(base: string, sockets = 32) {
    this.#url = new URL(base);
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** POSTs one JSON-RPC call; resolves with the HTTP status and the result or error; rejects on transport failure. */
  call<T = Record<string, unknown>>(method: string, params: Record<string, unknown>, timeoutMs = 30_000): Promise<RpcAnswer<T>> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: ++this.#id, method, params });
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.#url.hostname, port: this.#url.port, path: "/", method: "POST", agent: this.#agent, timeout: timeoutMs,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            const j = JSON.parse(text) as { result?: T; error?: RpcAnswer["error"] };
            resolve({ status: res.statusCode ?? 0, result: j.result, error: j.error });
          } catch {
            resolve({ status: res.statusCode ?? 0, error: { code: -1, message: `not JSON: ${text.slice(0, 200)}` } });
          }
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method}: no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Runs `task(i)` for i < n with at most `concurrency` in flight. */
export async function pooled(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await task(next++);
  }));
}
