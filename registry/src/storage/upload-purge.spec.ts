// The expiry purge skips a session a request is using (a trickling PATCH holds its lock) and purges the others at
// once; the busy one is purged at a later round, once idle. A session that could not be created (a full disk) holds
// none of its owner's slots. Filesystem driver, real files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { FsDriver } from "./fs-driver.ts";
import { UploadStore } from "./upload-store.ts";

test("a slow PATCH does not block the purge of other expired sessions", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-purge-"));
  try {
    const uploads = new UploadStore(new FsDriver(dir, { fsync: false }));
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await uploads.create("acme/app", new Date(), "trust1owner")).id);
    const slow = [...ids].sort()[0] as string; // the first the purge visits
    const trickle = new PassThrough();
    const patch = uploads.append("acme/app", slow, "trust1owner", trickle, {});
    trickle.write("x");
    await new Promise((r) => setTimeout(r, 50));
    const later = new Date(Date.now() + 3600_000);
    const purged = await Promise.race([uploads.purgeExpired(later, 1000), new Promise<string>((r) => setTimeout(() => r("blocked"), 2000))]);
    assert.equal(purged, 7, "every idle session purged at once, the busy one skipped");
    assert.deepEqual(await uploads.list(), [slow]);
    trickle.end("y");
    assert.equal((await patch).offset, 2);
    assert.equal(await uploads.purgeExpired(later, 1000), 1, "purged at the next round, once idle");
    assert.deepEqual(await uploads.list(), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The filesystem driver on a disk that fills up: every write fails with ENOSPC while `full` is set. */
class FullDiskDriver extends FsDriver {
  full = true;
  override putContent(path: string, bytes: Uint8Array): Promise<void> {
    if (this.full) return Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    return super.putContent(path, bytes);
  }
}

test("a session that could not be created (disk full) does not count against its owner's cap", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-purge-"));
  try {
    const driver = new FullDiskDriver(dir, { fsync: false });
    const uploads = new UploadStore(driver);
    uploads.limits = { maxBlobBytes: 1 << 20, maxSessionsPerUser: 2 };
    for (let i = 0; i < 3; i++) await assert.rejects(uploads.create("acme/app", new Date(), "trust1owner"), /ENOSPC/);
    assert.deepEqual(await uploads.list(), [], "nothing of the failed sessions is left behind");
    driver.full = false;
    const a = await uploads.create("acme/app", new Date(), "trust1owner");
    await uploads.create("acme/app", new Date(), "trust1owner");
    await assert.rejects(uploads.create("acme/app", new Date(), "trust1owner"), /already has 2 open upload sessions/);
    await uploads.cancel("acme/app", a.id, "trust1owner");
    await uploads.create("acme/app", new Date(), "trust1owner");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
