// The native gRPC server against real clients: @grpc/grpc-js's client for every call shape (the same answers as
// the grpc-js server for the same requests), and raw sockets for protocol errors and a peer that never reads.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { connect, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { credentials, makeGenericClientConstructor, status, type Client, type ServiceError } from "@grpc/grpc-js";
import {
  RequestCheckTx, RequestEcho, RequestFinalizeBlock, RequestInfo, RequestQuery,
} from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "../base-application.ts";
import { abciServiceDefinition } from "../grpc-server.ts";
import { GrpcTestApp as App, grpcCall } from "../grpc-test-call.ts";
import { silentLogger } from "../logger.ts";
import { serveAbci } from "../server.ts";
import type { AbciServer } from "../server-types.ts";
import { Flag, FrameType, frame, H2Error, PREFACE, Setting, settingsFrame, windowUpdateFrame } from "./frames.ts";
import { encodeLiteral } from "./hpack.ts";
import { grpcMessage, requestHeaders } from "./raw-request.ts";
import { startNativeGrpcServer } from "./server.ts";

const call = grpcCall;

/** A Query call, sent again when the server refused its stream (what grpc-go does with REFUSED_STREAM). */
async function callRetryingRefused(c: Client, req: RequestQuery): Promise<{ value: Uint8Array; log: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call<{ value: Uint8Array; log: string }>(c, "Query", req);
    } catch (e) {
      const refused = /REFUSED_STREAM|refused/iu.test(String((e as ServiceError).details ?? (e as Error).message));
      if (!refused || attempt >= 200) throw e;
      await sleep(20);
    }
  }
}
/** The outcome of a call, comparable across servers. */
async function outcome(client: Client, method: string, req: unknown): Promise<unknown> {
  try {
    return { ok: await call(client, method, req) };
  } catch (e) {
    return { code: (e as ServiceError).code, details: (e as ServiceError).details };
  }
}

const CASES: readonly (readonly [string, unknown])[] = [
  ["Echo", RequestEcho.fromPartial({ message: "hello" })],
  ["Flush", {}],
  ["Info", RequestInfo.fromPartial({ version: "0.38.25" })],
  ["Query", RequestQuery.fromPartial({ data: Uint8Array.of(1, 2, 3), path: "/x" })],
  ["CheckTx", RequestCheckTx.fromPartial({ tx: Uint8Array.of(1, 2) })],
  ["CheckTx", RequestCheckTx.fromPartial({ tx: Uint8Array.of(0xff) })],
  ["FinalizeBlock", RequestFinalizeBlock.fromPartial({ height: 2n, txs: [new Uint8Array(300_000).fill(7), new Uint8Array(300_000).fill(8)] })],
  ["Commit", {}],
];

test("transport grpc without grpcServer runs the native server (the default); grpcServer grpc-js runs @grpc/grpc-js", async () => {
  for (const [grpcServer, banner] of [[undefined, /^ABCI gRPC server \(native HTTP\/2\) listening on 127\.0\.0\.1:\d+$/], ["grpc-js", /^ABCI gRPC server listening on 127\.0\.0\.1:\d+$/]] as const) {
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (_: object | string, msg?: string) => void lines.push(msg ?? "") };
    const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "grpc", logger, ...(grpcServer ? { grpcServer } : {}) });
    try {
      assert.match(lines.join("\n"), banner);
    } finally {
      await server.close();
    }
  }
});

