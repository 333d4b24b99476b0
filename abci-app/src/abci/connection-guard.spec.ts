// The connection cap and the partial-message deadline on the real socket and native gRPC servers (real sockets): a
// connection over the cap is closed at accept, a connection stuck inside a message is closed after the deadline, and
// idle connections and good clients on other connections keep working.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Request, RequestEcho, RequestQuery } from "cosmjs-types/tendermint/abci/types";
import { credentials, makeGenericClientConstructor, type Client } from "@grpc/grpc-js";
import { BaseApplication } from "./base-application.ts";
import { encodeFrame, encodeUvarint } from "./framing.ts";
import { abciServiceDefinition } from "./grpc-server.ts";
import { grpcCall } from "./grpc-test-call.ts";
import { silentLogger, type AbciLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import type { AbciServer } from "./server-types.ts";
import { AbciSocketClient } from "./socket-client.ts";
import { Flag, FrameType, frame, H2Error, PREFACE, Setting, settingsFrame } from "./h2/frames.ts";
import { grpcMessage, requestHeaders } from "./h2/raw-request.ts";

const TIMEOUT_MS = 300;

function linesLogger(): AbciLogger & { readonly lines: string[]; closedOnServer(n: number): Promise<void> } {
  const lines: string[] = [];
  const log = (o: object | string, m?: string): void => { lines.push(typeof o === "string" ? o : (m ?? "")); };
  let closes = 0;
  const waiters = new Set<() => void>();
  return {
    lines, warn: log, error: log,
    info: (o, m) => {
      if (!/: closed$/u.test(m ?? "")) return;
      closes += 1;
      for (const w of waiters) w();
    },
    /**
     * Resolves once the server has logged `n` closed connections in all: the line comes after the connection left the
     * server's count (maxConnections), so a connection opened after it cannot be refused for the closed ones. A wait
     * for the event, not for a time; rejects after 10 s so that a missing close fails the test by name.
     */
    closedOnServer(n: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = (): void => { if (closes >= n) { stop(); resolve(); } };
        const timer = setTimeout(() => { stop(); reject(new Error(`${closes} of ${n} connections closed on the server side within 10 s`)); }, 10_000);
        const stop = (): void => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      });
    },
  };
}

/** A raw TCP peer: records what it receives and whether the server closed it. */
class RawPeer {
  received = Buffer.alloc(0);
  closed = false;
  readonly socket: Socket;
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (d: Buffer) => { this.received = Buffer.concat([this.received, d]); });
    socket.on("close", () => { this.closed = true; });
    socket.on("error", () => undefined);
  }
  static async open(address: string): Promise<RawPeer> {
    const [host, port] = address.replace(/^tcp:\/\//u, "").split(":");
    const s = connect(Number(port), host);
    await new Promise((r) => s.once("connect", r));
    return new RawPeer(s);
  }
  /** Waits up to `ms` for the server to close this connection; returns whether it did. */
  async closedWithin(ms: number): Promise<boolean> {
    for (let waited = 0; waited < ms && !this.closed; waited += 10) await sleep(10);
    return this.closed;
  }
  /**
   * Resolves once `done()` holds, checked as each chunk arrives and at close: a wait for an event, not for a time.
   * Rejects after `ms` so that a server that never sends it fails the test by name instead of hanging it.
   */
  until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => { if (done()) { stop(); resolve(); } };
      const timer = setTimeout(() => { stop(); reject(new Error(`no ${what} within ${ms} ms`)); }, ms);
      const stop = (): void => { clearTimeout(timer); this.socket.off("data", check); this.socket.off("close", check); };
      this.socket.on("data", check);
      this.socket.on("close", check);
      check();
    });
  }
  /** The complete HTTP/2 frames received so far. */
  frames(): { readonly type: number; readonly flags: number; readonly stream: number; readonly payload: Buffer }[] {
    const out = [];
    for (let at = 0; at + 9 <= this.received.length;) {
      const len = this.received.readUIntBE(at, 3);
      if (at + 9 + len > this.received.length) break;
      out.push({ type: this.received[at + 3] as number, flags: this.received[at + 4] as number, stream: this.received.readUInt32BE(at + 5) & 0x7fffffff, payload: this.received.subarray(at + 9, at + 9 + len) });
      at += 9 + len;
    }
    return out;
  }
  /** Whether the server ended stream `id` (a frame with END_STREAM: the call's trailers). */
  streamEnded(id: number): boolean {
    return this.frames().some((f) => f.stream === id && (f.flags & Flag.END_STREAM) !== 0);
  }
  /** The error code of the GOAWAY frame received, if any. */
  goawayCode(): number | undefined {
    const goaway = this.frames().find((f) => f.type === FrameType.GOAWAY);
    return goaway?.payload.readUInt32BE(4);
  }
}

