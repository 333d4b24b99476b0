// The upload path is the blob store's: a session opened on one repository's blobs is appended to and committed
// there, the blob lands in the content-addressed store linked into that repository only, and a bad digest or a
// session of another repository changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import { digestOf, parseDigest } from "../digest.ts";
import { MemoryDriver } from "./memory-driver.ts";
import { pathFor } from "./paths.ts";
import { RegistryStore } from "./registry-store.ts";

const kind = (k: string) => (e: unknown): boolean => e instanceof RegistryError && e.kind === k;

test("repo.blobs.upload(id).commit(digest): verified, stored once, linked into its repository only", async () => {
  const driver = new MemoryDriver();
  const store = new RegistryStore(driver);
  const app = store.repository("acme/app");
  const other = store.repository("acme/other");
  const bytes = Buffer.from("a layer in two chunks");
  const d = digestOf(bytes);

  const session = await app.blobs.startUpload(new Date(), "trust1owner");
  assert.equal((await app.blobs.upload(session.id, "trust1owner").append(Readable.from([bytes.subarray(0, 7)]), {})).offset, 7);
  await assert.rejects(other.blobs.upload(session.id, "trust1owner").status(), kind("BLOB_UPLOAD_UNKNOWN"), "a session belongs to its repository");
  await assert.rejects(app.blobs.upload(session.id, "trust1someoneelse").status(), kind("BLOB_UPLOAD_UNKNOWN"), "and to the address that opened it");
  await assert.rejects(app.blobs.upload(session.id, "trust1owner").commit(digestOf(Buffer.from("something else")), Readable.from([bytes.subarray(7)]), { start: 7 }), kind("DIGEST_INVALID"));
  assert.equal((await app.blobs.upload(session.id, "trust1owner").status()).offset, 7, "a failed commit leaves the session as it was");
  assert.equal(await app.blobs.exists(d), false);

  const done = await app.blobs.upload(session.id, "trust1owner").commit(d, Readable.from([bytes.subarray(7)]), { start: 7 });
  assert.deepEqual(done, { digest: d, size: bytes.length });
  assert.equal(await app.blobs.exists(d), true);
  assert.equal(await other.blobs.exists(d), false, "linked into the pushing repository only");
  const p = parseDigest(d);
  assert.deepEqual(await driver.getContent(pathFor({ kind: "blobData", alg: p.algorithm, hex: p.hex })), bytes);
  await assert.rejects(app.blobs.upload(session.id, "trust1owner").status(), kind("BLOB_UPLOAD_UNKNOWN"), "a committed session is gone");

  await app.blobs.delete(d);
  await assert.rejects(driver.stat(pathFor({ kind: "layerDir", name: "acme/app", alg: p.algorithm, hex: p.hex })), /not found|PathNotFound/i, "delete removes the link's directory");
});

test("a cancelled upload leaves nothing behind", async () => {
  const driver = new MemoryDriver();
  const store = new RegistryStore(driver);
  const blobs = store.repository("acme/app").blobs;
  const u = await blobs.startUpload(new Date());
  await u.append(Readable.from([Buffer.from("half")]), {});
  await u.cancel();
  await assert.rejects(u.status(), kind("BLOB_UPLOAD_UNKNOWN"));
  assert.deepEqual(await store.uploads.list(), []);
});