describe("native gRPC server, grpc-js client", () => {
  const app = new App();
  let native: AbciServer;
  let reference: AbciServer;
  let client: Client;
  let refClient: Client;
  before(async () => {
    native = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "native", logger: silentLogger });
    reference = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "grpc-js", logger: silentLogger });
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    client = new Ctor(native.address, credentials.createInsecure(), { "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 });
    refClient = new Ctor(reference.address, credentials.createInsecure(), { "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 });
  });
  after(async () => {
    client.close();
    refClient.close();
    await native.close();
    await reference.close();
  });

  test("reports the bare host:port that CometBFT's gRPC client takes", () => {
    assert.match(native.address, /^127\.0\.0\.1:[1-9]\d*$/);
  });

  test("gives the same answers and errors as the grpc-js server for the same requests", async () => {
    for (const [method, req] of CASES) {
      const mine = await outcome(client, method, req);
      const theirs = await outcome(refClient, method, req);
      assert.deepEqual(mine, theirs, method);
    }
    const failed = await outcome(client, "FinalizeBlock", RequestFinalizeBlock.fromPartial({ height: 9n }));
    assert.deepEqual(failed, { code: status.UNKNOWN, details: "FinalizeBlock failed: state corrupted at 9" });
    const refused = await outcome(client, "CheckTx", RequestCheckTx.fromPartial({ tx: Uint8Array.of(0xff) }));
    assert.match((refused as { ok: { log: string } }).ok.log, /internal error: CheckTx failed: boom ünïcode %/);
  });

  test("carries 2 MB each way (past every default window) and answers in order", async () => {
    const big = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
    const results = await Promise.all([0, 1, 2].map((i) =>
      call<{ value: Uint8Array; log: string }>(client, "Query", RequestQuery.fromPartial({ data: big, path: `/big/${i}` }))));
    for (const [i, r] of results.entries()) {
      assert.equal(r.log, `/big/${i}`);
      assert.deepEqual(Buffer.from(r.value), Buffer.from(big));
    }
  });

  test("answers an unknown method UNIMPLEMENTED and keeps the connection", async () => {
    const Ctor = makeGenericClientConstructor({
      Nope: { ...abciServiceDefinition().Echo, path: "/tendermint.abci.ABCI/Nope" },
    } as never, "X");
    const other = new Ctor(native.address, credentials.createInsecure());
    try {
      await assert.rejects(call(other, "Nope", { message: "x" }), (e: ServiceError) => e.code === status.UNIMPLEMENTED);
      assert.deepEqual(await call(client, "Echo", { message: "still here" }), { message: "still here" });
    } finally {
      other.close();
    }
  });

  test("refuses a message above maxMessageBytes with RESOURCE_EXHAUSTED", async () => {
    const small = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "native", maxMessageBytes: 1000, logger: silentLogger });
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    const c = new Ctor(small.address, credentials.createInsecure());
    try {
      await assert.rejects(call(c, "Echo", { message: "x".repeat(5000) }), (e: ServiceError) => e.code === status.RESOURCE_EXHAUSTED);
      assert.deepEqual(await call(c, "Echo", { message: "fits" }), { message: "fits" });
    } finally {
      c.close();
      await small.close();
    }
  });

  test("many large answers waiting for the client's window at once: every call is answered (the connection never stalls)", { timeout: 120_000 }, async () => {
    // 20 × 4 MB of answers is past the 65 MiB the server lets wait for windows: it must keep reading the client's
    // WINDOW_UPDATEs (a refused call is retried by the client here, as grpc-go does)
    const data = new Uint8Array(4_000_000).fill(7);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => callRetryingRefused(client, RequestQuery.fromPartial({ data, path: `/many/${i}` }))));
    assert.deepEqual(results.map((r) => [r.log, r.value.length]), Array.from({ length: 20 }, (_, i) => [`/many/${i}`, 4_000_000]));
  });

  test("runs the calls of one connection one at a time, each answered with its own result", async () => {
    app.maxActive = 0;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      call<{ value: Uint8Array }>(client, "Query", RequestQuery.fromPartial({ data: Uint8Array.of(i) }))));
    assert.deepEqual(results.map((r) => r.value[0]), Array.from({ length: 40 }, (_, i) => i));
    assert.equal(app.maxActive, 1);
  });
});

/** A raw HTTP/2 peer: collects the frames the server sends. */
class RawPeer {
  readonly frames: { type: number; flags: number; stream: number; payload: Buffer }[] = [];
  #buf = Buffer.alloc(0);
  closed = false;
  readonly socket: Socket;
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      while (this.#buf.length >= 9) {
        const len = this.#buf.readUIntBE(0, 3);
        if (this.#buf.length < 9 + len) break;
        this.frames.push({ type: this.#buf[3] ?? 0, flags: this.#buf[4] ?? 0, stream: this.#buf.readUInt32BE(5), payload: this.#buf.subarray(9, 9 + len) });
        this.#buf = this.#buf.subarray(9 + len);
      }
    });
    socket.on("close", () => { this.closed = true; });
    socket.on("error", () => undefined);
  }
  static async open(address: string, read = true): Promise<RawPeer> {
    const [host, port] = address.split(":");
    const s = connect(Number(port), host);
    await new Promise((r) => s.once("connect", r));
    const p = new RawPeer(s);
    if (!read) s.pause();
    return p;
  }
  async goaway(): Promise<number> {
    for (let i = 0; i < 200 && !this.closed; i++) await sleep(10);
    const g = this.frames.find((f) => f.type === FrameType.GOAWAY);
    assert.ok(g, "a GOAWAY frame");
    assert.ok(this.closed, "the connection closed");
    return g.payload.readUInt32BE(4);
  }
}

