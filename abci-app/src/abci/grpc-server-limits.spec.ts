// The gRPC server against bad and hostile peers: a raw node:http2 client sends what no gRPC library would.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as h2connect, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { status, type ServiceError } from "@grpc/grpc-js";
import { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { parseListenAddress } from "./address.ts";
import { BaseApplication } from "./base-application.ts";
import { startGrpcServer } from "./grpc-server.ts";
import { encodeGrpcMessage } from "./grpc-wire.ts";
import { silentLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import type { AbciServer } from "./server-types.ts";
import { abciGrpcClient, grpcCall } from "./testing/grpc-client.ts";

class EchoQueryApp extends BaseApplication {
  /** Query answers its data back, repeated `data[0]` times; `data[0] = 255` sleeps 300 ms first. */
  override async query(req: RequestQuery): Promise<{ value: Uint8Array; height: bigint }> {
    if (req.data[0] === 255) await sleep(300);
    const times = req.data[0] ?? 1;
    return { value: new Uint8Array(req.data.length * Math.max(1, times === 255 ? 1 : times)).fill(7), height: 1n };
  }
}

interface RawAnswer { headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders; body: Buffer }

/** One raw HTTP/2 request; resolves with the response headers, trailers (or headers again if trailers-only) and body. */
function raw(session: ClientHttp2Session, headers: OutgoingHttpHeaders, chunks: readonly Buffer[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", "content-type": "application/grpc", te: "trailers", ...headers });
    let head: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    const body: Buffer[] = [];
    req.on("response", (h) => { head = h; });
    req.on("trailers", (t) => { trailers = t; });
    req.on("data", (c: Buffer) => body.push(c));
    req.on("error", reject);
    req.on("close", () => { resolve({ headers: head, trailers: trailers ?? head, body: Buffer.concat(body) }); });
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const queryFrame = (data: Uint8Array): Buffer => encodeGrpcMessage(RequestQuery.encode(RequestQuery.fromPartial({ data })).finish());
const QUERY = "/tendermint.abci.ABCI/Query";

describe("gRPC server: bad input gets a gRPC status, never a crash", () => {
  let server: AbciServer;
  let session: ClientHttp2Session;
  before(async () => {
    server = await serveAbci({ app: new EchoQueryApp(), address: "tcp://127.0.0.1:0", transport: "grpc", logger: silentLogger, maxMessageBytes: 1024 });
    session = h2connect(`http://${server.address}`);
  });
  after(async () => {
    session.close();
    await server.close();
  });

  test("a good raw call: status 200, application/grpc, one message, grpc-status 0", async () => {
    const a = await raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(2, 9))]);
    assert.equal(a.headers[":status"], 200);
    assert.equal(a.headers["content-type"], "application/grpc");
    assert.equal(a.trailers["grpc-status"], "0");
    assert.equal(a.body.readUInt32BE(1), a.body.length - 5);
    assert.deepEqual([...ResponseQuery.decode(a.body.subarray(5)).value], [7, 7, 7, 7]);
  });

  test("unknown path → UNIMPLEMENTED; GET → 405; wrong content-type → 415 INTERNAL", async () => {
    const unknown = await raw(session, { ":path": "/tendermint.abci.ABCI/InsertTx" }, [queryFrame(Uint8Array.of(1))]);
    assert.equal(unknown.trailers["grpc-status"], String(status.UNIMPLEMENTED));
    assert.match(String(unknown.trailers["grpc-message"]), /unknown method \/tendermint\.abci\.ABCI\/InsertTx/);
    const get = await raw(session, { ":path": QUERY, ":method": "GET" }, []);
    assert.equal(get.headers[":status"], 405);
    assert.equal(get.trailers["grpc-status"], String(status.UNIMPLEMENTED));
    const json = await raw(session, { ":path": QUERY, "content-type": "application/json" }, [queryFrame(Uint8Array.of(1))]);
    assert.equal(json.headers[":status"], 415);
    assert.equal(json.trailers["grpc-status"], String(status.INTERNAL));
    assert.match(decodeURIComponent(String(json.trailers["grpc-message"])), /content-type "application\/json" is not application\/grpc/);
  });

  test("truncated, compressed, doubled and undecodable messages → INTERNAL / UNIMPLEMENTED with the reason", async () => {
    const frame = queryFrame(Uint8Array.of(1, 2, 3));
    const cases: [OutgoingHttpHeaders, Buffer[], number, RegExp][] = [
      [{}, [frame.subarray(0, frame.length - 2)], status.INTERNAL, /truncated message/],
      [{}, [], status.INTERNAL, /the request has no message/],
      [{}, [Buffer.from([1, ...frame.subarray(1)])], status.INTERNAL, /compressed flag is set but the request names no grpc-encoding/],
      [{ "grpc-encoding": "gzip" }, [Buffer.from([1, ...frame.subarray(1)])], status.UNIMPLEMENTED, /grpc-encoding gzip is not supported/],
      [{}, [frame, frame], status.INTERNAL, /one request message/],
      [{}, [encodeGrpcMessage(Uint8Array.of(0x0a, 0xff))], status.INTERNAL, /cannot decode the Query request/],
    ];
    for (const [headers, chunks, code, message] of cases) {
      const a = await raw(session, { ":path": QUERY, ...headers }, chunks);
      assert.equal(a.trailers["grpc-status"], String(code), String(message));
      assert.match(decodeURIComponent(String(a.trailers["grpc-message"])), message);
    }
    // the session is still served
    const ok = await raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(1))]);
    assert.equal(ok.trailers["grpc-status"], "0");
  });

  test("a request or a response above maxMessageBytes → RESOURCE_EXHAUSTED (a real gRPC client)", async () => {
    const client = abciGrpcClient(server.address);
    try {
      await assert.rejects(grpcCall(client, "Query", RequestQuery.fromPartial({ data: new Uint8Array(2000).fill(1) })), (e: ServiceError) => {
        assert.equal(e.code, status.RESOURCE_EXHAUSTED);
        assert.match(e.details, /request message of 200\d bytes exceeds the maximum of 1024 bytes/);
        return true;
      });
      await assert.rejects(grpcCall(client, "Query", RequestQuery.fromPartial({ data: new Uint8Array(300).fill(4) })), (e: ServiceError) => {
        assert.equal(e.code, status.RESOURCE_EXHAUSTED);
        assert.match(e.details, /the Query response of \d+ bytes exceeds maxMessageBytes 1024/);
        return true;
      });
      const ok = await grpcCall<{ value: Uint8Array }>(client, "Query", RequestQuery.fromPartial({ data: Uint8Array.of(1) }));
      assert.equal(ok.value.length, 1);
    } finally {
      client.close();
    }
  });

  test("HTTP/1.1 or garbage on the port drops that connection only", async () => {
    const sock = netConnect(Number(server.address.split(":")[1]), "127.0.0.1");
    await new Promise<void>((resolve) => {
      sock.on("connect", () => sock.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      sock.on("close", () => { resolve(); });
      sock.on("error", () => undefined);
      sock.resume();
    });
    const ok = await raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(1))]);
    assert.equal(ok.trailers["grpc-status"], "0");
  });

  test("advertises its HTTP/2 limits: max concurrent streams and header list size", () => {
    assert.equal(session.remoteSettings.maxConcurrentStreams, 100);
    assert.equal(session.remoteSettings.maxHeaderListSize, 16 * 1024);
    assert.equal(session.remoteSettings.enablePush, false);
  });
});

