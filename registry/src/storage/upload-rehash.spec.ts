// Re-hash amplification: a failed chunk keeps the session's cached sha256 state (no re-read of the session from
// disk afterwards), and a closing PUT with a wrong digest of another algorithm (which needs one re-read) cancels
// the session, so the same tiny request cannot make the registry re-read a large upload again and again.
// Filesystem driver (real files); the subclass only counts the reads of upload data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import { digestOf } from "../digest.ts";
import { FsDriver } from "./fs-driver.ts";
import { UploadStore } from "./upload-store.ts";

class CountingFsDriver extends FsDriver {
  dataReads = 0;
  override reader(path: string, start?: number, end?: number): Promise<Readable> {
    if (path.startsWith("/uploads/")) this.dataReads++;
    return super.reader(path, start, end);
  }
}

const kind = (k: string) => (e: unknown): boolean => e instanceof RegistryError && e.kind === k;
const OWNER = "trust1owner";
const noCommit = (): Promise<void> => Promise.reject(new Error("must not commit"));

async function withStore(fn: (driver: CountingFsDriver, uploads: UploadStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tn-rehash-"));
  try {
    const driver = new CountingFsDriver(dir, { fsync: false });
    await fn(driver, new UploadStore(driver));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a failed chunk keeps the cached sha256 state: nothing is re-read afterwards", async () => {
  await withStore(async (driver, uploads) => {
    const data = randomBytes(256 * 1024);
    const { id } = await uploads.create("acme/app", new Date(), OWNER);
    await uploads.append("acme/app", id, OWNER, Readable.from([data]), {});
    // a chunk shorter than its declared length fails and is rolled back
    await assert.rejects(uploads.append("acme/app", id, OWNER, Readable.from([Buffer.from("short")]), { length: 10 }), kind("SIZE_INVALID"));
    await assert.rejects(uploads.complete("acme/app", id, OWNER, `sha256:${"0".repeat(64)}`, undefined, {}, noCommit), kind("DIGEST_INVALID"));
    assert.equal(driver.dataReads, 0, "the session was not re-read from disk");
    assert.equal((await uploads.status("acme/app", id, OWNER)).offset, data.length, "a wrong sha256 leaves the session as it was");
    const done = await uploads.complete("acme/app", id, OWNER, digestOf(data), undefined, {}, () => Promise.resolve());
    assert.equal(done.size, data.length);
    assert.equal(driver.dataReads, 0);
  });
});

test("a wrong sha512 digest re-reads the session once and cancels it; a right one is accepted", async () => {
  await withStore(async (driver, uploads) => {
    const data = randomBytes(256 * 1024);
    const { id } = await uploads.create("acme/app", new Date(), OWNER);
    await uploads.append("acme/app", id, OWNER, Readable.from([data]), {});
    const wrong = `sha512:${"0".repeat(128)}`;
    await assert.rejects(uploads.complete("acme/app", id, OWNER, wrong, undefined, {}, noCommit), (e: unknown) => kind("DIGEST_INVALID")(e) && /cancelled/.test((e as Error).message));
    assert.equal(driver.dataReads, 1);
    await assert.rejects(uploads.complete("acme/app", id, OWNER, wrong, undefined, {}, noCommit), kind("BLOB_UPLOAD_UNKNOWN"), "the session is gone");
    assert.equal(driver.dataReads, 1, "no second re-read");
    assert.deepEqual(await uploads.list(), []);

    const s2 = (await uploads.create("acme/app", new Date(), OWNER)).id;
    await uploads.append("acme/app", s2, OWNER, Readable.from([data]), {});
    const done = await uploads.complete("acme/app", s2, OWNER, digestOf(data, "sha512"), undefined, {}, () => Promise.resolve());
    assert.equal(done.size, data.length);
  });
});
