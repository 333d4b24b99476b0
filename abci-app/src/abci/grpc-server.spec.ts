import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { credentials, makeGenericClientConstructor, status, type Client, type ServiceError } from "@grpc/grpc-js";
import {
  RequestFinalizeBlock, RequestInfo, RequestQuery, ResponseProcessProposal_ProposalStatus,
} from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { abciServiceDefinition } from "./grpc-server.ts";
import { GrpcTestApp as App, grpcCall } from "./grpc-test-call.ts";
import { silentLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import type { AbciServer } from "./server-types.ts";

const call = grpcCall;

describe("gRPC server (service tendermint.abci.ABCI)", () => {
  const app = new App();
  let server: AbciServer;
  let client: Client;
  before(async () => {
    server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "grpc-js", logger: silentLogger });
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    client = new Ctor(server.address, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test("defines all 16 unary methods under /tendermint.abci.ABCI/", () => {
    const def = abciServiceDefinition();
    assert.equal(Object.keys(def).length, 16);
    assert.equal(def.FinalizeBlock?.path, "/tendermint.abci.ABCI/FinalizeBlock");
    assert.ok(Object.values(def).every((m) => !m.requestStream && !m.responseStream));
    assert.match(server.address, /^127\.0\.0\.1:[1-9]\d*$/);
  });

  test("answers Echo, Flush, Info and ProcessProposal", async () => {
    assert.deepEqual(await call(client, "Echo", { message: "hello" }), { message: "hello" });
    assert.deepEqual(await call(client, "Flush", {}), {});
    const info = await call<{ data: string; lastBlockHeight: bigint }>(client, "Info", RequestInfo.fromPartial({ version: "0.38.25" }));
    assert.equal(info.data, "hello 0.38.25");
    assert.equal(info.lastBlockHeight, 7n);
    const pp = await call<{ status: number }>(client, "ProcessProposal", {
      txs: [], misbehavior: [], hash: new Uint8Array(), height: 1n, nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(),
    });
    assert.equal(pp.status, ResponseProcessProposal_ProposalStatus.ACCEPT);
  });

  test("reports a throwing handler as a gRPC error naming the method", async () => {
    await assert.rejects(call(client, "FinalizeBlock", RequestFinalizeBlock.fromPartial({ height: 2n })), (e: ServiceError) => {
      assert.equal(e.code, status.UNKNOWN);
      assert.match(e.details, /^FinalizeBlock failed: state corrupted at \d+$/);
      return true;
    });
  });

  test("runs the calls of one peer one at a time, each answered with its own result", async () => {
    app.maxActive = 0;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      call<{ value: Uint8Array }>(client, "Query", RequestQuery.fromPartial({ data: Uint8Array.of(i) }))));
    assert.deepEqual(results.map((r) => r.value[0]), Array.from({ length: 30 }, (_, i) => i));
    assert.equal(app.maxActive, 1);
  });
});

test("grpc-js: calls the client cancelled while they waited their turn never reach the app", async () => {
  // A peer's calls run one at a time; request + RST_STREAM, repeated, must not queue app work (rapid reset).
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => { release = r; });
  let started = 0;
  class Slow extends BaseApplication {
    override async query(): Promise<{ log: string }> { started += 1; await gate; return { log: "late" }; }
  }
  const slow = await serveAbci({ app: new Slow(), address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer: "grpc-js", logger: silentLogger });
  const session = http2.connect(`http://${slow.address}`);
  session.on("error", () => undefined);
  try {
    const body = RequestQuery.encode(RequestQuery.fromPartial({ path: "/cancelled" })).finish();
    const msg = Buffer.alloc(5 + body.length);
    msg.writeUInt32BE(body.length, 1);
    msg.set(body, 5);
    const streams = Array.from({ length: 20 }, () => {
      const st = session.request({ ":method": "POST", ":path": "/tendermint.abci.ABCI/Query", "content-type": "application/grpc", te: "trailers" });
      st.on("error", () => undefined);
      st.end(msg);
      return st;
    });
    for (let i = 0; i < 100 && started === 0; i++) await sleep(10);
    await sleep(100); // every call has arrived and waits behind the first
    for (const st of streams) st.close(http2.constants.NGHTTP2_CANCEL);
    await sleep(100);
    release();
    await sleep(200);
    assert.equal(started, 1, "only the call already running when they were cancelled reached the app");
  } finally {
    release();
    session.destroy();
    await slow.close();
  }
});

describe("gRPC server on a unix socket", () => {
  test("serves and reports unix:///path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abci-grpc-"));
    const path = join(dir, "abci.sock");
    const server = await serveAbci({ app: new BaseApplication(), address: `unix://${path}`, transport: "grpc", grpcServer: "grpc-js", logger: silentLogger });
    try {
      assert.equal(server.address, `unix://${path}`);
      const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
      const client = new Ctor(`unix://${path}`, credentials.createInsecure());
      assert.deepEqual(await call(client, "Echo", { message: "over unix" }), { message: "over unix" });
      client.close();
      await server.close();
      assert.equal(existsSync(path), false, "socket file removed on close");
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
