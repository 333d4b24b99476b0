// AbciSocketClient against peers that are not well-behaved ABCI apps (real sockets, a plain net server as the peer):
// it must fail clearly and close, never crash the process, wait forever or buffer without bound.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Response } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { encodeFrame, encodeUvarint } from "./framing.ts";
import { serveAbci } from "./server.ts";
import { AbciSocketClient } from "./socket-client.ts";

/** A TCP peer on 127.0.0.1 that runs `onConnection` for each connection; returns its tcp:// address. */
async function peer(onConnection: (s: Socket) => void): Promise<{ address: string; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => { sockets.push(s); s.on("error", () => undefined); onConnection(s); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { address: `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, server, sockets };
}

async function closePeer(p: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of p.sockets) s.destroy();
  await new Promise((r) => p.server.close(r));
}

const echoFrame = (message: string): Buffer => encodeFrame(Response.encode(Response.fromPartial({ echo: { message } })).finish());

describe("AbciSocketClient", () => {
  test("a response that is not a protobuf Response rejects the call and closes the connection (the process lives on)", { timeout: 10_000 }, async () => {
    const p = await peer((s) => s.on("data", () => s.write(encodeFrame(Uint8Array.of(0xff, 0xff)))));
    try {
      const c = await AbciSocketClient.connect(p.address);
      await assert.rejects(c.call({ echo: { message: "hi" } }), /ABCI connection closed: undecodable tendermint\.abci\.Response \(2 bytes\)/);
      await c.closed;
      await assert.rejects(c.next(), /undecodable/);
    } finally {
      await closePeer(p);
    }
  });

  test("a length prefix above maxMessageBytes rejects and closes before any of the body is buffered", { timeout: 10_000 }, async () => {
    const p = await peer((s) => s.on("data", () => s.write(encodeUvarint(5000))));
    try {
      const c = await AbciSocketClient.connect(p.address, { maxMessageBytes: 1024 });
      await assert.rejects(c.call({ echo: { message: "hi" } }), /announced message length 5000 bytes exceeds maxMessageBytes 1024/);
      await c.closed;
    } finally {
      await closePeer(p);
    }
  });

  test("a peer that never answers: each awaited response times out, and the connection is closed", { timeout: 10_000 }, async () => {
    const p = await peer(() => undefined);
    try {
      const c = await AbciSocketClient.connect(p.address, { requestTimeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(c.call({ echo: { message: "anyone?" } }), /ABCI connection closed: no ABCI response within 200 ms/);
      assert.ok(Date.now() - started < 5000);
      await c.closed;
      await assert.rejects(c.next(), /no ABCI response within 200 ms/);
    } finally {
      await closePeer(p);
    }
  });

  test("responses nobody awaits are buffered up to about maxMessageBytes, then the socket is not read until they are taken", { timeout: 30_000 }, async () => {
    const frame = echoFrame("x".repeat(64 * 1024));
    const count = 800; // about 52 MB
    const total = count * frame.length;
    const p = await peer((s) => { for (let i = 0; i < count; i++) s.write(frame); });
    try {
      const c = await AbciSocketClient.connect(p.address, { maxMessageBytes: 1024 * 1024 });
      const unread = (): number => p.sockets[0]?.writableLength ?? total;
      // wait until the peer's unsent bytes stayed put for a second (the first reads can take a few hundred ms)
      let last = -1;
      for (let stable = 0, i = 0; i < 100 && stable < 10; i++) {
        await sleep(100);
        stable = unread() === last ? stable + 1 : 0;
        last = unread();
      }
      // what the client took: its 1 MiB, the chunk being read, and what the kernel's buffers hold (a few MB)
      assert.ok(total - unread() < 20_000_000, `the client read ${total - unread()} of ${total} bytes while nobody took a response`);
      for (let i = 0; i < count; i++) assert.equal((await c.next()).echo?.message.length, 64 * 1024);
      c.destroy();
    } finally {
      await closePeer(p);
    }
  });

  test("bad options are refused before connecting", async () => {
    for (const options of [{ requestTimeoutMs: 0 }, { requestTimeoutMs: Number.NaN }, { connectTimeoutMs: -1 }, { connectTimeoutMs: 2 ** 31 }, { maxMessageBytes: 0 }]) {
      await assert.rejects(async () => AbciSocketClient.connect("tcp://127.0.0.1:1", options), RangeError, JSON.stringify(options));
    }
  });

  test("against a real server: calls answer in order, and a connection refused rejects", async () => {
    const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket" });
    const c = await AbciSocketClient.connect(server.address, { requestTimeoutMs: 5000 });
    try {
      const [a, b, flush] = await c.call({ echo: { message: "a" } }, { echo: { message: "b" } });
      assert.deepEqual([a?.echo?.message, b?.echo?.message, flush?.flush], ["a", "b", {}]);
    } finally {
      c.destroy();
      await server.close();
    }
    await assert.rejects(AbciSocketClient.connect(server.address), /ECONNREFUSED/);
  });
});