const echo = async (c: AbciSocketClient, message: string): Promise<string | undefined> => {
  const [r] = await c.call({ echo: { message } });
  return r?.echo?.message;
};

describe("socket server: connection cap and partial-frame deadline", () => {
  const logger = linesLogger();
  let server: AbciServer;
  before(async () => {
    server = await serveAbci({
      app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket", logger,
      maxConnections: 3, partialMessageTimeoutMs: TIMEOUT_MS,
    });
  });
  after(async () => { await server.close(); });

  test("a connection over maxConnections is closed at accept with a log line; the others keep working", async () => {
    const a = await AbciSocketClient.connect(server.address);
    const b = await AbciSocketClient.connect(server.address);
    const c = await AbciSocketClient.connect(server.address);
    const extra = await RawPeer.open(server.address);
    assert.ok(await extra.closedWithin(2000), "the fourth connection was closed by the server");
    assert.ok(logger.lines.some((l) => /refused a connection from 127\.0\.0\.1:\d+: 3 connections are open \(maxConnections\)/u.test(l)), logger.lines.join("\n"));
    assert.equal(await echo(a, "a"), "a");
    a.destroy();
    await logger.closedOnServer(1); // a (a refused connection never counted)
    const again = await AbciSocketClient.connect(server.address);
    assert.equal(await echo(again, "again"), "again", "a slot freed by a close is taken again");
    for (const x of [b, c, again]) x.destroy();
    await logger.closedOnServer(4);
  });

  test("a frame left incomplete past the deadline closes its connection; an idle one stays and a good client keeps working", async () => {
    const good = await AbciSocketClient.connect(server.address);
    const idle = await RawPeer.open(server.address);
    const body = await RawPeer.open(server.address);
    body.socket.write(Buffer.concat([encodeUvarint(1000), Buffer.alloc(10)])); // 10 of 1000 body bytes
    assert.equal(await echo(good, "before"), "before");
    assert.ok(await body.closedWithin(TIMEOUT_MS * 6), "the connection with a partial body was closed");
    assert.ok(logger.lines.some((l) => /a frame has stayed incomplete for over 300 ms \(got 10 of 1000 body bytes\); closing this connection/u.test(l)), logger.lines.join("\n"));
    const prefix = await RawPeer.open(server.address);
    prefix.socket.write(Buffer.of(0x80)); // an unfinished length prefix
    assert.ok(await prefix.closedWithin(TIMEOUT_MS * 6), "the connection with a partial prefix was closed");
    await sleep(TIMEOUT_MS);
    assert.equal(idle.closed, false, "a connection idle between frames stays open");
    assert.equal(await echo(good, "after"), "after", "the good client, idle between messages for longer than the deadline, still works");
    idle.socket.destroy();
    good.destroy();
    await good.closed;
  });
});

/** Query answers after 3 × the deadline. */
class SlowQueryApp extends BaseApplication {
  override async query(req: RequestQuery): Promise<{ value: Uint8Array; height: bigint }> {
    await sleep(TIMEOUT_MS * 3);
    return { value: req.data, height: 1n };
  }
}

