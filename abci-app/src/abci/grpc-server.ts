// The ABCI gRPC transport (CometBFT `abci = "grpc"`): service tendermint.abci.ABCI, 16 unary methods, served over
// cleartext HTTP/2 (h2c, prior knowledge, as CometBFT's grpc-go client dials) with node:http2 directly: one stream
// per call, the 5-byte message prefix, grpc-status/grpc-message trailers (grpc-wire.ts). Requests and responses are
// the method table's cosmjs-types RequestX/ResponseX codecs; no .proto file is loaded.
import {
  constants as h2, createServer, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream,
} from "node:http2";
import type { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application.ts";
import { formatListenAddress, type ListenAddress } from "./address.ts";
import { ABCI_METHODS, callMethod, METHOD_KEYS, type MethodKey, type MethodSpec } from "./dispatch.ts";
import {
  encodeGrpcMessage, encodeGrpcMessageHeader, GrpcCallError, GrpcStatus, type GrpcStatusCode, UnaryMessageReader,
} from "./grpc-wire.ts";
import { listenOn, releaseAddress } from "./listen.ts";
import { errorMessage, type AbciLogger } from "./logger.ts";
import type { SerialQueue } from "./serial-queue.ts";
import type { AbciServer } from "./server-types.ts";

export const GRPC_SERVICE_NAME = "tendermint.abci.ABCI";

/** HTTP/2 limits of the gRPC server. */
export interface GrpcLimits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS: calls one peer may have open at once (CometBFT has one per connection). */
  readonly maxConcurrentStreams: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE, bytes. */
  readonly maxHeaderListBytes: number;
  /**
   * A connection that has not sent its HTTP/2 preface and SETTINGS within this time is dropped. There is no idle
   * timeout after that: CometBFT keeps its four connections for the node's lifetime, some idle for hours.
   */
  readonly handshakeTimeoutMs: number;
  /** close(): calls already running get this long to be answered before their connections are destroyed. */
  readonly closeGraceMs: number;
}

export const DEFAULT_GRPC_LIMITS: GrpcLimits = {
  maxConcurrentStreams: 100,
  maxHeaderListBytes: 16 * 1024,
  handshakeTimeoutMs: 10_000,
  closeGraceMs: 5_000,
};

export interface GrpcServerOptions {
  readonly app: Application;
  readonly address: ListenAddress;
  /** Largest request message and largest response message, in bytes. */
  readonly maxMessageBytes: number;
  readonly logger: AbciLogger;
  /** When set, every app call of every connection runs through this one queue. */
  readonly appQueue?: SerialQueue | undefined;
  readonly limits?: Partial<GrpcLimits>;
}

/** `/tendermint.abci.ABCI/<Name>` → method key. */
const ROUTES: ReadonlyMap<string, MethodKey> = new Map(
  METHOD_KEYS.map((key) => [`/${GRPC_SERVICE_NAME}/${ABCI_METHODS[key].name}`, key]),
);

const isGrpcContentType = (ct: string | undefined): boolean =>
  ct !== undefined && (ct === "application/grpc" || ct.startsWith("application/grpc+") || ct.startsWith("application/grpc;"));

/** Ends the call with a status and no message (a trailers-only response), if the stream can still take one. */
function sendStatus(stream: ServerHttp2Stream, code: GrpcStatusCode, message: string, httpStatus = 200): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(h2.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond({
    ":status": httpStatus,
    "content-type": "application/grpc",
    "grpc-status": String(code),
    "grpc-message": encodeGrpcMessageHeader(message.slice(0, 2000)),
  }, { endStream: true });
  // The peer may still be sending (an oversize message): RST_STREAM(NO_ERROR) tells it to stop (PROTOCOL-HTTP2.md).
  if (!stream.readableEnded) stream.close(h2.NGHTTP2_NO_ERROR);
}

/** Answers the call with one message and status OK. */
function sendMessage(stream: ServerHttp2Stream, frame: Buffer): void {
  if (stream.destroyed || stream.closed) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.once("wantTrailers", () => { stream.sendTrailers({ "grpc-status": "0" }); });
  stream.end(frame);
}

