// For specs that need loopback TCP ports: a listener on a port the kernel picks, its port, and a port free just now.
import { createServer, type Server, type Socket } from "node:net";

/** A server on 127.0.0.1 at a kernel-chosen port; by default it accepts and ignores its connections. */
export function listen(handler: (c: Socket) => void = (c) => c.on("error", () => undefined)): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer(handler);
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

export const portOf = (s: Server): number => (s.address() as { port: number }).port;

/** A port that was free a moment ago (listened on, then closed). */
export async function freePort(): Promise<number> {
  const s = await listen();
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}