describe("gRPC server: connection lifetime", () => {
  test("drops a connection without an HTTP/2 handshake, keeps an idle one; close() answers the running call first", async (t) => {
    const server = await startGrpcServer({
      app: new EchoQueryApp(), address: parseListenAddress("tcp://127.0.0.1:0"), maxMessageBytes: 1024, logger: silentLogger,
      limits: { handshakeTimeoutMs: 100 },
    });
    const port = Number(server.address.split(":")[1]);
    t.after(() => server.close());
    // silent TCP peer: dropped after the handshake timeout
    const silent = netConnect(port, "127.0.0.1");
    silent.on("error", () => undefined);
    silent.resume(); // reads the server's SETTINGS and GOAWAY, so the close is seen
    const dropped = await Promise.race([new Promise((resolve) => silent.on("close", () => resolve(true))), sleep(2000).then(() => false)]);
    assert.equal(dropped, true);
    // a gRPC peer idle for longer than that keeps its connection (CometBFT's are long-lived)
    const session = h2connect(`http://${server.address}`);
    assert.equal((await raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(1))])).trailers["grpc-status"], "0");
    await sleep(400);
    assert.equal(session.closed || session.destroyed, false);
    assert.equal((await raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(1))])).trailers["grpc-status"], "0");
    // graceful close: the slow call in flight is answered, then the server is gone
    const slow = raw(session, { ":path": QUERY }, [queryFrame(Uint8Array.of(255))]);
    await sleep(50);
    const closing = server.close();
    assert.equal((await slow).trailers["grpc-status"], "0");
    await closing;
    await assert.rejects(new Promise((resolve, reject) => {
      const s = netConnect(port, "127.0.0.1", () => { s.destroy(); resolve(undefined); });
      s.on("error", reject);
    }), /ECONNREFUSED/);
    session.destroy();
  });

  test("replaces a stale unix socket file, refuses a live one, removes its own on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abci-grpc-"));
    try {
      const path = join(dir, "abci.sock");
      spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`]);
      assert.equal(existsSync(path), true, "stale socket file created");
      const server = await serveAbci({ app: new BaseApplication(), address: `unix://${path}`, transport: "grpc", logger: silentLogger });
      await assert.rejects(serveAbci({ app: new BaseApplication(), address: `unix://${path}`, transport: "grpc", logger: silentLogger }), /another process is serving/);
      const client = abciGrpcClient(server.address);
      assert.deepEqual(await grpcCall(client, "Echo", { message: "unix" }), { message: "unix" });
      client.close();
      await server.close();
      assert.equal(existsSync(path), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
