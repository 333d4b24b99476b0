// The native ABCI gRPC server (`--grpc-server native`): service tendermint.abci.ABCI over this directory's own
// HTTP/2 (connection.ts) on a plain net.Server, instead of @grpc/grpc-js on node:http2. Same method table, same
// per-connection order, same app queue and the same early-work hook as grpc-server.ts.
import { createServer, type Server, type Socket } from "node:net";
import type { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { formatListenAddress } from "../address.ts";
import {
  ABCI_METHODS, callMethod, type DispatchResult, LookAhead, METHOD_KEYS, type MethodKey, type MethodSpec,
} from "../dispatch.ts";
import { ListenError } from "../errors.ts";
import { GRPC_SERVICE_NAME, type GrpcServerOptions } from "../grpc-server.ts";
import { errorMessage } from "../logger.ts";
import { guardConnections } from "../connection-guard.ts";
import { type AbciServer, DEFAULT_MAX_CONNECTIONS, DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS } from "../server-types.ts";
import { removeStaleSocket } from "../unix-socket.ts";
import { GrpcStatus, H2Connection, type H2Call, type H2ConnectionStats, type H2Limits } from "./connection.ts";

export interface NativeGrpcServerOptions extends GrpcServerOptions {
  /** Overrides of the HTTP/2 limits (tests). */
  readonly limits?: Partial<H2Limits>;
  /** Connections open at once (default DEFAULT_MAX_CONNECTIONS); more are closed at accept. */
  readonly maxConnections?: number | undefined;
  /** A connection holding part of a frame, header block or request this long without completing it is closed (default 30 s). */
  readonly partialMessageTimeoutMs?: number | undefined;
}

/** A running native server; `connections()` shows what each connection holds (tests, diagnostics). */
export interface NativeGrpcServer extends AbciServer {
  connections(): H2ConnectionStats[];
}

/** The limits for a given largest message: one message always fits the windows, so a call never waits for them. */
export function defaultH2Limits(maxMessageBytes: number): H2Limits {
  return {
    maxMessageBytes,
    maxHeaderListBytes: 16 * 1024,
    maxConcurrentStreams: 128,
    maxBufferedBytes: Math.min(2 ** 31 - 1, Math.max(4 * (maxMessageBytes + 5), 1 << 20)),
    maxQueuedWriteBytes: Math.max(maxMessageBytes + (1 << 20), 8 << 20),
    handshakeTimeoutMs: 10_000,
  };
}

const PATHS = new Map<string, MethodKey>(METHOD_KEYS.map((k) => [`/${GRPC_SERVICE_NAME}/${ABCI_METHODS[k].name}`, k]));

/** Starts the native gRPC server; resolves once it listens. */
export async function startNativeGrpcServer(opts: NativeGrpcServerOptions): Promise<NativeGrpcServer> {
  const { app, address, maxMessageBytes, logger, appQueue } = opts;
  const limits: H2Limits = { ...defaultH2Limits(maxMessageBytes), ...opts.limits };
  // Early work (dispatch.ts LookAhead). A socket read is parsed whole before any call runs (calls start on the
  // promise chain), so the calls of a burst are all known when the first runs: unlike grpc-server.ts, a CheckTx
  // needs no extra turn first.
  const lookAhead = new LookAhead(app);
  const connections = new Map<Socket, H2Connection>();
  const tails = new Map<H2Connection, Promise<void>>();

  const onCall = (conn: H2Connection, peer: string, call: H2Call): void => {
    const key = PATHS.get(call.path);
    if (key === undefined) { conn.respondStatus(call.stream, GrpcStatus.UNIMPLEMENTED, `unknown method ${call.path}`); return; }
    const spec = ABCI_METHODS[key] as MethodSpec<MethodKey>;
    let request: NonNullable<Request[MethodKey]>;
    try {
      request = spec.request.decode(call.message);
    } catch (err) {
      conn.respondStatus(call.stream, GrpcStatus.INTERNAL, `Error deserializing request: ${errorMessage(err)}`);
      return;
    }
    const arrival = lookAhead.arrive(key, request);
    const step = async (): Promise<void> => {
      const prepared = lookAhead.start(arrival);
      if (prepared) await prepared;
      const run = (): Promise<DispatchResult> => callMethod(app, key, request);
      const result = appQueue && key !== "echo" && key !== "flush" ? await appQueue.run(run) : await run();
      if (!result.ok) {
        logger.error({ peer, method: spec.name, err: result.cause ?? result.error }, `ABCI gRPC ${peer}: ${result.error}`);
        conn.respondStatus(call.stream, GrpcStatus.UNKNOWN, result.error);
        return;
      }
      if (result.recovered) {
        logger.error({ peer, method: spec.name, err: result.recovered.cause ?? result.recovered.error }, `ABCI gRPC ${peer}: ${result.recovered.error}; answered with a refusal`);
      }
      let bytes: Uint8Array;
      try {
        // A method with encodeAnswer (CheckTx, FinalizeBlock) comes encoded already, and its `response` is the app's
        // partial answer, which cosmjs-types' encode does not take.
        bytes = result.encoded ?? spec.response.encode((result.response as Response)[key] as never).finish();
      } catch (err) {
        logger.error({ peer, method: spec.name, err }, `ABCI gRPC ${peer}: cannot encode the ${spec.name} response`);
        conn.respondStatus(call.stream, GrpcStatus.INTERNAL, `cannot encode the ${spec.name} response: ${errorMessage(err)}`);
        return;
      }
      conn.respond(call.stream, bytes);
    };
    // Calls of one connection are answered one after another, like the socket transport.
    const tail = (tails.get(conn) ?? Promise.resolve()).then(step).catch((err: unknown) => {
      logger.error({ peer, err }, `ABCI gRPC ${peer}: internal error: ${errorMessage(err)}`);
      conn.respondStatus(call.stream, GrpcStatus.INTERNAL, "internal error");
    });
    tails.set(conn, tail);
    void tail.then(() => { if (tails.get(conn) === tail) tails.delete(conn); });
  };

  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const peer = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? 0}` : "unix";
    const conn = new H2Connection(socket, limits, {
      knows: (path) => PATHS.has(path),
      onCall: (c, call) => { onCall(c, peer, call); },
      warn: (msg) => { logger.warn({ peer }, `ABCI gRPC ${peer}: ${msg}`); },
    });
    connections.set(socket, conn);
    logger.info({ peer }, `ABCI gRPC ${peer}: connected`);
    // Logged once the connection no longer counts against maxConnections ('close' follows net's own count).
    socket.on("close", () => {
      connections.delete(socket);
      tails.delete(conn);
      logger.info({ peer }, `ABCI gRPC ${peer}: closed`);
    });
  });

  const stopGuard = guardConnections(server, {
    maxConnections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    partialMessageTimeoutMs: opts.partialMessageTimeoutMs ?? DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS,
  }, logger, "ABCI gRPC server", () => connections.values());
  const shown = formatListenAddress(address);
  if (address.kind === "unix") await removeStaleSocket(address.path, shown);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => { reject(new ListenError(shown, err)); });
    if (address.kind === "unix") server.listen(address.path, resolve);
    else server.listen(address.port, address.host, resolve);
  }).catch((err: unknown) => { stopGuard(); throw err; });
  server.on("error", (err) => { logger.error({ err }, `ABCI gRPC server error: ${errorMessage(err)}`); });
  const bound = address.kind === "unix"
    ? shown
    : formatListenAddress({ ...address, port: (server.address() as { port: number }).port }).slice("tcp://".length);
  logger.info({ address: bound, transport: "grpc", grpcServer: "native" }, `ABCI gRPC server (native HTTP/2) listening on ${bound}`);

  let closing: Promise<void> | undefined;
  return {
    address: bound,
    transport: "grpc",
    connections: () => [...connections.values()].map((c) => c.stats),
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        stopGuard();
        server.close(() => { resolve(); });
        for (const s of connections.keys()) s.destroy();
      });
      return closing;
    },
  };
}
