// Binding a server (socket or gRPC: both are net.Server) to a parsed listen address, shared by both transports.
import { unlink } from "node:fs/promises";
import type { Server } from "node:net";
import { formatListenAddress, type ListenAddress } from "./address.ts";
import { ListenError } from "./errors.ts";
import { removeStaleSocket } from "./unix-socket.ts";

/** Listens on `address` (a stale UNIX socket file is replaced first); resolves with the bound address, real port included. */
export async function listenOn(server: Server, address: ListenAddress): Promise<ListenAddress> {
  const shown = formatListenAddress(address);
  if (address.kind === "unix") await removeStaleSocket(address.path, shown);
  await new Promise<void>((resolve, reject) => {
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
  const info = server.address();
  if (address.kind === "unix" || info === null || typeof info === "string") return address;
  return { kind: "tcp", host: info.address, port: info.port };
}

/** After close: a UNIX socket file is removed (a TCP address needs nothing). */
export async function releaseAddress(address: ListenAddress): Promise<void> {
  if (address.kind === "unix") await unlink(address.path).catch(() => undefined);
}
