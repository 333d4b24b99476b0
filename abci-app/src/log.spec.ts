import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { jsonLogger } from "./log.ts";

describe("jsonLogger", () => {
  test("writes the level as its label, keeps the level threshold, base fields and other formatters", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb): void { lines.push(chunk.toString()); cb(); } });
    const log = jsonLogger({ name: "t", level: "info", base: { svc: "x" }, formatters: { bindings: (b) => ({ ...b, extra: 1 }) } }, sink);
    log.debug("dropped");
    log.info({ height: 3 }, "hello");
    log.warn("careful");
    log.error({ err: new Error("bad") }, "failed");
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(records.map((r) => [r["level"], r["msg"]]), [["info", "hello"], ["warn", "careful"], ["error", "failed"]]);
    assert.match(lines[0] ?? "", /^\{"level":"info","time":\d+,"svc":"x","name":"t","extra":1,"height":3,"msg":"hello"\}\n$/);
    assert.equal((records[2]?.["err"] as { message?: string } | undefined)?.message, "bad");
  });

  test("to a pino.destination file, as the daemons log", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-log-"));
    try {
      const file = join(dir, "sub", "app.log");
      const log = jsonLogger({ level: "warn" }, pino.destination({ dest: file, mkdir: true, sync: true }));
      log.info("hidden");
      log.fatal("stopping");
      const lines = (await readFile(file, "utf8")).trim().split("\n");
      assert.equal(lines.length, 1);
      assert.equal((JSON.parse(lines[0] ?? "") as { level: unknown }).level, "fatal");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
