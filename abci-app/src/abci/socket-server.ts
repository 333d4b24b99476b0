// The ABCI socket transport: a net server on TCP or a UNIX socket, any number of connections.
import { unlink } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import type { Application } from "./application.ts";
import { formatListenAddress, type ListenAddress } from "./address.ts";
import { AbciConnection } from "./connection.ts";
import { guardConnections } from "./connection-guard.ts";
import { ListenError } from "./errors.ts";
import type { AbciLogger } from "./logger.ts";
import type { SerialQueue } from "./serial-queue.ts";
import { type AbciServer, DEFAULT_MAX_CONNECTIONS, DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS } from "./server-types.ts";
import { removeStaleSocket } from "./unix-socket.ts";

export interface SocketServerOptions {
  readonly app: Application;
  readonly address: ListenAddress;
  readonly maxMessageBytes: number;
  readonly logger: AbciLogger;
  /** When set, every app call of every connection runs through this one queue. */
  readonly appQueue?: SerialQueue | undefined;
  /** Connections open at once (default DEFAULT_MAX_CONNECTIONS); more are closed at accept. */
  readonly maxConnections?: number | undefined;
  /** A connection holding part of a frame this long without completing it is closed (default 30 s). */
  readonly partialMessageTimeoutMs?: number | undefined;
}

/** Starts the socket server; resolves once it listens. */
export async function startSocketServer(opts: SocketServerOptions): Promise<AbciServer> {
  const { app, address, maxMessageBytes, logger, appQueue } = opts;
  const sockets = new Map<Socket, AbciConnection>();
  let next = 0;
  // allowHalfOpen: a peer that half-closes still gets the answers to what it sent before.
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    next += 1;
    const peer = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? ""}` : "unix";
    const name = `conn#${next} (${peer})`;
    logger.info({ conn: name }, `ABCI ${name}: connected`);
    sockets.set(socket, new AbciConnection(socket, { name, app, maxMessageBytes, logger, appQueue }));
    socket.on("close", () => {
      sockets.delete(socket);
      logger.info({ conn: name }, `ABCI ${name}: closed`);
    });
  });
  const stopGuard = guardConnections(server, {
    maxConnections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    partialMessageTimeoutMs: opts.partialMessageTimeoutMs ?? DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS,
  }, logger, "ABCI socket server", () => sockets.values());
  const shown = formatListenAddress(address);
  if (address.kind === "unix") await removeStaleSocket(address.path, shown);
  await listen(server, address, shown).catch((err: unknown) => { stopGuard(); throw err; });
  const bound = boundAddress(server, address);
  logger.info({ address: bound, transport: "socket" }, `ABCI socket server listening on ${bound}`);

  let closed: Promise<void> | undefined;
  return {
    address: bound,
    transport: "socket",
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        stopGuard();
        server.close(() => { resolve(); });
        for (const s of sockets.keys()) s.destroy();
      }).then(async () => {
        if (address.kind === "unix") await unlink(address.path).catch(() => undefined);
      });
      return closed;
    },
  };
}

function listen(server: Server, address: ListenAddress, shown: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => { reject(new ListenError(shown, err)); };
    server.once("error", onError);
    const ready = (): void => {
      server.off("error", onError);
      server.on("error", () => undefined);
      resolve();
    };
    if (address.kind === "unix") server.listen(address.path, ready);
    else server.listen({ host: address.host, port: address.port }, ready);
  });
}

function boundAddress(server: Server, address: ListenAddress): string {
  const info = server.address();
  if (address.kind === "unix" || info === null || typeof info === "string") return formatListenAddress(address);
  return formatListenAddress({ kind: "tcp", host: info.address, port: info.port });
}
