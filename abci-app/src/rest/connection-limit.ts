// A per-client-address cap on the connections an HTTP server holds (used by the REST server and the OCI registry).
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { clientKey } from "./client-key.ts";

/**
 * One client (clientKey: an IPv4 address, an IPv6 /56) may hold at most `perClient` connections of `server`: the next is destroyed as it arrives,
 * before Node's own connection listener (so a refused socket never reaches the HTTP parser), and a slot frees when
 * a socket closes. Pair it with `server.maxConnections` so one client cannot take every slot. Behind a trusted
 * reverse proxy every client shares the proxy's address: there the cap is the proxy's to enforce.
 */
export function limitConnectionsPerClient(server: Server, perClient: number): void {
  const open = new Map<string, number>();
  server.prependListener("connection", (socket: Socket) => {
    const client = clientKey(socket.remoteAddress ?? "");
    const n = (open.get(client) ?? 0) + 1;
    if (n > perClient) {
      socket.destroy();
      return;
    }
    open.set(client, n);
    socket.once("close", () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left <= 0) open.delete(client);
      else open.set(client, left);
    });
  });
}