const SETTINGS = settingsFrame([]);

describe("native gRPC server, raw HTTP/2 peers", () => {
  let server: Awaited<ReturnType<typeof startNativeGrpcServer>>;
  before(async () => {
    server = await startNativeGrpcServer({
      app: new App(), address: { kind: "tcp", host: "127.0.0.1", port: 0 }, maxMessageBytes: 1 << 20, logger: silentLogger,
      limits: { maxQueuedWriteBytes: 256 * 1024, handshakeTimeoutMs: 300, maxConcurrentStreams: 8 },
    });
  });
  after(async () => { await server.close(); });

  const cases: readonly (readonly [string, Buffer, number])[] = [
    ["not a preface", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), H2Error.PROTOCOL_ERROR],
    ["a first frame that is not SETTINGS", Buffer.concat([PREFACE, frame(FrameType.PING, 0, 0, Buffer.alloc(8))]), H2Error.PROTOCOL_ERROR],
    ["DATA on stream 0", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.DATA, 0, 0, Buffer.alloc(3))]), H2Error.PROTOCOL_ERROR],
    ["a frame over SETTINGS_MAX_FRAME_SIZE", Buffer.concat([PREFACE, SETTINGS, Buffer.from([0x01, 0x00, 0x00, 0, 0, 0, 0, 0, 1])]), H2Error.FRAME_SIZE_ERROR],
    ["a PING of 7 bytes", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.PING, 0, 0, Buffer.alloc(7))]), H2Error.FRAME_SIZE_ERROR],
    ["an even client stream", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.HEADERS, Flag.END_HEADERS, 2, requestHeaders("/tendermint.abci.ABCI/Echo"))]), H2Error.PROTOCOL_ERROR],
    ["a bad HPACK index", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.of(0xff, 0x7f))]), H2Error.COMPRESSION_ERROR],
    ["a frame between HEADERS and CONTINUATION", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.HEADERS, 0, 1, requestHeaders("/a")), frame(FrameType.PING, 0, 0, Buffer.alloc(8))]), H2Error.PROTOCOL_ERROR],
    ["a WINDOW_UPDATE of 0", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.alloc(4))]), H2Error.PROTOCOL_ERROR],
    ["PUSH_PROMISE", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.PUSH_PROMISE, Flag.END_HEADERS, 1, Buffer.alloc(4))]), H2Error.PROTOCOL_ERROR],
    ["a window overflow", Buffer.concat([PREFACE, SETTINGS, frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.of(0x7f, 0xff, 0xff, 0xff))]), H2Error.FLOW_CONTROL_ERROR],
  ];
  for (const [name, bytes, code] of cases) {
    test(`closes the connection with GOAWAY on ${name}`, async () => {
      const peer = await RawPeer.open(server.address);
      peer.socket.write(bytes);
      assert.equal(await peer.goaway(), code);
      assert.equal(server.connections().length, 0);
    });
  }

  test("random frames after the preface end at most their own connection; the server keeps serving", async () => {
    let seed = 42;
    const rand = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed % n; };
    for (let round = 0; round < 40; round++) {
      const peer = await RawPeer.open(server.address);
      const frames = [PREFACE, SETTINGS];
      for (let i = 0; i < 5; i++) {
        const payload = Buffer.from(Array.from({ length: rand(40) }, () => rand(256)));
        frames.push(frame(rand(11), rand(256), rand(4) === 0 ? 0 : 1 + rand(9), payload));
      }
      peer.socket.write(Buffer.concat(frames));
      await sleep(5);
      peer.socket.destroy();
    }
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    const c = new Ctor(server.address, credentials.createInsecure());
    try {
      assert.deepEqual(await call(c, "Echo", { message: "alive" }), { message: "alive" });
    } finally {
      c.close();
    }
  });

  test("closes a connection that sends no preface in time with SETTINGS_TIMEOUT", async () => {
    const peer = await RawPeer.open(server.address);
    assert.equal(await peer.goaway(), H2Error.SETTINGS_TIMEOUT);
  });

  test("acks SETTINGS and PING, and answers a call split into HEADERS + CONTINUATION and two DATA frames", async () => {
    const peer = await RawPeer.open(server.address);
    const hb = requestHeaders("/tendermint.abci.ABCI/Echo");
    const msg = grpcMessage(RequestEcho.encode({ message: "raw" }).finish());
    peer.socket.write(Buffer.concat([
      PREFACE, SETTINGS, frame(FrameType.PING, 0, 0, Buffer.from("12345678")),
      frame(FrameType.HEADERS, 0, 1, hb.subarray(0, 10)), frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, hb.subarray(10)),
      frame(FrameType.PRIORITY, 0, 1, Buffer.alloc(5)),
      frame(FrameType.DATA, 0, 1, msg.subarray(0, 3)), frame(FrameType.DATA, Flag.END_STREAM, 1, msg.subarray(3)),
    ]));
    for (let i = 0; i < 100 && !peer.frames.some((f) => f.type === FrameType.HEADERS && (f.flags & Flag.END_STREAM)); i++) await sleep(10);
    assert.ok(peer.frames.some((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK), "SETTINGS ack");
    assert.ok(peer.frames.some((f) => f.type === FrameType.PING && f.flags === Flag.ACK && f.payload.toString() === "12345678"), "PING ack");
    const data = peer.frames.find((f) => f.type === FrameType.DATA && f.stream === 1);
    assert.ok(data);
    assert.equal(data.payload.readUInt32BE(1), data.payload.length - 5);
    assert.equal(Buffer.from(data.payload.subarray(5)).toString("latin1").includes("raw"), true);
    const trailers = peer.frames.find((f) => f.type === FrameType.HEADERS && f.stream === 1 && (f.flags & Flag.END_STREAM));
    assert.ok(trailers?.payload.toString("latin1").includes("grpc-status"));
    peer.socket.destroy();
  });

  /** The server side's socket writes while `f` runs, as frame lists (net.Socket.prototype.write observed). */
  async function serverWrites(peer: RawPeer, f: () => Promise<void>): Promise<{ type: number; flags: number; stream: number; payload: Buffer }[][]> {
    const writes: Buffer[] = [];
    const original = Socket.prototype.write;
    const clientPort = peer.socket.localPort;
    Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
      if (this.remotePort === clientPort && Buffer.isBuffer(chunk)) writes.push(Buffer.from(chunk));
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof original;
    try {
      await f();
    } finally {
      Socket.prototype.write = original;
    }
    return writes.map((w) => {
      const frames: { type: number; flags: number; stream: number; payload: Buffer }[] = [];
      for (let at = 0; at + 9 <= w.length;) {
        const len = w.readUIntBE(at, 3);
        frames.push({ type: w[at + 3] ?? 0, flags: w[at + 4] ?? 0, stream: w.readUInt32BE(at + 5), payload: w.subarray(at + 9, at + 9 + len) });
        at += 9 + len;
      }
      return frames;
    });
  }
  const isPingAck = (f: { type: number; flags: number }): boolean => f.type === FrameType.PING && f.flags === Flag.ACK;
  const isEnd = (stream: number) => (f: { type: number; flags: number; stream: number }): boolean => f.type === FrameType.HEADERS && f.stream === stream && (f.flags & Flag.END_STREAM) !== 0;

  test("a PING's ACK goes out in the same write as the next answer, ahead of it (grpc-go pings after every answer)", async () => {
    const peer = await RawPeer.open(server.address);
    peer.socket.write(Buffer.concat([PREFACE, SETTINGS]));
    for (let i = 0; i < 100 && !peer.frames.some((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK); i++) await sleep(5);
    const msg = grpcMessage(RequestEcho.encode({ message: "after a ping" }).finish());
    const writes = await serverWrites(peer, async () => {
      peer.socket.write(Buffer.concat([
        frame(FrameType.PING, 0, 0, Buffer.from("pingpong")),
        frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Echo")), frame(FrameType.DATA, Flag.END_STREAM, 1, msg),
      ]));
      for (let i = 0; i < 200 && !peer.frames.some(isEnd(1)); i++) await sleep(5);
    });
    const withAck = writes.filter((w) => w.some(isPingAck));
    assert.equal(withAck.length, 1, "one write carries the ACK");
    const w = withAck[0] ?? [];
    assert.equal(w[0]?.payload.toString(), "pingpong", "the ACK first, with the PING's payload");
    assert.ok(w.some(isEnd(1)), "the answer in the same write");
    assert.equal(writes.length, 1, "nothing else was written");
    peer.socket.destroy();
  });

  test("a large answer behind a held ACK: the ACK first, then the answer whole (written apart, not copied into one buffer)", async () => {
    const peer = await RawPeer.open(server.address);
    const big = "x".repeat(200_000);
    peer.socket.write(Buffer.concat([
      PREFACE, settingsFrame([[Setting.INITIAL_WINDOW_SIZE, 1 << 20], [Setting.MAX_FRAME_SIZE, (1 << 24) - 1]]), windowUpdateFrame(0, 1 << 20),
    ]));
    for (let i = 0; i < 100 && !peer.frames.some((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK); i++) await sleep(5);
    const msg = grpcMessage(RequestEcho.encode({ message: big }).finish());
    const writes = await serverWrites(peer, async () => {
      peer.socket.write(Buffer.concat([
        frame(FrameType.PING, 0, 0, Buffer.from("bigahead")),
        frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Echo")),
        ...Array.from({ length: Math.ceil(msg.length / 16384) }, (_, i) => // our SETTINGS_MAX_FRAME_SIZE is the default 16 KiB
          frame(FrameType.DATA, (i + 1) * 16384 >= msg.length ? Flag.END_STREAM : 0, 1, msg.subarray(i * 16384, (i + 1) * 16384))),
      ]));
      for (let i = 0; i < 200 && !peer.frames.some(isEnd(1)); i++) await sleep(5);
    });
    assert.deepEqual(writes.map((w) => w.map((f) => f.type)), [[FrameType.PING], [FrameType.HEADERS, FrameType.DATA, FrameType.HEADERS]]);
    const order = peer.frames.filter((f) => isPingAck(f) || f.stream === 1).map((f) => f.type);
    assert.deepEqual(order, [FrameType.PING, FrameType.HEADERS, FrameType.DATA, FrameType.HEADERS]);
    const data = peer.frames.find((f) => f.type === FrameType.DATA && f.stream === 1);
    assert.equal(RequestEcho.decode(data?.payload.subarray(5) ?? Buffer.alloc(0)).message, big, "the answer arrived whole");
    peer.socket.destroy();
  });

  test("a PING with nothing to ride on is ACKed on its own within a few ms; a burst of PINGs is ACKed at once, in order", async () => {
    const peer = await RawPeer.open(server.address);
    peer.socket.write(Buffer.concat([PREFACE, SETTINGS, frame(FrameType.PING, 0, 0, Buffer.from("lonely!!"))]));
    for (let i = 0; i < 200 && !peer.frames.some(isPingAck); i++) await sleep(5);
    assert.deepEqual(peer.frames.filter(isPingAck).map((f) => f.payload.toString()), ["lonely!!"]);
    const payloads = Array.from({ length: 40 }, (_, i) => `burst${String(i).padStart(3, "0")}`);
    const writes = await serverWrites(peer, async () => {
      peer.socket.write(Buffer.concat(payloads.map((p) => frame(FrameType.PING, 0, 0, Buffer.from(p)))));
      for (let i = 0; i < 200 && peer.frames.filter(isPingAck).length < 41; i++) await sleep(5);
    });
    assert.deepEqual(peer.frames.filter(isPingAck).slice(1).map((f) => f.payload.toString()), payloads);
    // 16 ACKs are held at most: the first 32 go out as two writes at once, the last 8 with the hold timer.
    assert.deepEqual(writes.map((w) => w.filter(isPingAck).length), [16, 16, 8]);
    peer.socket.destroy();
  });

  test("RST_STREAM drops that call's answer; the connection serves the next call", async () => {
    const peer = await RawPeer.open(server.address);
    const query = grpcMessage(RequestQuery.encode(RequestQuery.fromPartial({ data: Uint8Array.of(3), path: "/cancelled" })).finish());
    const echo = grpcMessage(RequestEcho.encode({ message: "next" }).finish());
    const cancel = Buffer.alloc(4);
    cancel.writeUInt32BE(H2Error.CANCEL);
    peer.socket.write(Buffer.concat([
      PREFACE, SETTINGS,
      frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Query")), frame(FrameType.DATA, Flag.END_STREAM, 1, query),
      frame(FrameType.RST_STREAM, 0, 1, cancel),
      frame(FrameType.HEADERS, Flag.END_HEADERS, 3, requestHeaders("/tendermint.abci.ABCI/Echo")), frame(FrameType.DATA, Flag.END_STREAM, 3, echo),
    ]));
    for (let i = 0; i < 100 && !peer.frames.some((f) => f.stream === 3 && (f.flags & Flag.END_STREAM)); i++) await sleep(10);
    await sleep(20);
    assert.ok(peer.frames.some((f) => f.type === FrameType.DATA && f.stream === 3), "the next call is answered");
    assert.equal(peer.frames.filter((f) => f.stream === 1).length, 0, "nothing is sent on the cancelled stream");
    peer.socket.destroy();
  });

  test("calls reset after they reached the app still count as open until the app answers (no rapid-reset queue)", async () => {
    // CVE-2023-44487's pattern: a request, then RST_STREAM at once, repeated. Each reset call is already with the app;
    // if it stopped counting at the reset, a peer could queue any number of calls (and their bytes) behind a slow one.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    let started = 0;
    class Slow extends BaseApplication {
      override async query(): Promise<{ log: string }> { started += 1; await gate; return { log: "late" }; }
    }
    const slow = await startNativeGrpcServer({
      app: new Slow(), address: { kind: "tcp", host: "127.0.0.1", port: 0 }, maxMessageBytes: 1 << 20, logger: silentLogger,
      limits: { maxConcurrentStreams: 8 },
    });
    const peer = await RawPeer.open(slow.address);
    try {
      const query = grpcMessage(RequestQuery.encode(RequestQuery.fromPartial({ data: new Uint8Array(1000), path: "/reset" })).finish());
      const cancel = Buffer.alloc(4);
      cancel.writeUInt32BE(H2Error.CANCEL);
      const frames: Buffer[] = [PREFACE, SETTINGS];
      for (let id = 1; id < 2 * 100; id += 2) {
        frames.push(frame(FrameType.HEADERS, Flag.END_HEADERS, id, requestHeaders("/tendermint.abci.ABCI/Query")), frame(FrameType.DATA, Flag.END_STREAM, id, query), frame(FrameType.RST_STREAM, 0, id, cancel));
      }
      peer.socket.write(Buffer.concat(frames));
      for (let i = 0; i < 100 && peer.frames.filter((f) => f.type === FrameType.RST_STREAM).length < 92; i++) await sleep(10);
      const stats = slow.connections()[0];
      assert.ok(stats && stats.openStreams <= 8, `${stats?.openStreams} calls held open`);
      const refused = peer.frames.filter((f) => f.type === FrameType.RST_STREAM && f.payload.readUInt32BE(0) === H2Error.REFUSED_STREAM).length;
      assert.equal(refused, 92, "the calls past the limit are refused");
      release();
      for (let i = 0; i < 100 && (slow.connections()[0]?.openStreams ?? 0) > 0; i++) await sleep(10);
      assert.equal(started, 8, "only the calls within the limit reached the app");
      assert.equal(slow.connections()[0]?.openStreams, 0, "answered reset calls are gone");
      assert.equal(peer.frames.filter((f) => f.type !== FrameType.RST_STREAM && f.stream !== 0).length, 0, "nothing is sent on the reset streams");
    } finally {
      release();
      peer.socket.destroy();
      await slow.close();
    }
  });

  test("a header block cut into many CONTINUATION frames ends the connection (CONTINUATION flood)", async () => {
    const peer = await RawPeer.open(server.address);
    const empty = frame(FrameType.CONTINUATION, 0, 1);
    peer.socket.write(Buffer.concat([PREFACE, SETTINGS, frame(FrameType.HEADERS, 0, 1, encodeLiteral(":method", "POST")), ...Array.from({ length: 10_000 }, () => empty)]));
    assert.equal(await peer.goaway(), H2Error.ENHANCE_YOUR_CALM);
  });

  test("a peer that floods PINGs and never reads: the ACKs waiting for it stay bounded, reading pauses", async () => {
    const peer = await RawPeer.open(server.address, false);
    const flood = Buffer.concat(Array.from({ length: 4000 }, (_, i) => frame(FrameType.PING, 0, 0, Buffer.from(String(i).padStart(8, "0")))));
    peer.socket.write(Buffer.concat([PREFACE, SETTINGS]));
    let max = 0;
    for (let round = 0; round < 300; round++) {
      if (peer.socket.writableLength < (1 << 20)) peer.socket.write(flood);
      const st = server.connections().at(-1);
      max = Math.max(max, st?.queuedWriteBytes ?? 0);
      await sleep(1);
    }
    // the limit (256 KiB here) plus what one socket read (≤ 64 KiB of frames) can answer
    assert.ok(max <= 256 * 1024 + 128 * 1024, `queued ${max} bytes`);
    assert.ok(server.connections().at(-1)?.readingPaused, "the server stopped reading");
    peer.socket.destroy();
  });

  test("after the peer's GOAWAY, its open call is answered, new ones refused, and the connection ends", async () => {
    const peer = await RawPeer.open(server.address);
    const echo = grpcMessage(RequestEcho.encode({ message: "last" }).finish());
    peer.socket.write(Buffer.concat([
      PREFACE, SETTINGS,
      frame(FrameType.HEADERS, Flag.END_HEADERS, 1, requestHeaders("/tendermint.abci.ABCI/Echo")), frame(FrameType.DATA, Flag.END_STREAM, 1, echo),
      frame(FrameType.GOAWAY, 0, 0, Buffer.alloc(8)),
      frame(FrameType.HEADERS, Flag.END_HEADERS, 3, requestHeaders("/tendermint.abci.ABCI/Echo")),
    ]));
    for (let i = 0; i < 100 && !peer.closed; i++) await sleep(10);
    assert.ok(peer.frames.some((f) => f.type === FrameType.DATA && f.stream === 1), "the open call is answered");
    const rst = peer.frames.find((f) => f.type === FrameType.RST_STREAM && f.stream === 3);
    assert.equal(rst?.payload.readUInt32BE(0), H2Error.REFUSED_STREAM);
    assert.ok(peer.closed, "the server ended the connection");
  });

  test("a peer that never reads and ignores its windows: calls refused while answers wait, closed once it sends past its window; memory bounded", async () => {
    const before = server.connections().length;
    const peer = await RawPeer.open(server.address, false);
    const hb = requestHeaders("/tendermint.abci.ABCI/Query");
    const body = grpcMessage(RequestQuery.encode(RequestQuery.fromPartial({ data: new Uint8Array(60_000).fill(1), path: "/q" })).finish());
    const calls: Buffer[] = [PREFACE, SETTINGS];
    for (let id = 1; id < 2 * 500; id += 2) calls.push(frame(FrameType.HEADERS, Flag.END_HEADERS, id, hb), ...[0, 1, 2, 3].map((k) =>
      frame(FrameType.DATA, k === 3 ? Flag.END_STREAM : 0, id, body.subarray(k * 16_000, Math.min(body.length, (k + 1) * 16_000)))));
    peer.socket.write(Buffer.concat(calls), () => undefined);
    const max = { openStreams: 0, queuedWriteBytes: 0, bufferedBytes: 0 };
    let refusing = false;
    for (let i = 0; i < 400 && server.connections().length > before; i++) {
      const st = server.connections().at(-1);
      if (st) {
        max.openStreams = Math.max(max.openStreams, st.openStreams);
        max.queuedWriteBytes = Math.max(max.queuedWriteBytes, st.queuedWriteBytes);
        max.bufferedBytes = Math.max(max.bufferedBytes, st.bufferedBytes);
        refusing ||= st.refusingCalls;
      }
      await sleep(5);
    }
    assert.equal(server.connections().length, before, "the server closed the connection (FLOW_CONTROL_ERROR: it sent past what it was granted)");
    assert.ok(refusing, "while answers waited for its window, new calls were refused");
    // Answers waiting: at most the write limit plus one answer per open stream (8, the rest were refused).
    assert.ok(max.openStreams <= 8, `${max.openStreams} open streams`);
    assert.ok(max.queuedWriteBytes <= 256 * 1024 + 8 * 61_000, `queued ${max.queuedWriteBytes} bytes`);
    assert.ok(max.bufferedBytes <= 4 * ((1 << 20) + 5), `buffered ${max.bufferedBytes} bytes`);
    peer.socket.destroy();
  });
});
