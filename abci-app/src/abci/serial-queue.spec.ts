import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { SerialQueue } from "./serial-queue.ts";

describe("SerialQueue", () => {
  test("runs jobs one at a time in order, passing results and errors through", async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async (): Promise<string> => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const a = q.run(job("a", 15));
    const b = q.run(() => { throw new Error("b failed"); });
    const c = q.run(job("c", 1));
    assert.equal(await a, "a");
    await assert.rejects(b, /b failed/);
    assert.equal(await c, "c");
    assert.deepEqual(log, ["start a", "end a", "start c", "end c"]);
  });
});