/** One HTTP/2 session (one CometBFT client connection): its calls run one at a time, in the order they were opened. */
class GrpcPeer {
  readonly name: string;
  #tail: Promise<void> = Promise.resolve();
  /** Request bytes held by this peer's calls that are not answered yet; bounded by 2 × maxMessageBytes. */
  #buffered = 0;
  readonly #opts: GrpcServerOptions;

  constructor(name: string, opts: GrpcServerOptions) {
    this.name = name;
    this.#opts = opts;
  }

  onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const { logger, maxMessageBytes } = this.#opts;
    stream.on("error", (err) => { logger.warn({ peer: this.name, err }, `ABCI gRPC ${this.name}: stream error: ${errorMessage(err)}`); });
    const path = headers[":path"] ?? "";
    if (headers[":method"] !== "POST") {
      sendStatus(stream, GrpcStatus.UNIMPLEMENTED, `gRPC calls are POST, got ${headers[":method"] ?? "no method"}`, 405);
      return;
    }
    const contentType = headers["content-type"];
    if (!isGrpcContentType(contentType)) {
      sendStatus(stream, GrpcStatus.INTERNAL, `content-type ${JSON.stringify(contentType ?? "")} is not application/grpc`, 415);
      return;
    }
    const key = ROUTES.get(path);
    if (key === undefined) {
      sendStatus(stream, GrpcStatus.UNIMPLEMENTED, `unknown method ${path}: this server serves ${GRPC_SERVICE_NAME} (ABCI 2.0, CometBFT v0.38)`);
      return;
    }
    const encoding = headers["grpc-encoding"];
    const reader = new UnaryMessageReader(maxMessageBytes, typeof encoding === "string" ? encoding : undefined);
    let held = 0;
    const release = (): void => { this.#buffered -= held; held = 0; };
    const body = new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown): void => {
        settled = true;
        stream.removeAllListeners("data");
        release();
        reject(err);
      };
      stream.on("data", (chunk: Buffer) => {
        held += chunk.length;
        this.#buffered += chunk.length;
        try {
          if (this.#buffered > 2 * maxMessageBytes) {
            throw new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED,
              `this connection holds ${this.#buffered} bytes of unanswered requests, more than 2 × maxMessageBytes (${maxMessageBytes})`);
          }
          reader.push(chunk);
        } catch (err) {
          fail(err);
          // Answered at once, out of turn: the call has failed whatever comes before it.
          if (err instanceof GrpcCallError) sendStatus(stream, err.code, err.message);
        }
      });
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        try { resolve(reader.finish()); } catch (err) { fail(err); }
      });
      // Only a stream closed before its message is complete is a cancel (an Error costs a stack trace: not per call).
      stream.on("close", () => { if (!settled) fail(new GrpcCallError(GrpcStatus.CANCELLED, "the peer closed the stream")); });
    });
    body.catch(() => undefined);
    this.#tail = this.#tail
      .then(async () => {
        let bytes: Uint8Array;
        try {
          bytes = await body;
        } catch (err) {
          if (err instanceof GrpcCallError) sendStatus(stream, err.code, err.message);
          return;
        }
        try {
          await this.#call(stream, key, bytes);
        } finally {
          release();
        }
      })
      .catch((err: unknown) => {
        logger.error({ peer: this.name, err }, `ABCI gRPC ${this.name}: internal error: ${errorMessage(err)}`);
        sendStatus(stream, GrpcStatus.INTERNAL, `internal error: ${errorMessage(err)}`);
      });
  }

  async #call(stream: ServerHttp2Stream, key: MethodKey, bytes: Uint8Array): Promise<void> {
    const { app, appQueue, logger, maxMessageBytes } = this.#opts;
    const spec = ABCI_METHODS[key] as MethodSpec<MethodKey>;
    let request: NonNullable<Request[MethodKey]>;
    try {
      request = spec.request.decode(bytes);
    } catch (err) {
      sendStatus(stream, GrpcStatus.INTERNAL, `cannot decode the ${spec.name} request: ${errorMessage(err)}`);
      return;
    }
    const run = (): ReturnType<typeof callMethod> => callMethod(app, key, request);
    const result = appQueue && key !== "echo" && key !== "flush" ? await appQueue.run(run) : await run();
    if (!result.ok) {
      logger.error({ peer: this.name, method: spec.name, err: result.cause ?? result.error }, `ABCI gRPC ${this.name}: ${result.error}`);
      sendStatus(stream, GrpcStatus.UNKNOWN, result.error);
      return;
    }
    if (result.recovered) {
      logger.error({ peer: this.name, method: spec.name, err: result.recovered.cause ?? result.recovered.error },
        `ABCI gRPC ${this.name}: ${result.recovered.error}; answered with a refusal`);
    }
    let encoded: Uint8Array;
    try {
      encoded = spec.response.encode((result.response as Response)[key] as never).finish();
    } catch (err) {
      const error = `cannot encode the ${spec.name} response: ${errorMessage(err)}`;
      logger.error({ peer: this.name, method: spec.name, err }, `ABCI gRPC ${this.name}: ${error}`);
      sendStatus(stream, GrpcStatus.INTERNAL, error);
      return;
    }
    if (encoded.length > maxMessageBytes) {
      const error = `the ${spec.name} response of ${encoded.length} bytes exceeds maxMessageBytes ${maxMessageBytes}`;
      logger.error({ peer: this.name, method: spec.name }, `ABCI gRPC ${this.name}: ${error}`);
      sendStatus(stream, GrpcStatus.RESOURCE_EXHAUSTED, error);
      return;
    }
    sendMessage(stream, encodeGrpcMessage(encoded));
  }
}

