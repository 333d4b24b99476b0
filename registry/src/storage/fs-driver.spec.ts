import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDriverConformance } from "./driver-conformance.ts";
import { pino } from "pino";
import { defaultConfig, mergeConfig } from "../config.ts";
import { InMemoryNamespaceOwners } from "../auth/namespace-owners.ts";
import { createRegistry } from "../server.ts";
import { FsDriver, STALE_PUT_TEMP_MS, writeAll } from "./fs-driver.ts";

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

test("put temp files left by a crash mid-write are removed once stale: at startup before serving, and by the sweep", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-fsdriver-"));
  dirs.push(dir);
  const tmp = join(dir, "tmp");
  await mkdir(tmp, { recursive: true });
  const old = (Date.now() - STALE_PUT_TEMP_MS - 60_000) / 1000;
  for (const n of ["put-crashed", "put-young", "other"]) await writeFile(join(tmp, n), "partial");
  for (const n of ["put-crashed", "other"]) await utimes(join(tmp, n), old, old);
  const reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: dir, storage: "filesystem", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }), {
    owners: new InMemoryNamespaceOwners({}), logger: pino({ level: "silent" }),
  });
  try {
    assert.deepEqual((await readdir(tmp)).sort(), ["other", "put-young"], "the stale put temp is gone before serving; a young one (a write of another process) and other files stay");
  } finally {
    await reg.close();
  }
  // the same sweep, later: the young one once stale
  const driver = new FsDriver(dir);
  assert.equal(await driver.removeStalePutTemps(Date.now()), 0);
  assert.equal(await driver.removeStalePutTemps(Date.now() + STALE_PUT_TEMP_MS + 1000), 1);
  assert.deepEqual(await readdir(tmp), ["other"]);
});
