// Public shapes of serveAbci (kept apart so both transports can share them without import cycles).
import type { Application } from "./application.ts";
import type { AbciLogger } from "./logger.ts";

export type AbciTransport = "socket" | "grpc";

export interface ServeAbciOptions {
  readonly app: Application;
  /** `tcp://127.0.0.1:26658` (port 0 = any free port) or `unix:///path/abci.sock`. */
  readonly address: string;
  /** Must match CometBFT's `abci` setting in config.toml. */
  readonly transport: AbciTransport;
  /** Largest request or response, in bytes. Default DEFAULT_MAX_MESSAGE_BYTES (64 MiB). */
  readonly maxMessageBytes?: number;
  /** Default: JSON lines on stderr for warnings and errors. */
  readonly logger?: AbciLogger;
}

/** A running ABCI server. */
export interface AbciServer {
  /** The bound address in proxy_app syntax, with the real port when 0 was asked for (e.g. tcp://127.0.0.1:41873). */
  readonly address: string;
  readonly transport: AbciTransport;
  /** Stops listening and drops every open connection; resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}
