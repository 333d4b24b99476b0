import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { digestOf, parseDigest } from "../digest.ts";
import { MemoryDriver } from "./memory-driver.ts";
import { RegistryStore } from "./registry-store.ts";
import { collectGarbage } from "./gc.ts";

function setup(): { store: RegistryStore; clock: { now: number } } {
  const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
  const store = new RegistryStore(new MemoryDriver(() => new Date(clock.now)), () => clock.now);
  return { store, clock };
}

async function upload(store: RegistryStore, repo: string, bytes: Buffer, at: Date): Promise<string> {
  const upload = await store.repository(repo).blobs.startUpload(at);
  const d = digestOf(bytes);
  await upload.commit(d, Readable.from([bytes]));
  return d;
}

test("GC keeps referenced and young blobs, removes old unreferenced ones and their links", async () => {
  const { store, clock } = setup();
  const repo = store.repository("acme/app");
  const cfg = Buffer.from("{}");
  const layer = Buffer.from("layer");
  const cfgD = await upload(store, "acme/app", cfg, new Date(clock.now));
  const layerD = await upload(store, "acme/app", layer, new Date(clock.now));
  const orphan = await upload(store, "acme/app", Buffer.from("orphan"), new Date(clock.now));
  const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfgD, size: 2 }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerD, size: 5 }] }));
  await repo.manifests.put("v1", m, "application/vnd.oci.image.manifest.v1+json");
  clock.now += 10 * 60_000;
  const young = await upload(store, "acme/app", Buffer.from("young"), new Date(clock.now));
  const pending = await store.uploads.create("acme/app", new Date(clock.now));
  await store.uploads.append("acme/app", pending.id, "", Readable.from([Buffer.from("half")]), {});

  const r = await collectGarbage(store, { graceMs: 5 * 60_000, now: new Date(clock.now), uploadTtlMs: 3600_000 });
  assert.deepEqual(r.deleted, [orphan]);
  assert.equal(r.keptYoung, 1);
  assert.equal(await repo.blobs.exists(orphan), false, "link removed with the data");
  for (const d of [cfgD, layerD, young, digestOf(m)]) assert.ok(await store.cas.stat(parseDigest(d)), d);
  assert.equal((await store.uploads.status("acme/app", pending.id)).offset, 4, "in-flight upload untouched");
});

test("a blob referenced by a push within the grace period is kept even if old", async () => {
  const { store, clock } = setup();
  const d = await upload(store, "acme/app", Buffer.from("old but touched"), new Date(clock.now));
  clock.now += 3600_000;
  await store.repository("acme/app").blobs.stat(d); // a client HEADs it before pushing a manifest
  const r = await collectGarbage(store, { graceMs: 60_000, now: new Date(clock.now), uploadTtlMs: 86_400_000 });
  assert.deepEqual(r.deleted, []);
  clock.now += 120_000;
  const r2 = await collectGarbage(store, { graceMs: 60_000, now: new Date(clock.now), uploadTtlMs: 86_400_000 });
  assert.deepEqual(r2.deleted, [d]);
});

test("dry run reports without deleting; idle upload sessions expire after the TTL", async () => {
  const { store, clock } = setup();
  const d = await upload(store, "acme/app", Buffer.from("x"), new Date(clock.now));
  const s = await store.uploads.create("acme/app", new Date(clock.now));
  clock.now += 2 * 3600_000;
  const dry = await collectGarbage(store, { graceMs: 0, now: new Date(clock.now), uploadTtlMs: 3600_000, dryRun: true });
  assert.deepEqual(dry.deleted, [d]);
  assert.equal(await store.repository("acme/app").blobs.exists(d), true);
  assert.equal((await store.uploads.status("acme/app", s.id)).offset, 0);
  assert.equal(await store.uploads.purgeExpired(new Date(clock.now), 3600_000), 1);
  await assert.rejects(store.uploads.status("acme/app", s.id), /blob upload unknown/);
});
