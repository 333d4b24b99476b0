/**
 * Follows the chain's blocks: a CometBFT websocket subscription (NewBlockHeader, through @cosmjs/tendermint-rpc),
 * falling back to polling `status` after a disconnect and re-subscribing when the websocket comes back. Every
 * height from the first one on is delivered exactly once and in order: a header for height h (or a poll that sees
 * the tip at h) delivers every height not yet delivered up to h, so blocks missed while disconnected are caught up.
 */
import { Comet38Client, HttpClient, WebsocketClient } from "@cosmjs/tendermint-rpc";
import type { BlockSource } from "./lease-chain.ts";

export interface FollowOptions {
  /** Polling period while the websocket is down (and the watchdog's period while it is up, × 10). */
  readonly pollMs: number;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
  /** First height to deliver (default: the tip when following starts). */
  readonly fromHeight?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
});

/** `http://host:26657` → `ws://host:26657` (cosmjs' WebsocketClient appends CometBFT's `/websocket` path itself). */
export function websocketUrl(httpUrl: string): string {
  const u = new URL(httpUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString().replace(/\/$/u, "");
}

/** Serialises deliveries: heights next..tip, each once, in order; `onHeight(h, tip)`. */
export class HeightCursor {
  private next: number | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly onHeight: (height: number, tip: number) => Promise<void>;
  constructor(onHeight: (height: number, tip: number) => Promise<void>, from: number | undefined) {
    this.onHeight = onHeight;
    this.next = from;
  }
  get delivered(): number | undefined {
    return this.next === undefined ? undefined : this.next - 1;
  }
  seen(tip: number): Promise<void> {
    this.chain = this.chain.then(async () => {
      let h: number = this.next ?? tip;
      while (h <= tip) {
        this.next = h + 1;
        await this.onHeight(h, tip);
        h += 1;
      }
    });
    return this.chain;
  }
}

export function cometBlockSource(node: string, opts: FollowOptions): BlockSource {
  return {
    async follow(onHeight, signal) {
      const http = Comet38Client.create(new HttpClient(node, 10_000));
      const tip = async (): Promise<number> => (await http.status()).syncInfo.latestBlockHeight;
      const cursor = new HeightCursor(async (h, t) => {
        if (!signal.aborted) await onHeight(h, t);
      }, opts.fromHeight);
      try {
        while (!signal.aborted) {
          // Subscribe; on failure (or when the stream ends) poll until the next attempt.
          const down = await subscribeUntilDown(node, cursor, opts, signal, tip);
          if (signal.aborted) break;
          opts.log("websocket-down", { reason: down, fallback: "polling", poll_ms: opts.pollMs });
          for (let i = 0; i < 5 && !signal.aborted; i++) {
            await cursor.seen(await tip()).catch((e: unknown) => opts.log("poll-error", { error: (e as Error).message }));
            await sleep(opts.pollMs, signal);
          }
        }
      } finally {
        http.disconnect();
      }
    },
  };
}

/** Runs one websocket subscription until it errors, completes, goes silent, or `signal` aborts; returns why. */
async function subscribeUntilDown(node: string, cursor: HeightCursor, opts: FollowOptions, signal: AbortSignal, tip: () => Promise<number>): Promise<string> {
  let reason: string | undefined;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (wake = r));
  const stop = (why: string): void => {
    reason ??= why;
    wake();
  };
  let ws: WebsocketClient | undefined;
  let lastEvent: number;
  const onAbort = (): void => stop("stopping");
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    // Catch up first (the tip may be far ahead of the last delivered height after a restart or outage).
    await cursor.seen(await tip());
    // Created right before subscribing: cosmjs' socket ends its event stream if it sits connected with no listener.
    ws = new WebsocketClient(websocketUrl(node), (e: unknown) => stop(`websocket error: ${String((e as Error)?.message ?? e)}`));
    const stream = Comet38Client.create(ws).subscribeNewBlockHeader();
    lastEvent = Date.now();
    const sub = stream.subscribe({
      next: (header) => {
        lastEvent = Date.now();
        void cursor.seen(header.height).catch((e: unknown) => opts.log("deliver-error", { error: (e as Error).message }));
      },
      error: (e: unknown) => stop(`subscription error: ${String((e as Error)?.message ?? e)}`),
      complete: () => stop("subscription ended"),
    });
    opts.log("subscribed", { url: websocketUrl(node), height: cursor.delivered });
    // Watchdog: a websocket can die silently; if no header came for 10 poll periods, check the tip over HTTP.
    while (reason === undefined) {
      await Promise.race([stopped, sleep(opts.pollMs * 10, signal)]);
      if (reason !== undefined) break;
      const t = await tip().catch(() => undefined);
      if (t === undefined) stop("node unreachable");
      else if ((cursor.delivered ?? 0) < t && Date.now() - lastEvent > opts.pollMs * 10) stop("no header for a while");
    }
    sub.unsubscribe();
  } catch (e) {
    stop(`cannot subscribe: ${(e as Error).message}`);
  } finally {
    signal.removeEventListener("abort", onAbort);
    try {
      ws?.disconnect();
    } catch {
      // already closed
    }
  }
  return reason ?? "unknown";
}
