import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { jsonLogger } from "../log.ts";
import { BaseApplication } from "./base-application.ts";
import { encodeUvarint } from "./framing.ts";
import { errorMessage, stderrLogger, type AbciLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import { AbciSocketClient } from "./socket-client.ts";

describe("AbciLogger", () => {
  test("a pino logger (the app's jsonLogger) fits as is and receives the malformed-frame error", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb): void { lines.push(chunk.toString()); cb(); } });
    const logger: AbciLogger = jsonLogger({ level: "info" }, sink);
    const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket", logger, maxMessageBytes: 10 });
    try {
      const c = await AbciSocketClient.connect(server.address);
      c.sendRaw(encodeUvarint(11));
      assert.match((await c.next()).exception?.error ?? "", /exceeds maxMessageBytes 10/);
      await c.closed;
    } finally {
      await server.close();
    }
    const records = lines.map((l) => JSON.parse(l) as { level: string; msg: string; conn?: string });
    const err = records.find((r) => r.level === "error");
    assert.ok(err, lines.join(""));
    assert.match(err.msg, /^ABCI conn#1 \(127\.0\.0\.1:\d+\): malformed frame: .*closing this connection$/);
    assert.ok(records.some((r) => r.level === "info" && r.msg.includes("listening on")));
  });

  test("stderrLogger writes one JSON line per warning, bigints as strings; info only when verbose", (t) => {
    const writes: string[] = [];
    t.mock.method(process.stderr, "write", (s: string) => { writes.push(s); return true; });
    stderrLogger().info("hidden");
    stderrLogger().warn({ height: 5n, err: new Error("bad") }, "warned");
    stderrLogger(true).info("shown");
    t.mock.restoreAll();
    assert.equal(writes.length, 2);
    const w = JSON.parse(writes[0] ?? "") as Record<string, unknown>;
    assert.equal(w.level, "warn");
    assert.equal(w.msg, "warned");
    assert.equal(w.height, "5");
    assert.deepEqual(w.err, { type: "Error", message: "bad" });
    assert.equal(errorMessage("plain"), "plain");
  });
});
