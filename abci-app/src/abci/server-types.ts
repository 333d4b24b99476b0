// Public shapes of serveAbci (kept apart so both transports can share them without import cycles).
import type { Application } from "./application.ts";
import type { AbciLogger } from "./logger.ts";
import type { AppSerialization } from "./serial-queue.ts";

export type AbciTransport = "socket" | "grpc";

/** Which gRPC server implements `transport: "grpc"`: the native HTTP/2 one (h2/, default) or @grpc/grpc-js. */
export type GrpcServerKind = "grpc-js" | "native";

/**
 * The default gRPC server: the native one (docs/abci-transport.md, "Native gRPC server": a CheckTx round trip
 * 0.30 -> 0.19 ms behind the null app, shape (a) +33-44 % tx/s). It was opt-in for a day while a chain stop in the
 * benchmark was unexplained; that stop was the 4 MiB answer limit of CometBFT's gRPC client, which grpc-js hits the
 * same way (abci-transport.md, "The 4 MiB answer"; fixed by the block answer budget). `--grpc-server grpc-js` remains.
 */
export const DEFAULT_GRPC_SERVER: GrpcServerKind = "native";

export interface ServeAbciOptions {
  readonly app: Application;
  /** `tcp://127.0.0.1:26658` (port 0 = any free port) or `unix:///path/abci.sock`. */
  readonly address: string;
  /** Must match CometBFT's `abci` setting in config.toml. */
  readonly transport: AbciTransport;
  /**
   * Largest request accepted, in bytes (socket: the frame length; gRPC: also the largest response).
   * Default DEFAULT_MAX_MESSAGE_BYTES (64 MiB).
   */
  readonly maxMessageBytes?: number;
  /** Default: JSON lines on stderr for warnings and errors. */
  readonly logger?: AbciLogger;
  /**
   * "global" (default): one app call at a time across all connections, like CometBFT's Go server (appMtx), so an
   * async handler never overlaps another one. "connection": calls of one connection never overlap, but the four
   * connections (query, snapshot, mempool, consensus) run concurrently; the app must then cope with that itself.
   */
  readonly serialize?: AppSerialization;
  /**
   * Connections open at once (socket and native gRPC servers; default DEFAULT_MAX_CONNECTIONS, 64). CometBFT opens 4;
   * one more is closed at accept, with a log line. Bounds what local clients can hold: each connection may buffer up
   * to ~2 × maxMessageBytes (socket) or ~4 × (native gRPC).
   */
  readonly maxConnections?: number;
  /**
   * Socket and native gRPC servers: a connection that holds part of a message (a frame, an HTTP/2 header block or a
   * request stream) and completes none of it for this long is closed, with a log line (default
   * DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS, 30 s). A connection idle between messages is never closed.
   */
  readonly partialMessageTimeoutMs?: number;
  /** gRPC only: "native" (default, DEFAULT_GRPC_SERVER: abci/h2/, HTTP/2 spoken on the socket, no node:http2) or "grpc-js". */
  readonly grpcServer?: GrpcServerKind;
}

/** Default of ServeAbciOptions.maxConnections. */
export const DEFAULT_MAX_CONNECTIONS = 64;
/** Default of ServeAbciOptions.partialMessageTimeoutMs. */
export const DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS = 30_000;

/** A running ABCI server. */
export interface AbciServer {
  /**
   * The bound address, with the real port when 0 was asked for, in the form CometBFT's proxy_app needs for this
   * transport: socket → tcp://127.0.0.1:41873 or unix:///…; grpc → 127.0.0.1:41873 (no tcp:// prefix, which
   * CometBFT v0.38.25's gRPC client rejects).
   */
  readonly address: string;
  readonly transport: AbciTransport;
  /** Stops listening and drops every open connection; resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}
