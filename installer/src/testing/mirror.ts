// A tiny release mirror for tests: serves in-memory files on 127.0.0.1:<ephemeral port> and counts requests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type MirrorEntry = Buffer | string | { readonly truncateAt: number; readonly body: Buffer };

export interface Mirror {
  readonly url: string;
  readonly files: Map<string, MirrorEntry>;
  readonly hits: Map<string, number>;
  readonly close: () => Promise<void>;
}

/** Starts the mirror. `{truncateAt, body}` announces the full length but sends only `truncateAt` bytes, then drops. */
export async function startMirror(files: Map<string, MirrorEntry> = new Map()): Promise<Mirror> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const f = files.get(path);
    if (f === undefined) {
      res.writeHead(404).end("not found\n");
      return;
    }
    if (typeof f === "string" || Buffer.isBuffer(f)) {
      const body = Buffer.from(f);
      res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" }).end(body);
      return;
    }
    res.writeHead(200, { "content-length": f.body.length, "content-type": "application/octet-stream" });
    res.write(f.body.subarray(0, f.truncateAt), () => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
