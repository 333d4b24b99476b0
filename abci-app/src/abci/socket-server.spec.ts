import { describe, test, after, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Request, type Response } from "cosmjs-types/tendermint/abci/types";
import { RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { RequestInfo, RequestQuery } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { encodeFrame, encodeUvarint } from "./framing.ts";
import type { AbciLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import type { AbciServer } from "./server-types.ts";
import { AbciSocketClient } from "./socket-client.ts";

interface Entry { readonly level: string; readonly text: string }
function captureLogger(): AbciLogger & { readonly entries: Entry[] } {
  const entries: Entry[] = [];
  const log = (level: string) => (o: object | string, m?: string): void => {
    entries.push({ level, text: typeof o === "string" ? o : `${m ?? ""} ${JSON.stringify(o, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}` });
  };
  return { entries, info: log("info"), warn: log("warn"), error: log("error") };
}

/** Query answers after a random delay; it records how many handlers run at once per connection tag. */
class SlowApp extends BaseApplication {
  readonly active = new Map<string, number>(); // by query path (one path per test connection)
  maxPerPath = 0;
  maxOverall = 0;
  override async query(req: RequestQuery): Promise<{ value: Uint8Array; height: bigint }> {
    const n = (this.active.get(req.path) ?? 0) + 1;
    this.active.set(req.path, n);
    this.maxPerPath = Math.max(this.maxPerPath, n);
    this.maxOverall = Math.max(this.maxOverall, [...this.active.values()].reduce((x, y) => x + y, 0));
    await sleep(Math.floor(Math.random() * 8));
    this.active.set(req.path, (this.active.get(req.path) ?? 1) - 1);
    return { value: req.data, height: 1n };
  }
  override async info(req: RequestInfo): Promise<{ data: string }> {
    await sleep(40);
    return { data: `slow ${req.version}` };
  }
  override finalizeBlock(req: RequestFinalizeBlock): never {
    throw new Error(`boom at height ${req.height}`);
  }
}

const responseKind = (r: Response): string =>
  Object.entries(r).find(([, v]) => v !== undefined)?.[0] ?? "none";
const q = (i: number, path = "/x"): Partial<Request> => ({ query: { data: Uint8Array.of(i), path, height: 0n, prove: false } });

describe("socket server", () => {
  const logger = captureLogger();
  const app = new SlowApp();
  let server: AbciServer;
  before(async () => {
    server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", logger, maxMessageBytes: 4096, serialize: "connection" });
  });
  after(async () => { await server.close(); });

  test("reports the bound port and answers Echo and Flush", async () => {
    assert.match(server.address, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.address, "tcp://127.0.0.1:0");
    const c = await AbciSocketClient.connect(server.address);
    const [echo, flush] = await c.call({ echo: { message: "hello" } });
    assert.deepEqual(echo?.echo, { message: "hello" });
    assert.deepEqual(flush?.flush, {});
    c.destroy();
  });

  test("answers in request order under async handlers with random delays, one at a time per connection", async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => AbciSocketClient.connect(server.address)));
    app.maxPerPath = 0;
    app.maxOverall = 0;
    await Promise.all(clients.map(async (c, ci) => {
      const reqs = Array.from({ length: 40 }, (_, i) => q(ci * 50 + i, `/conn${ci}`));
      const resps = await c.call(...reqs);
      assert.deepEqual(resps.slice(0, 40).map((r) => r.query?.value[0]), reqs.map((r) => r.query?.data[0]));
      assert.deepEqual(resps[40]?.flush, {});
    }));
    // the four connections run concurrently, but two requests of one connection never overlap
    assert.equal(app.maxPerPath, 1);
    assert.ok(app.maxOverall > 1, "connections should be served independently");
    for (const c of clients) c.destroy();
  });

  test("answers Flush only after every earlier response on that connection", async () => {
    const c = await AbciSocketClient.connect(server.address);
    c.send({ info: { version: "a", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" } }, { flush: {} }, q(7), { flush: {} });
    const kinds = [];
    for (let i = 0; i < 4; i += 1) kinds.push(responseKind(await c.next()));
    assert.deepEqual(kinds, ["info", "flush", "query", "flush"]);
    c.destroy();
  });

  test("answers a request with an empty or unknown oneof (field 21 of v0.39) with an exception and keeps serving", async () => {
    const c = await AbciSocketClient.connect(server.address);
    c.sendRaw(Buffer.concat([encodeFrame(Uint8Array.of(0xaa, 0x01, 0x00)), encodeFrame(new Uint8Array(0))]));
    const a = await c.next();
    const b = await c.next();
    assert.match(a.exception?.error ?? "", /unknown or empty ABCI request/);
    assert.match(b.exception?.error ?? "", /unknown or empty ABCI request/);
    const [echo] = await c.call({ echo: { message: "still here" } });
    assert.equal(echo?.echo?.message, "still here");
    c.destroy();
  });

  test("turns a throwing handler into an exception response naming the method", async () => {
    const c = await AbciSocketClient.connect(server.address);
    const [resp] = await c.call({ finalizeBlock: RequestFinalizeBlock.fromPartial({ height: 5n }) });
    assert.equal(resp?.exception?.error, "FinalizeBlock failed: boom at height 5");
    assert.ok(logger.entries.some((e) => e.level === "error" && e.text.includes("boom at height 5")));
    c.destroy();
  });

  for (const [label, bad, pattern] of [
    ["a varint longer than 10 bytes", Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), /longer than 10 bytes/],
    ["a length beyond maxMessageBytes", encodeUvarint(5000), /5000 bytes exceeds maxMessageBytes 4096/],
    ["an undecodable protobuf", encodeFrame(Uint8Array.of(0x0a, 0x05, 0x01)), /undecodable tendermint\.abci\.Request/],
  ] as const) {
    test(`on ${label}: logs, answers an exception after earlier responses, closes only that connection`, async () => {
      const bystander = await AbciSocketClient.connect(server.address);
      const c = await AbciSocketClient.connect(server.address);
      c.send(q(1));
      c.sendRaw(bad);
      const first = await c.next();
      assert.equal(first.query?.value[0], 1);
      const exc = await c.next();
      assert.match(exc.exception?.error ?? "", pattern);
      await c.closed;
      assert.ok(logger.entries.some((e) => e.level === "error" && /conn#\d+/.test(e.text) && pattern.test(e.text) && e.text.includes("closing this connection")));
      const [echo] = await bystander.call({ echo: { message: "other connection" } });
      assert.equal(echo?.echo?.message, "other connection");
      const fresh = await AbciSocketClient.connect(server.address);
      const [echo2] = await fresh.call({ echo: { message: "new connection" } });
      assert.equal(echo2?.echo?.message, "new connection");
      bystander.destroy();
      fresh.destroy();
    });
  }

  test("a frame truncated at EOF is logged clearly and the server keeps serving", async () => {
    const c = await AbciSocketClient.connect(server.address);
    const whole = encodeFrame(Request.encode(Request.fromPartial(q(9))).finish());
    c.sendRaw(whole.subarray(0, whole.length - 2));
    c.end();
    await c.closed;
    assert.ok(logger.entries.some((e) => e.level === "warn" && /truncated frame: got \d+ of \d+ body bytes/.test(e.text)));
    const fresh = await AbciSocketClient.connect(server.address);
    const [echo] = await fresh.call({ echo: { message: "ok" } });
    assert.equal(echo?.echo?.message, "ok");
    fresh.destroy();
  });

  test("a connection that pipelines big requests behind a slow call stops being read after about one max message of them", async () => {
    // Reading pauses at 1024 waiting requests, but those may each be maxMessageBytes (64 MiB by default): by count
    // alone one connection could park 64 GiB. Here 200 frames of 1 MB wait behind a call that does not finish.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    class Stuck extends BaseApplication {
      override async query(): Promise<{ log: string }> { await gate; return { log: "done" }; }
    }
    const stuck = await serveAbci({ app: new Stuck(), address: "tcp://127.0.0.1:0", transport: "socket", logger, maxMessageBytes: 2_000_000 });
    const c = await AbciSocketClient.connect(stuck.address);
    try {
      const big = encodeFrame(Request.encode(Request.fromPartial({ query: { data: new Uint8Array(1_000_000), path: "/big" } })).finish());
      const total = 200 * big.length;
      for (let i = 0; i < 200; i++) c.sendRaw(big);
      // reading 200 MB in 64 KiB reads takes a few seconds here: wait until the server stopped taking bytes
      let unread = c.unsentBytes;
      for (let stable = 0, i = 0; i < 60 && stable < 8 && total - unread < 40_000_000; i++) {
        await sleep(250);
        stable = c.unsentBytes === unread ? stable + 1 : 0;
        unread = c.unsentBytes;
      }
      release();
      // what the server took: at most its budget (2 MB) + one frame + what the kernel's buffers hold (a few MB)
      assert.ok(total - unread < 40_000_000, `the server read ${total - unread} of ${total} bytes while its calls waited`);
    } finally {
      release();
      c.destroy();
      await stuck.close();
    }
  });

  test("warns when ABCI listens beyond loopback (it has no authentication), on both transports; not on loopback", async () => {
    for (const transport of ["socket", "grpc"] as const) {
      for (const [address, warned] of [["tcp://0.0.0.0:0", true], ["tcp://:0", true], ["tcp://127.0.0.1:0", false], ["tcp://[::1]:0", false], ["tcp://localhost:0", false]] as const) {
        const log = captureLogger();
        const s = await serveAbci({ app: new BaseApplication(), address, transport, logger: log });
        await s.close();
        const warning = log.entries.find((e) => e.level === "warn" && /not a loopback address/.test(e.text));
        assert.equal(warning !== undefined, warned, `${transport} ${address}: ${log.entries.map((e) => e.text).join(" | ")}`);
        if (warned) assert.match(warning?.text ?? "", /no authentication: anyone who can reach it can .*FinalizeBlock and Commit/);
      }
    }
  });

  test("a peer that half-closes still gets the answers to what it sent", async () => {
    const c = await AbciSocketClient.connect(server.address);
    c.send(q(3), { flush: {} });
    c.end();
    assert.equal((await c.next()).query?.value[0], 3);
    assert.deepEqual((await c.next()).flush, {});
    await c.closed;
  });
});

describe("socket server options and addresses", () => {
  test("by default serializes app calls across all connections (like CometBFT's appMtx), still in order", async () => {
    const app = new SlowApp();
    const server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", logger: captureLogger() });
    try {
      const clients = await Promise.all([1, 2, 3].map(() => AbciSocketClient.connect(server.address)));
      await Promise.all(clients.map(async (c, ci) => {
        const reqs = Array.from({ length: 15 }, (_, i) => q(ci * 20 + i, `/conn${ci}`));
        const resps = await c.call(...reqs);
        assert.deepEqual(resps.slice(0, 15).map((r) => r.query?.value[0]), reqs.map((r) => r.query?.data[0]));
      }));
      assert.equal(app.maxOverall, 1);
      for (const c of clients) c.destroy();
    } finally {
      await server.close();
    }
  });

  test("serves on a unix socket, replaces a stale socket file and removes it on close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abci-sock-"));
    try {
      const path = join(dir, "abci.sock");
      // a socket file left behind by a killed process
      spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`]);
      assert.equal(existsSync(path), true, "stale socket file created");
      const first = await serveAbci({ app: new BaseApplication(), address: `unix://${path}`, transport: "socket" });
      assert.equal(first.address, `unix://${path}`);
      const c = await AbciSocketClient.connect(first.address);
      const [info] = await c.call({ info: { version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" } });
      assert.equal(info?.info?.lastBlockHeight, 0n);
      c.destroy();
      await assert.rejects(serveAbci({ app: new BaseApplication(), address: `unix://${path}`, transport: "socket" }), /another process is serving/);
      await first.close();
      assert.equal(existsSync(path), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("rejects bad addresses, transports and limits with clear errors", async () => {
    const app = new BaseApplication();
    await assert.rejects(serveAbci({ app, address: "http://x:1", transport: "socket" }), { name: "InvalidAddressError" });
    await assert.rejects(serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "udp" as "socket" }), /unknown ABCI transport "udp"/);
    await assert.rejects(serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", maxMessageBytes: 0 }), { name: "InvalidServerOptionError" });
    await assert.rejects(serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", serialize: "none" as "global" }), /serialize must be/);
    await assert.rejects(serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", maxConnections: 0 }), /maxConnections must be a positive integer, got 0/);
    await assert.rejects(serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", partialMessageTimeoutMs: 2 ** 31 }), /partialMessageTimeoutMs must be an integer in \[1, 2\^31-1\], got 2147483648/);
  });

  test("reports a port already in use as a ListenError", async () => {
    const a = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket" });
    try {
      await assert.rejects(serveAbci({ app: new BaseApplication(), address: a.address, transport: "socket" }), { name: "ListenError" });
    } finally {
      await a.close();
    }
  });
});
