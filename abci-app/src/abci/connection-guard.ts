// Server-wide guards of the socket and native gRPC servers (docs/abci-transport.md, "Connection limits"): a cap on
// the connections open at once, and ONE interval timer per server that closes a connection stuck in the middle of a
// message. Nothing here runs per message: the timer asks each connection whether the partial message it held at the
// previous sweep is still the one it holds.
import type { DropArgument, Server } from "node:net";
import type { AbciLogger } from "./logger.ts";

export interface ConnectionGuardOptions {
  /** Connections open at once; one more is closed at accept (net.Server.maxConnections). */
  readonly maxConnections: number;
  /** How long a connection may hold part of a message without completing it. */
  readonly partialMessageTimeoutMs: number;
}

/** A connection the sweep can ask; it closes itself (with a log line) once it held one partial message too long. */
export interface StallCheck {
  checkStalled(now: number, timeoutMs: number): void;
}

/** Refused connections are logged at most this often (a client looping on connect must not flood the log). */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * Caps the connections of `server` (logging refusals) and sweeps `connections()` for stalled ones every quarter of
 * the timeout (at most 5 s): a stuck connection closes between the timeout and the timeout plus two sweeps after its
 * message began. Returns the function that stops the sweep.
 */
export function guardConnections(
  server: Server, opts: ConnectionGuardOptions, logger: AbciLogger, label: string, connections: () => Iterable<StallCheck>,
): () => void {
  const { maxConnections, partialMessageTimeoutMs: timeoutMs } = opts;
  server.maxConnections = maxConnections;
  let lastLog = -Infinity;
  let unlogged = 0;
  server.on("drop", (data?: DropArgument) => {
    unlogged += 1;
    const now = performance.now();
    if (now - lastLog < DROP_LOG_INTERVAL_MS) return;
    lastLog = now;
    const peer = data?.remoteAddress ? `${data.remoteAddress}:${data.remotePort ?? ""}` : "unix";
    logger.warn(
      { peer, maxConnections, refused: unlogged },
      `${label}: refused a connection from ${peer}: ${maxConnections} connections are open (maxConnections)` +
        (unlogged > 1 ? `; ${unlogged} refused since the last such line` : ""),
    );
    unlogged = 0;
  });
  const every = Math.max(10, Math.min(5_000, Math.floor(timeoutMs / 4)));
  const timer = setInterval(() => {
    const now = performance.now();
    for (const c of connections()) c.checkStalled(now, timeoutMs);
  }, every);
  timer.unref();
  return () => { clearInterval(timer); };
}