test("socket server: a partial frame is not timed while reading is paused for a slow app", async () => {
  const logger = linesLogger();
  const server = await serveAbci({
    app: new SlowQueryApp(), address: "tcp://127.0.0.1:0", transport: "socket", logger, maxMessageBytes: 1024, partialMessageTimeoutMs: TIMEOUT_MS,
  });
  try {
    const client = await AbciSocketClient.connect(server.address);
    const query = (i: number): Buffer => encodeFrame(Request.encode(Request.fromPartial({ query: { data: new Uint8Array(600).fill(i), path: "/q" } })).finish());
    const third = query(3);
    // Two queries hold 1200 queued bytes > maxMessageBytes: reading pauses with half of the third frame decoded.
    client.sendRaw(Buffer.concat([query(1), query(2), third.subarray(0, 300)]));
    // Reading resumes when the first query (3 × the deadline) is answered: the half frame waited that long, paused.
    // The rest goes out on that answer, not at a fixed time: at 4 × the deadline it raced the deadline counted from
    // the resume (3 × + the deadline, less a sweep's phase), and lost whenever the event loop ran late.
    const first = await client.next();
    client.sendRaw(Buffer.concat([third.subarray(300), encodeFrame(Request.encode(Request.fromPartial({ flush: {} })).finish())]));
    const answers = [first, await client.next(), await client.next(), await client.next()];
    assert.deepEqual(answers.map((r) => r.query?.value[0] ?? (r.flush ? "flush" : "?")), [1, 2, 3, "flush"]);
    assert.equal(logger.lines.filter((l) => /incomplete/u.test(l)).length, 0, logger.lines.join("\n"));
    client.destroy();
  } finally {
    await server.close();
  }
});

const HANDSHAKE = Buffer.concat([PREFACE, settingsFrame([])]);

