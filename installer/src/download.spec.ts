import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { downloadFile } from "./download.ts";

/** Blocks the event loop: a terminal that is slow to draw, or a busy host. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* busy */ }
}

describe("downloader: a server that closes right after the body (nodejs/undici#5360)", () => {
  const body = randomBytes(512 * 1024);
  let server: Server;
  let url = "";
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-dl-undici-"));
    // HTTP/1.0 style: no keep-alive, the whole body and then FIN at once.
    server = createServer((sock) => {
      sock.once("data", () => {
        sock.write(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n`);
        sock.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    assert.ok(addr !== null && typeof addr === "object");
    url = `http://127.0.0.1:${addr.port}/cometbft.tar.gz`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  test("a slow consumer (a terminal that stalls 300 ms on its first redraws) still gets the whole file", async () => {
    const dest = join(dir, "cometbft.tar.gz");
    let redraws = 0;
    const slowTerminal = { isTTY: true, columns: 80, write: (): boolean => (redraws++ < 3 && stall(300), true) };
    await downloadFile(url, dest, { progress: slowTerminal });
    assert.ok(readFileSync(dest).equals(body), "the file on disk is the served body");
    assert.deepEqual((await readdir(dir)).sort(), ["cometbft.tar.gz"], "no temp file left behind");
  });
});
