// A tiny release mirror for tests: serves in-memory files on 127.0.0.1:<ephemeral port> and counts requests.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const ZEROS = Buffer.alloc(64 * 1024, "0");

/** Writes `n` "0" bytes as the client takes them; stops when it goes away. */
function streamZeros(res: ServerResponse, n: number): void {
  let left = n;
  res.once("close", () => (left = 0));
  const more = (): void => {
    while (left > 0) {
      const chunk = ZEROS.subarray(0, Math.min(left, ZEROS.length));
      left -= chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    if (!res.destroyed && !res.writableEnded) res.end();
  };
  more();
}

export type MirrorEntry =
  | Buffer
  | string
  | { readonly truncateAt: number; readonly body: Buffer }
  | { readonly zeros: number; readonly chunked?: boolean }
  | { readonly stall: number };

export interface Mirror {
  readonly url: string;
  readonly files: Map<string, MirrorEntry>;
  readonly hits: Map<string, number>;
  readonly close: () => Promise<void>;
}

/**
 * Starts the mirror. `{truncateAt, body}` announces the full length but sends only `truncateAt` bytes, then drops.
 * `{zeros, chunked}` streams that many "0" bytes, generated as the client reads them (a file too large to hold),
 * with its Content-Length, or without one (`chunked`: the client learns the size only by counting).
 * `{stall}` announces that many bytes and sends none: a download that hangs until the client gives up or is stopped.
 */
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
    if ("stall" in f) {
      res.writeHead(200, { "content-length": f.stall, "content-type": "application/octet-stream" });
      res.flushHeaders();
      return;
    }
    if ("zeros" in f) {
      res.writeHead(200, { ...(f.chunked === true ? {} : { "content-length": f.zeros }), "content-type": "application/octet-stream" });
      streamZeros(res, f.zeros);
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
