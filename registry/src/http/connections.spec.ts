// Connection limits of the registry's HTTP server (real server, real sockets): one client address holds at most
// maxConnectionsPerClient sockets (the next is closed at once; a slot frees on close), and a client trickling its
// headers is cut off soon after headersTimeoutSeconds (Node checks every second, not every 30 s).
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { startTestRegistry } from "../testkit.ts";

function opener(port: number): () => Promise<Socket> {
  return () => new Promise((resolve, reject) => {
    const c = connect(port, "127.0.0.1", () => resolve(c));
    c.once("error", reject);
  });
}

function closedWithin(c: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (c.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    c.once("close", () => (clearTimeout(t), resolve(true)));
  });
}

test("one client address holds at most maxConnectionsPerClient sockets", async () => {
  const t = await startTestRegistry({ maxConnectionsPerClient: 4 });
  const accepted: Socket[] = []; // the server's ends (its slot counter's 'close' listener runs before ours)
  t.reg.server.on("connection", (s: Socket) => accepted.push(s));
  const open = opener(Number(new URL(t.url).port));
  const held: Socket[] = [];
  try {
    for (let i = 0; i < 4; i++) held.push(await open());
    const extra = await open();
    assert.equal(await closedWithin(extra, 1000), true, "one over the cap is closed by the server");
    assert.equal(await closedWithin(held[0] as Socket, 300), false, "the others stay open");
    // The slot frees when the server sees the close: wait for that, not for a time (past 50 ms a loaded event loop
    // could take the next connection in the same poll as that close, and before it).
    const freed = held.shift() as Socket;
    const serverEnd = accepted.find((s) => s.remotePort === freed.localPort);
    assert.ok(serverEnd, "the server's end of the first connection");
    const closedOnServer = new Promise((r) => serverEnd.once("close", r));
    freed.destroy();
    await closedOnServer;
    const r = await fetch(`${t.url}/v2/`, { headers: { Connection: "close" } });
    assert.equal(r.status, 401, "a freed slot serves the next request");
    assert.equal(t.reg.server.maxConnections, 2048, "the default total cap is set");
  } finally {
    for (const c of held) c.destroy();
    await t.close();
  }
});

test("a client trickling its headers is closed soon after headersTimeoutSeconds", { timeout: 20_000 }, async () => {
  const t = await startTestRegistry({ headersTimeoutSeconds: 2, requestTimeoutSeconds: 3 });
  const c = await opener(Number(new URL(t.url).port))();
  c.on("error", () => undefined);
  c.write("GET /v2/ HTTP/1.1\r\nHost: x\r\n");
  const iv = setInterval(() => { if (!c.destroyed) c.write("X-Slow: 1\r\n"); }, 500);
  try {
    assert.equal(await closedWithin(c, 5000), true, "closed within 5 s, not after Node's 30 s check");
  } finally {
    clearInterval(iv);
    c.destroy();
    await t.close();
  }
});
