// The bounded serial console: serial.log never passes its cap however much a guest writes, keeps the newest bytes,
// and is filled by draining QEMU's ring over QMP (here a QMP server on a real unix socket answering ringbuf-read).
import assert from "node:assert/strict";
import { appendFile, lstat, mkdtemp, readFile, rm, stat, symlink, truncate, writeFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { FILES } from "./layout.ts";
import { serialTail } from "./ready.ts";
import { appendCapped, drainSerial, SERIAL_LOG_MAX_BYTES } from "./serial-log.ts";

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tn-serial-"));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A QMP server whose ringbuf-read answers `next()` (base64), recording each request's arguments. */
async function fakeQmp(path: string, next: () => Buffer, seen: unknown[]): Promise<() => Promise<void>> {
  const server = createServer((s: Socket) => {
    s.write('{"QMP": {"version": {}, "capabilities": []}}\r\n');
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as { execute: string; arguments?: unknown };
        buf = buf.slice(nl + 1);
        if (msg.execute === "ringbuf-read") seen.push(msg.arguments);
        s.write(`${JSON.stringify({ return: msg.execute === "ringbuf-read" ? next().toString("base64") : {} })}\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  return () => new Promise<void>((r) => server.close(() => r()));
}

describe("serial.log is capped", () => {
  test("a writer that never stops: the file stays within the cap and ends with the newest bytes", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "serial.log");
      const max = 64 * 1024;
      let stream = Buffer.alloc(0);
      for (let i = 0; i < 400; i++) {
        const chunk = Buffer.from(`line ${i} `.repeat(1 + ((i * 37) % 300)));
        stream = Buffer.concat([stream, chunk]).subarray(-max);
        await appendCapped(file, chunk, max);
        const size = (await stat(file)).size;
        assert.ok(size <= max, `${size} > ${max} after chunk ${i}`);
        assert.ok(size >= Math.min(max / 2, stream.length) || i === 0, `kept too little: ${size}`);
        assert.ok(stream.toString("latin1").endsWith((await readFile(file)).toString("latin1")), "the file is the stream's newest bytes");
      }
      await appendCapped(file, Buffer.alloc(3 * max, 0x41), max);
      assert.deepEqual(await readFile(file), Buffer.alloc(max / 2, 0x41), "one chunk past the cap: its newest half");
    });
  });

  test("the rewrite past the cap writes no file a link planted at a guessable temp name points to", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "serial.log");
      const victim = join(dir, "victim.txt");
      await writeFile(victim, "not yours\n");
      // The names the rewrite used to take (`serial.log.<pid>-<n>.tmp`, n counting up from 1 in this process).
      for (let n = 1; n <= 500; n++) await symlink(victim, `${file}.${process.pid}-${n}.tmp`);
      await appendCapped(file, Buffer.alloc(1024, 0x41), 1024);
      await appendCapped(file, Buffer.alloc(512, 0x42), 1024);
      assert.equal(await readFile(victim, "utf8"), "not yours\n");
      assert.equal((await lstat(file)).isSymbolicLink(), false);
      assert.deepEqual(await readFile(file), Buffer.alloc(512, 0x42));
    });
  });

  test("drainSerial moves the ring into serial.log over QMP, within SERIAL_LOG_MAX_BYTES", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, FILES.serialLog), "");
      const seen: unknown[] = [];
      let n = 0;
      const close = await fakeQmp(join(dir, FILES.qmp), () => (n++ === 0 ? Buffer.from("UEFI firmware\r\n") : Buffer.alloc(1024 * 1024, 0x78)), seen);
      try {
        await drainSerial(dir);
        assert.equal(await readFile(join(dir, FILES.serialLog), "utf8"), "UEFI firmware\r\n");
        assert.deepEqual(seen[0], { device: "serial0", size: 1024 * 1024, format: "base64" });
        for (let i = 0; i < 12; i++) await drainSerial(dir);
        assert.ok((await stat(join(dir, FILES.serialLog))).size <= SERIAL_LOG_MAX_BYTES);
      } finally {
        await close();
      }
    });
  });

  test("serialTail reads only the end of a serial.log grown past 2 GiB (a VM from before the cap)", async () => {
    await withDir(async (dir) => {
      const log = join(dir, FILES.serialLog);
      await writeFile(log, "");
      await truncate(log, 3 * 1024 ** 3); // sparse
      await appendFile(log, "\nKernel panic - not syncing: VFS\n");
      assert.match(await serialTail(log, 1), /^Kernel panic - not syncing: VFS$/);
    });
  });

  test("concurrent appends past the cap: none fails, the file stays within it", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "serial.log");
      await Promise.all(Array.from({ length: 20 }, (_, i) => appendCapped(file, Buffer.alloc(4096, 0x61 + i), 8192)));
      assert.ok((await stat(file)).size <= 8192);
    });
  });

  test("no QEMU on the QMP socket: the log on disk is left as it is, no error", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, FILES.serialLog), "kept\n");
      await drainSerial(dir, 500);
      assert.equal(await readFile(join(dir, FILES.serialLog), "utf8"), "kept\n");
    });
  });
});