describe("native gRPC server: connection cap and partial-message deadline", () => {
  const logger = linesLogger();
  let server: AbciServer;
  let client: Client;
  before(async () => {
    server = await serveAbci({
      app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "native", logger,
      maxConnections: 3, partialMessageTimeoutMs: TIMEOUT_MS,
    });
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    client = new Ctor(server.address, credentials.createInsecure());
    assert.deepEqual(await grpcCall(client, "Echo", { message: "up" }), { message: "up" });
  });
  after(async () => { client.close(); await server.close(); });
  /** Waits for `more` connections closed on the server side since the previous wait (the cases run in order). */
  let closes = 0;
  const closedOnServer = (more: number): Promise<void> => logger.closedOnServer(closes += more);

  test("a connection over maxConnections is closed at accept with a log line; the others keep working", async () => {
    const a = await RawPeer.open(server.address);
    const b = await RawPeer.open(server.address);
    for (const p of [a, b]) p.socket.write(HANDSHAKE);
    const extra = await RawPeer.open(server.address);
    assert.ok(await extra.closedWithin(2000), "the fourth connection was closed by the server");
    assert.ok(logger.lines.some((l) => /refused a connection from 127\.0\.0\.1:\d+: 3 connections are open/u.test(l)), logger.lines.join("\n"));
    assert.deepEqual(await grpcCall(client, "Echo", { message: "still" }), { message: "still" });
    assert.equal(a.closed || b.closed, false);
    a.socket.destroy();
    b.socket.destroy();
    // The next case opens two connections beside the client's: the server must have seen these two go first (a fixed
    // 50 ms raced it on a loaded machine, and the new connection was refused over maxConnections).
    await closedOnServer(2);
  });

  const stuck: readonly (readonly [string, Buffer, RegExp])[] = [
    ["a request stream without END_STREAM", Buffer.concat([HANDSHAKE, frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Echo")), frame(FrameType.DATA, 0, 1, Buffer.of(0, 0, 0, 0, 100, 1, 2))]), /the request on stream 1 \(7 bytes received\) has stayed incomplete/u],
    ["a header block without END_HEADERS", Buffer.concat([HANDSHAKE, frame(FrameType.HEADERS, 0, 1, requestHeaders("/tendermint.abci.ABCI/Echo").subarray(0, 10))]), /the header block of stream 1 has stayed incomplete/u],
    ["half a frame", Buffer.concat([HANDSHAKE, frame(FrameType.PING, 0, 0, Buffer.alloc(8)).subarray(0, 12)]), /a frame \(12 bytes received\) has stayed incomplete/u],
  ];
  for (const [name, bytes, line] of stuck) {
    test(`${name} past the deadline ends its connection (GOAWAY ENHANCE_YOUR_CALM); an idle one stays and a good client keeps working`, async () => {
      const idle = await RawPeer.open(server.address);
      idle.socket.write(HANDSHAKE);
      const peer = await RawPeer.open(server.address);
      peer.socket.write(bytes);
      assert.ok(await peer.closedWithin(TIMEOUT_MS * 6 + 1000), "the stuck connection was closed");
      assert.equal(peer.goawayCode(), H2Error.ENHANCE_YOUR_CALM);
      assert.ok(logger.lines.some((l) => line.test(l)), logger.lines.join("\n"));
      await sleep(TIMEOUT_MS);
      assert.equal(idle.closed, false, "a connection idle after its handshake stays open");
      assert.deepEqual(await grpcCall(client, "Echo", { message: "ok" }), { message: "ok" });
      idle.socket.destroy();
      await closedOnServer(2); // the stuck connection (its peer answers the GOAWAY's FIN) and the idle one
    });
  }
});

test("native gRPC server: a partial request is not timed while a call of its connection is with the app", async () => {
  const logger = linesLogger();
  const server = await serveAbci({
    app: new SlowQueryApp(), address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "native", logger, partialMessageTimeoutMs: TIMEOUT_MS,
  });
  try {
    const peer = await RawPeer.open(server.address);
    const queryMsg = grpcMessage(RequestQuery.encode(RequestQuery.fromPartial({ data: Uint8Array.of(1), path: "/q" })).finish());
    const echoMsg = grpcMessage(RequestEcho.encode({ message: "late" }).finish());
    peer.socket.write(Buffer.concat([
      HANDSHAKE,
      frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Query")), frame(FrameType.DATA, Flag.END_STREAM, 1, queryMsg),
      frame(FrameType.HEADERS, Flag.END_HEADERS, 3, requestHeaders("/tendermint.abci.ABCI/Echo")), frame(FrameType.DATA, 0, 3, echoMsg.subarray(0, 3)),
    ]));
    // The Query takes 3 × the deadline; stream 3 stays incomplete meanwhile, then completes as soon as it is answered.
    // (Its clock starts when the Query leaves the app: completing it at a fixed time, 3 × the deadline + 100 ms, raced
    // the sweep, which may close it 225 ms after the Query's answer, on a loaded machine.)
    await peer.until(() => peer.streamEnded(1) || peer.closed, "answer to the Query");
    assert.equal(peer.closed, false, logger.lines.join("\n"));
    peer.socket.write(frame(FrameType.DATA, Flag.END_STREAM, 3, echoMsg.subarray(3)));
    await peer.until(() => peer.streamEnded(3) || peer.closed, "answer to the Echo");
    assert.equal(peer.closed, false, logger.lines.join("\n"));
    assert.equal(peer.goawayCode(), undefined);
    assert.ok(peer.received.includes(Buffer.from("late")), "the Echo on stream 3 was answered");
    peer.socket.destroy();
  } finally {
    await server.close();
  }
});

test("grpc-js server: announces SETTINGS_MAX_CONCURRENT_STREAMS 128 (node:http2 would allow 2^32-1)", async () => {
  const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "grpc-js", logger: silentLogger });
  try {
    const peer = await RawPeer.open(server.address);
    peer.socket.write(HANDSHAKE);
    for (let i = 0; i < 200 && peer.received.length < 9; i++) await sleep(10);
    assert.equal(peer.received[3], FrameType.SETTINGS, "the server's first frame is SETTINGS");
    const settings = new Map<number, number>();
    const len = peer.received.readUIntBE(0, 3);
    for (let at = 9; at < 9 + len; at += 6) settings.set(peer.received.readUInt16BE(at), peer.received.readUInt32BE(at + 2));
    assert.equal(settings.get(Setting.MAX_CONCURRENT_STREAMS), 128);
    peer.socket.destroy();
  } finally {
    await server.close();
  }
});
