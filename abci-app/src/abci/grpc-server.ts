// The ABCI gRPC transport (CometBFT `abci = "grpc"`): service tendermint.abci.ABCI with 16 unary methods.
// No .proto loading: the method table supplies cosmjs-types RequestX/ResponseX codecs as (de)serializers.
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import type {
  MethodDefinition, sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation,
} from "@grpc/grpc-js";
import type { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application.ts";
import { formatListenAddress, type ListenAddress } from "./address.ts";
import {
  ABCI_METHODS, callMethod, type DispatchResult, LookAhead, METHOD_KEYS, type MethodKey, type MethodSpec,
} from "./dispatch.ts";
import { ListenError } from "./errors.ts";
import { errorMessage, type AbciLogger } from "./logger.ts";
import type { SerialQueue } from "./serial-queue.ts";
import type { AbciServer } from "./server-types.ts";
import { removeStaleSocket } from "./unix-socket.ts";

export const GRPC_SERVICE_NAME = "tendermint.abci.ABCI";

export interface GrpcServerOptions {
  readonly app: Application;
  readonly address: ListenAddress;
  readonly maxMessageBytes: number;
  readonly logger: AbciLogger;
  /** When set, every app call of every connection runs through this one queue. */
  readonly appQueue?: SerialQueue | undefined;
}

/** Calls open at once on one connection of the grpc-js server (the native server's default too). */
export const GRPC_JS_MAX_CONCURRENT_STREAMS = 128;

/** The bytes as a Buffer without copying (grpc-js copies them into its frame at once). */
const bufferView = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The service definition: method name → path, codecs. Exported for clients in tests. */
export function abciServiceDefinition(): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const key of METHOD_KEYS) {
    const spec = ABCI_METHODS[key] as MethodSpec<MethodKey>;
    const req = spec.request as MethodSpec<MethodKey>["request"];
    const res = spec.response as MethodSpec<MethodKey>["response"];
    def[spec.name] = {
      path: `/${GRPC_SERVICE_NAME}/${spec.name}`,
      requestStream: false,
      responseStream: false,
      originalName: key,
      requestSerialize: (m: unknown) => bufferView(req.encode(m as never).finish()),
      requestDeserialize: (b: Buffer) => req.decode(b),
      // An answer the dispatcher already encoded (DispatchResult.encoded) arrives as its bytes.
      responseSerialize: (m: unknown) => bufferView(m instanceof Uint8Array ? m : spec.encodeAnswer?.(m as never) ?? res.encode(m as never).finish()),
      responseDeserialize: (b: Buffer) => res.decode(b),
    };
  }
  return def;
}

/** Starts the gRPC server; resolves once it listens. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<AbciServer> {
  const { app, address, maxMessageBytes, logger, appQueue } = opts;
  const server = new Server({
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    // node:http2 allows 2^32−1 streams per connection by default; the native server's limit (docs/abci-transport.md,
    // "Connection limits").
    "grpc.max_concurrent_streams": GRPC_JS_MAX_CONCURRENT_STREAMS,
  });
  // Calls from one peer (one CometBFT client connection) are answered one after another, like the socket transport.
  const tails = new Map<string, Promise<void>>();
  const serial = (peer: string, step: () => Promise<void>): void => {
    const tail = (tails.get(peer) ?? Promise.resolve()).then(step).catch((err: unknown) => {
      logger.error({ peer, err }, `ABCI gRPC ${peer}: internal error: ${errorMessage(err)}`);
    });
    tails.set(peer, tail);
    void tail.then(() => { if (tails.get(peer) === tail) tails.delete(peer); });
  };

  // Early work (dispatch.ts LookAhead). grpc-js hands each call over as it is parsed, and a call then runs to its
  // answer within that turn, so a CheckTx first yields one turn: the rest of its burst (e.g. everything that arrived
  // during a FinalizeBlock) is then known, and is prepared while this one runs inline.
  const lookAhead = new LookAhead(app);

  const impl: UntypedServiceImplementation = {};
  for (const key of METHOD_KEYS) {
    const name = ABCI_METHODS[key].name;
    impl[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
      const peer = call.getPeer();
      const arrival = lookAhead.arrive(key, call.request);
      serial(peer, async () => {
        if (key === "checkTx" && lookAhead.early) await new Promise<void>((r) => setImmediate(r));
        // Cancelled (RST_STREAM) while it waited its turn: no one wants the answer, so the app does no work for it
        // (request + cancel, repeated, would otherwise queue app calls at will: the "rapid reset" pattern).
        if (call.cancelled) { lookAhead.start(arrival); return; }
        const prepared = lookAhead.start(arrival);
        if (prepared) await prepared;
        const run = (): Promise<DispatchResult> => callMethod(app, key, call.request as NonNullable<Request[MethodKey]>);
        const result = appQueue && key !== "echo" && key !== "flush" ? await appQueue.run(run) : await run();
        if (result.ok) {
          if (result.recovered) {
            logger.error({ peer, method: name, err: result.recovered.cause ?? result.recovered.error }, `ABCI gRPC ${peer}: ${result.recovered.error}; answered with a refusal`);
          }
          callback(null, result.encoded ?? (result.response as Response)[key]);
          return;
        }
        logger.error({ peer, method: name, err: result.cause ?? result.error }, `ABCI gRPC ${peer}: ${result.error}`);
        callback({ code: status.UNKNOWN, details: result.error });
      });
    };
  }
  server.addService(abciServiceDefinition(), impl);

  const shown = formatListenAddress(address);
  if (address.kind === "unix") await removeStaleSocket(address.path, shown);
  const target = address.kind === "unix"
    ? (address.path.startsWith("/") ? `unix://${address.path}` : `unix:${address.path}`)
    : address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(target, ServerCredentials.createInsecure(), (err, p) => {
      if (err) reject(new ListenError(shown, err));
      else resolve(p);
    });
  });
  // CometBFT v0.38.25's gRPC client hands proxy_app to grpc.NewClient, which rejects a tcp:// prefix
  // ("invalid target address tcp://…: too many colons", measured), so report the bare host:port form.
  const bound = address.kind === "unix" ? shown : formatListenAddress({ ...address, port }).slice("tcp://".length);
  logger.info({ address: bound, transport: "grpc" }, `ABCI gRPC server listening on ${bound}`);

  let closed = false;
  return {
    address: bound,
    transport: "grpc",
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        server.forceShutdown();
      }
      return Promise.resolve();
    },
  };
}
