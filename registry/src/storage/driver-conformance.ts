// The shared conformance suite every StorageDriver must pass (house rule 14).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidPathError, PathNotFoundError } from "../errors.ts";
import type { StorageDriver } from "./driver.ts";

async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A slow sink that copies what it is given when its write completes (so a reused buffer would show). */
function collector(): { sink: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, cb): void {
      setImmediate(() => {
        chunks.push(Buffer.from(chunk));
        cb();
      });
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

async function copied(d: StorageDriver, path: string, start?: number, end?: number): Promise<Buffer> {
  const c = collector();
  await d.copyTo(path, c.sink, start, end);
  assert.equal(c.sink.writableEnded, false, "copyTo does not end its destination");
  return c.bytes();
}

export function describeDriverConformance(label: string, make: () => Promise<StorageDriver>): void {
  describe(`storage driver conformance: ${label}`, () => {
    test("putContent/getContent round trip and overwrite", async () => {
      const d = await make();
      await d.putContent("/a/b/c", Buffer.from("one"));
      assert.equal((await d.getContent("/a/b/c")).toString(), "one");
      await d.putContent("/a/b/c", Buffer.from("two!"));
      assert.equal((await d.getContent("/a/b/c")).toString(), "two!");
      assert.equal((await d.stat("/a/b/c")).size, 4);
      assert.equal((await d.stat("/a/b")).isDir, true);
    });

    test("missing paths raise PathNotFoundError", async () => {
      const d = await make();
      await assert.rejects(d.getContent("/nope"), PathNotFoundError);
      await assert.rejects(d.stat("/nope/x"), PathNotFoundError);
      await assert.rejects(d.list("/nope"), PathNotFoundError);
      await assert.rejects(d.delete("/nope"), PathNotFoundError);
      await assert.rejects(d.move("/nope", "/x"), PathNotFoundError);
      await assert.rejects(d.reader("/nope"), PathNotFoundError);
      await assert.rejects(d.copyTo("/nope", collector().sink), PathNotFoundError);
    });

    test("unsafe paths are refused", async () => {
      const d = await make();
      for (const p of ["", "a/b", "/a/../b", "/a/./b", "/a//b", "/a/b/", "/a\\b", "/a/b c", "/%2e%2e/x"]) {
        await assert.rejects(d.putContent(p, Buffer.from("x")), InvalidPathError, p);
        await assert.rejects(d.getContent(p), InvalidPathError, p);
      }
    });

    test("list gives sorted direct children", async () => {
      const d = await make();
      await d.putContent("/l/b/x", Buffer.from("1"));
      await d.putContent("/l/a", Buffer.from("2"));
      await d.putContent("/l/c/y/z", Buffer.from("3"));
      assert.deepEqual(await d.list("/l"), ["a", "b", "c"]);
    });

    test("reader serves ranges", async () => {
      const d = await make();
      await d.putContent("/r", Buffer.from("0123456789"));
      assert.equal((await readAll(await d.reader("/r"))).toString(), "0123456789");
      assert.equal((await readAll(await d.reader("/r", 2, 5))).toString(), "234");
      assert.equal((await readAll(await d.reader("/r", 7))).toString(), "789");
    });

    test("copyTo writes ranges, and large files in order across reused buffers", async () => {
      const d = await make();
      await d.putContent("/r", Buffer.from("0123456789"));
      assert.equal((await copied(d, "/r")).toString(), "0123456789");
      assert.equal((await copied(d, "/r", 2, 5)).toString(), "234");
      assert.equal((await copied(d, "/r", 7)).toString(), "789");
      assert.equal((await copied(d, "/r", 4, 4)).length, 0);
      const big = randomBytes((9 << 20) + 12345);
      await d.putContent("/big", big);
      await d.putContent("/big2", randomBytes(3 << 20));
      // concurrent transfers share the driver's buffers: each must still get exactly its own bytes
      const [a, b, c] = await Promise.all([copied(d, "/big"), copied(d, "/big", 1 << 20, (5 << 20) + 7), copied(d, "/big2")]);
      assert.ok(a.equals(big));
      assert.ok(b.equals(big.subarray(1 << 20, (5 << 20) + 7)));
      assert.ok(c.equals(await d.getContent("/big2")));
      assert.ok((await copied(d, "/big")).equals(big));
    });

    test("copyTo rejects when the destination is closed or fails", async () => {
      const d = await make();
      await d.putContent("/big", randomBytes(6 << 20));
      const closed = collector().sink;
      closed.destroy();
      await assert.rejects(d.copyTo("/big", closed));
      let writes = 0;
      const failing = new Writable({
        write(_chunk: Buffer, _enc, cb): void {
          writes++;
          setImmediate(() => cb(new Error("sink failed")));
        },
      });
      failing.on("error", () => undefined); // the caller owns the destination and its errors
      await assert.rejects(d.copyTo("/big", failing), /sink failed/);
      assert.ok(writes >= 1);
      const hanging = new Writable({
        write(_chunk: Buffer, _enc, _cb): void {
          setImmediate(() => hanging.destroy()); // never acknowledges, then goes away
        },
      });
      await assert.rejects(d.copyTo("/big", hanging));
    });

    test("writer appends at offset, commit makes it visible, cancel restores", async () => {
      const d = await make();
      let w = await d.writer("/w/data", 0);
      await pipeline(Readable.from([Buffer.from("hello ")]), w.stream);
      await w.commit();
      w = await d.writer("/w/data", 6);
      await pipeline(Readable.from([Buffer.from("world")]), w.stream);
      await w.commit();
      assert.equal((await d.getContent("/w/data")).toString(), "hello world");
      w = await d.writer("/w/data", 11);
      await pipeline(Readable.from([Buffer.from(" and more")]), w.stream);
      await w.cancel();
      assert.equal((await d.getContent("/w/data")).toString(), "hello world");
      w = await d.writer("/w/data", 5);
      await w.commit();
      assert.equal((await d.getContent("/w/data")).toString(), "hello", "content past the offset is discarded");
      await assert.rejects(d.writer("/w/data", 99));
    });

    test("a writer given releaseChunks stores exactly what was written", async () => {
      const d = await make();
      const data = randomBytes((3 << 20) + 99);
      // chunks that own their ArrayBuffers, as node:http hands them out
      const chunks: Buffer[] = [];
      for (let at = 0; at < data.length; at += 65536) {
        const c = Buffer.allocUnsafeSlow(Math.min(65536, data.length - at));
        data.copy(c, 0, at);
        chunks.push(c);
      }
      const w = await d.writer("/rel/data", 0, { releaseChunks: true });
      await pipeline(Readable.from(chunks), w.stream);
      await w.commit();
      assert.ok((await d.getContent("/rel/data")).equals(data));
    });

    test("a writer takes thousands of tiny chunks and a large one, in order", async () => {
      const d = await make();
      const parts: Buffer[] = [];
      for (let i = 0; i < 3000; i++) parts.push(randomBytes(1 + (i % 97)));
      parts.push(randomBytes(3 << 20));
      for (let i = 0; i < 1500; i++) parts.push(randomBytes(1 + (i % 13)));
      const data = Buffer.concat(parts);
      let w = await d.writer("/tiny/data", 0);
      await pipeline(Readable.from(parts.map((p) => Buffer.from(p))), w.stream);
      await w.commit();
      assert.ok((await d.getContent("/tiny/data")).equals(data));
      w = await d.writer("/tiny/data", 10);
      w.stream.write(Buffer.from("abc"));
      await w.commit();
      assert.ok((await d.getContent("/tiny/data")).equals(Buffer.concat([data.subarray(0, 10), Buffer.from("abc")])));
    });

    test("move is a rename that replaces the destination", async () => {
      const d = await make();
      await d.putContent("/m/src", Buffer.from("new"));
      await d.putContent("/m2/dst", Buffer.from("old"));
      await d.move("/m/src", "/m2/dst");
      assert.equal((await d.getContent("/m2/dst")).toString(), "new");
      await assert.rejects(d.getContent("/m/src"), PathNotFoundError);
    });

    test("delete removes files and subtrees; walk visits every file", async () => {
      const d = await make();
      await d.putContent("/t/a/1", Buffer.from("1"));
      await d.putContent("/t/a/2", Buffer.from("22"));
      await d.putContent("/t/b", Buffer.from("333"));
      const seen: string[] = [];
      await d.walk("/t", (i) => {
        seen.push(`${i.path}:${i.size}`);
      });
      assert.deepEqual(seen.sort(), ["/t/a/1:1", "/t/a/2:2", "/t/b:3"]);
      await d.delete("/t/a");
      await assert.rejects(d.stat("/t/a/1"), PathNotFoundError);
      assert.deepEqual(await d.list("/t"), ["b"]);
      await d.delete("/t/b");
      await assert.rejects(d.getContent("/t/b"), PathNotFoundError);
    });

    test("stat reports a modification time", async () => {
      const d = await make();
      const before = Date.now() - 5000;
      await d.putContent("/s", Buffer.from("x"));
      const s = await d.stat("/s");
      assert.ok(s.modTime.getTime() >= before);
      assert.equal(s.isDir, false);
    });
  });
}