/** Starts the gRPC server; resolves once it listens. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<AbciServer> {
  const { address, logger, maxMessageBytes } = opts;
  const limits = { ...DEFAULT_GRPC_LIMITS, ...opts.limits };
  const server = createServer({
    settings: {
      maxConcurrentStreams: limits.maxConcurrentStreams,
      maxHeaderListSize: limits.maxHeaderListBytes,
      enablePush: false,
      initialWindowSize: 1024 * 1024,
    },
    maxHeaderListPairs: 64,
    // nghttp2's own buffers (frames in and out, a large response being written): a bound in MB above one message each way.
    maxSessionMemory: Math.ceil((2 * maxMessageBytes) / (1024 * 1024)) + 10,
  });
  server.setTimeout(0); // no idle timeout: CometBFT's connections are long-lived (see GrpcLimits.handshakeTimeoutMs)
  const sessions = new Set<Http2Session>();
  let next = 0;
  server.on("session", (session: Http2Session) => {
    next += 1;
    const socket = session.socket;
    const name = `session#${next} (${socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? ""}` : "unix"})`;
    const peer = new GrpcPeer(name, opts);
    sessions.add(session);
    logger.info({ peer: name }, `ABCI gRPC ${name}: connected`);
    const handshake = setTimeout(() => {
      logger.warn({ peer: name }, `ABCI gRPC ${name}: no HTTP/2 SETTINGS within ${limits.handshakeTimeoutMs} ms; dropped`);
      session.destroy();
    }, limits.handshakeTimeoutMs);
    handshake.unref();
    session.once("remoteSettings", () => { clearTimeout(handshake); });
    session.on("stream", (stream, headers) => { peer.onStream(stream, headers); });
    session.on("error", (err) => { logger.warn({ peer: name, err }, `ABCI gRPC ${name}: ${errorMessage(err)}`); });
    session.on("close", () => {
      clearTimeout(handshake);
      sessions.delete(session);
      logger.info({ peer: name }, `ABCI gRPC ${name}: closed`);
    });
  });
  server.on("sessionError", (err) => { logger.warn({ err }, `ABCI gRPC session error: ${errorMessage(err)}`); });

  const bound = await listenOn(server, address);
  // CometBFT v0.38.25's gRPC client hands proxy_app to grpc.NewClient, which rejects a tcp:// prefix
  // ("invalid target address tcp://…: too many colons", measured), so report the bare host:port form.
  const shown = bound.kind === "unix" ? formatListenAddress(bound) : formatListenAddress(bound).slice("tcp://".length);
  logger.info({ address: shown, transport: "grpc" }, `ABCI gRPC server listening on ${shown}`);

  let closed: Promise<void> | undefined;
  return {
    address: shown,
    transport: "grpc",
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        // GOAWAY: no new calls; the ones running are answered, then each connection closes.
        for (const s of sessions) s.close();
        setTimeout(() => { for (const s of sessions) s.destroy(); }, limits.closeGraceMs).unref();
      }).then(() => releaseAddress(address));
      return closed;
    },
  };
}
