// The ABCI socket transport: a net server on TCP or a UNIX socket, any number of connections.
import { createServer, type Socket } from "node:net";
import type { Application } from "./application.ts";
import { formatListenAddress, type ListenAddress } from "./address.ts";
import { AbciConnection } from "./connection.ts";
import { listenOn, releaseAddress } from "./listen.ts";
import type { AbciLogger } from "./logger.ts";
import type { SerialQueue } from "./serial-queue.ts";
import type { AbciServer } from "./server-types.ts";

export interface SocketServerOptions {
  readonly app: Application;
  readonly address: ListenAddress;
  readonly maxMessageBytes: number;
  readonly logger: AbciLogger;
  /** When set, every app call of every connection runs through this one queue. */
  readonly appQueue?: SerialQueue | undefined;
}

/** Starts the socket server; resolves once it listens. */
export async function startSocketServer(opts: SocketServerOptions): Promise<AbciServer> {
  const { app, address, maxMessageBytes, logger, appQueue } = opts;
  const sockets = new Set<Socket>();
  let next = 0;
  // allowHalfOpen: a peer that half-closes still gets the answers to what it sent before.
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    next += 1;
    const peer = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? ""}` : "unix";
    const name = `conn#${next} (${peer})`;
    sockets.add(socket);
    logger.info({ conn: name }, `ABCI ${name}: connected`);
    new AbciConnection(socket, { name, app, maxMessageBytes, logger, appQueue });
    socket.on("close", () => {
      sockets.delete(socket);
      logger.info({ conn: name }, `ABCI ${name}: closed`);
    });
  });
  const bound = formatListenAddress(await listenOn(server, address));
  logger.info({ address: bound, transport: "socket" }, `ABCI socket server listening on ${bound}`);

  let closed: Promise<void> | undefined;
  return {
    address: bound,
    transport: "socket",
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        for (const s of sockets) s.destroy();
      }).then(() => releaseAddress(address));
      return closed;
    },
  };
}
