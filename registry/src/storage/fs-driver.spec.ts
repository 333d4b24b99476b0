import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDriverConformance } from "./driver-conformance.ts";
import { FsDriver, writeAll } from "./fs-driver.ts";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeDriverConformance("filesystem", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-fsdriver-"));
  dirs.push(dir);
  return new FsDriver(dir);
});

test("writeAll resumes after short writes and splits at IOV_MAX", async () => {
  const file = Buffer.alloc(4000);
  const calls: number[] = [];
  const fh = {
    // writes at most 7 bytes per call, like a short pwritev
    writev: async <T extends readonly NodeJS.ArrayBufferView[]>(bufs: T, pos?: number | null) => {
      await Promise.resolve();
      calls.push(bufs.length);
      let at = pos ?? 0;
      let n = 0;
      for (const b of bufs) {
        const src = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        const k = Math.min(src.length, 7 - n);
        src.copy(file, at, 0, k);
        at += k;
        n += k;
        if (n === 7) break;
      }
      return { bytesWritten: n, buffers: bufs };
    },
  };
  const bufs = Array.from({ length: 1500 }, (_, i) => Buffer.from([i & 0xff, (i >> 8) & 0xff]));
  await writeAll(fh, bufs, 100);
  assert.ok(file.subarray(100, 3100).equals(Buffer.concat(bufs)));
  assert.ok(Math.max(...calls) <= 1024);
  await assert.rejects(writeAll({ writev: async <T extends readonly NodeJS.ArrayBufferView[]>(b: T) => ({ bytesWritten: 0, buffers: b }) }, bufs, 0), /no progress/);
});
