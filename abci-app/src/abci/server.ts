// serveAbci: the one entry point that starts an ABCI server for an Application on the chosen transport.
import { formatListenAddress, isLoopbackHost, parseListenAddress } from "./address.ts";
import { InvalidServerOptionError } from "./errors.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "./framing.ts";
import { startGrpcServer } from "./grpc-server.ts";
import { startNativeGrpcServer } from "./h2/server.ts";
import { stderrLogger } from "./logger.ts";
import { SerialQueue } from "./serial-queue.ts";
import {
  type AbciServer, DEFAULT_GRPC_SERVER, DEFAULT_MAX_CONNECTIONS, DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS, type ServeAbciOptions,
} from "./server-types.ts";
import { startSocketServer } from "./socket-server.ts";

/**
 * Serves `app` over ABCI 2.0 on `address` (`tcp://127.0.0.1:26658`, `unix:///…/abci.sock`; port 0 = any free port).
 * Rejects with InvalidAddressError / InvalidServerOptionError / ListenError; nothing is left listening on failure.
 */
export async function serveAbci(opts: ServeAbciOptions): Promise<AbciServer> {
  const address = parseListenAddress(opts.address);
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1 || maxMessageBytes > 2 ** 31 - 1) {
    throw new InvalidServerOptionError(`maxMessageBytes must be an integer in [1, 2^31-1], got ${String(opts.maxMessageBytes)}`);
  }
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) {
    throw new InvalidServerOptionError(`maxConnections must be a positive integer, got ${String(opts.maxConnections)}`);
  }
  const partialMessageTimeoutMs = opts.partialMessageTimeoutMs ?? DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS;
  if (!Number.isSafeInteger(partialMessageTimeoutMs) || partialMessageTimeoutMs < 1 || partialMessageTimeoutMs > 2 ** 31 - 1) {
    throw new InvalidServerOptionError(`partialMessageTimeoutMs must be an integer in [1, 2^31-1], got ${String(opts.partialMessageTimeoutMs)}`);
  }
  const logger = opts.logger ?? stderrLogger();
  const serialize = opts.serialize ?? "global";
  if (serialize !== "global" && serialize !== "connection") {
    throw new InvalidServerOptionError(`serialize must be "global" or "connection", got ${JSON.stringify(serialize)}`);
  }
  const grpcServer = opts.grpcServer ?? DEFAULT_GRPC_SERVER;
  if (grpcServer !== "grpc-js" && grpcServer !== "native") {
    throw new InvalidServerOptionError(`grpcServer must be "grpc-js" or "native", got ${JSON.stringify(grpcServer)}`);
  }
  if (address.kind === "tcp" && !isLoopbackHost(address.host)) {
    // `tcp://:26658` means every interface, as in CometBFT: a careless address must not go unnoticed.
    logger.warn(
      { address: formatListenAddress(address) },
      `ABCI listens on ${formatListenAddress(address)}, not a loopback address. ABCI has no authentication: anyone who can reach it can ` +
        "run FinalizeBlock and Commit and rewrite this app's state. Listen on 127.0.0.1 (or a unix:// socket) unless a firewall keeps others out",
    );
  }
  const appQueue = serialize === "global" ? new SerialQueue() : undefined;
  const common = { app: opts.app, address, maxMessageBytes, logger, appQueue, maxConnections, partialMessageTimeoutMs };
  switch (opts.transport) {
    case "socket":
      return startSocketServer(common);
    case "grpc":
      return grpcServer === "native" ? startNativeGrpcServer(common) : startGrpcServer(common);
    default:
      throw new InvalidServerOptionError(`unknown ABCI transport ${JSON.stringify(opts.transport)}: use "socket" or "grpc"`);
  }
}
