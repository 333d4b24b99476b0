import { clientKey } from "@trustnet/abci-app";

/**
 * Per-client request rate: a token bucket of `burst` requests refilled at `perSecond`. `take` answers 0 when
 * the request may go on, else the seconds to wait (for Retry-After). At most `maxClients` buckets are kept; when
 * full, the least recently seen client's bucket is dropped (it restarts full, which only favours that client).
 * A client is the REST server's and the connection cap's (clientKey): an IPv4 address (also IPv4-mapped) or an
 * IPv6 /56, so rotating addresses inside one's own prefix does not give a fresh bucket.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxClients: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(opts: { perSecond: number; burst: number; maxClients?: number }) {
    this.#perSecond = opts.perSecond;
    this.#burst = opts.burst;
    this.#maxClients = opts.maxClients ?? 10_000;
  }

  get enabled(): boolean {
    return this.#perSecond > 0;
  }

  /** `address`: the socket's remote address. */
  take(address: string, nowMs: number): number {
    if (!this.enabled) return 0;
    const client = clientKey(address);
    let b = this.#buckets.get(client);
    if (b) this.#buckets.delete(client); // re-inserted below: Map order = least recently seen first
    else {
      if (this.#buckets.size >= this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value as string);
      b = { tokens: this.#burst, at: nowMs };
    }
    b.tokens = Math.min(this.#burst, b.tokens + ((nowMs - b.at) / 1000) * this.#perSecond);
    b.at = nowMs;
    this.#buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.#perSecond));
  }
}
