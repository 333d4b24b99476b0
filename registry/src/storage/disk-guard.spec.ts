// The free-disk guard (minFreeDiskBytes): while the data directory's filesystem has less free space than the
// minimum, uploads are refused (403 DENIED naming the key) and nothing is stored; an upload already streaming is
// re-checked every DISK_CHECK_BYTES and rolled back when the disk runs low. Filesystem driver, real statfs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import { RegistryError } from "../errors.ts";
import { pushBlob, sha256, snapshotDir, startTestRegistry } from "../testkit.ts";
import { DISK_CHECK_BYTES, freeSpaceGuard } from "./disk-guard.ts";
import { FsDriver } from "./fs-driver.ts";
import { UploadStore } from "./upload-store.ts";

test("below minFreeDiskBytes every new upload gets 403 DENIED and nothing is stored; above it, uploads work", async () => {
  const full = await startTestRegistry({ storage: "filesystem", minFreeDiskBytes: Number.MAX_SAFE_INTEGER });
  try {
    const before = await snapshotDir(full.dataDir);
    const session = await fetch(`${full.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: full.auth } });
    assert.equal(session.status, 403);
    assert.match(await session.text(), /"code":"DENIED".*disk is nearly full.*minFreeDiskBytes/);
    const bytes = randomBytes(1000);
    const mono = await fetch(`${full.url}/v2/acme/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: full.auth }, body: bytes });
    assert.equal(mono.status, 403);
    assert.deepEqual(await snapshotDir(full.dataDir), before);
  } finally {
    await full.close();
  }
  const roomy = await startTestRegistry({ storage: "filesystem", minFreeDiskBytes: 1 });
  try {
    await pushBlob(roomy.url, "acme/app", randomBytes(1000), roomy.auth);
  } finally {
    await roomy.close();
  }
  await assert.doesNotReject(freeSpaceGuard(tmpdir(), 0)(Number.MAX_SAFE_INTEGER), "0 turns the guard off");
});

test("a streaming upload is re-checked every DISK_CHECK_BYTES and rolled back when the disk runs low", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-diskguard-"));
  try {
    const uploads = new UploadStore(new FsDriver(dir, { fsync: false }));
    const asked: number[] = [];
    let low = false;
    uploads.diskGuard = (more) => {
      asked.push(more);
      return low ? Promise.reject(new RegistryError("DENIED", "disk is nearly full")) : Promise.resolve();
    };
    const { id } = await uploads.create("acme/app", new Date(), "trust1owner");
    const piece = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const body = Readable.from((function* () {
      while (sent < DISK_CHECK_BYTES + 4 * piece.length) {
        sent += piece.length;
        if (sent > DISK_CHECK_BYTES / 2) low = true; // the disk fills while the upload streams
        yield Buffer.from(piece);
      }
    })());
    await assert.rejects(uploads.append("acme/app", id, "trust1owner", body, {}), (e: unknown) => e instanceof RegistryError && e.kind === "DENIED");
    assert.deepEqual(asked, [0, 0, 0], "checked at the session's creation, at the chunk's start and after DISK_CHECK_BYTES");
    assert.equal((await uploads.status("acme/app", id, "trust1owner")).offset, 0, "the chunk was rolled back");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
