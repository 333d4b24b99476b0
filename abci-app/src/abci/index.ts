// Public surface of the ABCI transport.
export type { Application, Reply } from "./application.ts";
export { BaseApplication, takeTxsWithinLimit } from "./base-application.ts";
export { serveAbci } from "./server.ts";
export type { AbciServer, AbciTransport, GrpcServerKind, ServeAbciOptions } from "./server-types.ts";
export { DEFAULT_GRPC_SERVER, DEFAULT_MAX_CONNECTIONS, DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS } from "./server-types.ts";
export { type AbciLogger, silentLogger, stderrLogger } from "./logger.ts";
export type { AppSerialization } from "./serial-queue.ts";
export { DEFAULT_MAX_MESSAGE_BYTES, encodeFrame, encodeUvarint, FrameDecoder } from "./framing.ts";
export { ABCI_METHODS, type MethodKey } from "./dispatch.ts";
export { GRPC_SERVICE_NAME, abciServiceDefinition } from "./grpc-server.ts";
export { abciEchoes } from "./probe.ts"; // is an ABCI app answering at an address (the launchers)
export { AbciSocketClient } from "./socket-client.ts"; // a minimal socket client (the probe, specs, benchmarks)
export { parseListenAddress, formatListenAddress, type ListenAddress } from "./address.ts";
export {
  AbciTransportError, FrameTooLargeError, InvalidAddressError, InvalidServerOptionError, ListenError, VarintTooLongError,
} from "./errors.ts";
