// The quota of an open default namespace (openPushQuotaBytes): what an account stores there only because the
// namespace is open (uploads in progress and the blobs and manifests it added) is capped per account; beyond, 403
// DENIED and nothing is stored. A cancelled upload or content GC removed frees it; the ledger (stored content and
// sessions in progress) survives a restart; the owner's own pushes never count. Filesystem store, real files. Every
// pusher here is given an account on chain, as open pushes need one (open-push-account.spec.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { defaultConfig, mergeConfig } from "../config.ts";
import { createRegistry, type Registry } from "../server.ts";
import { basicAuth, pushBlob, pushImage, sha256, snapshotDir, startTestRegistry, testKey, type TestKey, type TestRegistry } from "../testkit.ts";

const QUOTA = 64 * 1024;

describe("open default namespace: per-account quota", () => {
  let t: TestRegistry;
  let stranger: string;
  before(async () => {
    t = await startTestRegistry({ storage: "filesystem", defaultNamespaceOpen: true, openPushQuotaBytes: QUOTA, fsync: false });
    t.owners.set("library", t.owner.address);
    t.owners.setAccount(t.stranger.address, true);
    stranger = basicAuth(t.stranger);
  });
  after(() => t.close());

  /** A key with an account on chain (it received funds once). */
  const fundedKey = async (seed: number): Promise<TestKey> => {
    const k = await testKey(seed);
    t.owners.setAccount(k.address, true);
    return k;
  };
  const post = (auth: string): Promise<Response> => fetch(`${t.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
  const tryBlob = (bytes: Buffer, auth = stranger): Promise<Response> =>
    fetch(`${t.url}/v2/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/octet-stream" }, body: bytes });

  test("under the quota a push is accepted; over it, 403 DENIED naming the quota, and nothing is stored", async () => {
    await pushBlob(t.url, "app", randomBytes(40 * 1024), stranger);
    let before = await snapshotDir(t.dataDir);
    const over = randomBytes(30 * 1024);
    const r = await tryBlob(over);
    assert.equal(r.status, 403);
    assert.match(await r.text(), /"code":"DENIED".*holds 40960 bytes pushed to the open default namespace.*quota of 65536 bytes \(openPushQuotaBytes\)/);
    assert.deepEqual(await snapshotDir(t.dataDir), before, "a declared length over the quota is refused before a session exists");
    assert.equal((await fetch(`${t.url}/v2/app/blobs/${sha256(over)}`, { method: "HEAD" })).status, 404);
    // a streamed PATCH (no length) is cut at the quota and rolled back
    const loc = (await post(stranger)).headers.get("location") ?? "";
    before = await snapshotDir(t.dataDir);
    const streamed = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: { Authorization: stranger, "Content-Type": "application/octet-stream" }, body: new Blob([over]).stream(), duplex: "half" } as RequestInit);
    assert.equal(streamed.status, 403);
    assert.match(await streamed.text(), /openPushQuotaBytes/);
    assert.deepEqual(await snapshotDir(t.dataDir), before, "the chunk was rolled back");
    assert.equal((await fetch(`${t.url}${loc}`, { headers: { Authorization: stranger } })).headers.get("range"), "0-0");
    // what fits still goes in, through the same session
    const fits = randomBytes(24 * 1024);
    assert.equal((await fetch(`${t.url}${loc}?digest=${sha256(fits)}`, { method: "PUT", headers: { Authorization: stranger, "Content-Type": "application/octet-stream" }, body: fits })).status, 201);
    assert.equal((await tryBlob(randomBytes(1))).status, 403, "at the quota, one more byte is refused");
  });

  test("the owner's own pushes never count, and other accounts have their own quota", async () => {
    for (let i = 0; i < 3; i++) await pushBlob(t.url, "app", randomBytes(50 * 1024), t.auth);
    await pushImage(t.url, "app", "owner", t.auth, [randomBytes(50 * 1024)]);
    assert.equal((await tryBlob(randomBytes(1))).status, 403, "the stranger is still at its quota");
    // content the store already holds costs nothing: the stranger may link the owner's blob and tag an image of it
    const owned = await pushImage(t.url, "app", "owned2", t.auth, [randomBytes(10)]);
    assert.equal((await tryBlob(Buffer.from(JSON.stringify({ n: 1 })))).status, 403);
    const again = await fetch(`${t.url}/v2/app/manifests/stranger-tag`, { method: "PUT", headers: { Authorization: stranger, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: owned.manifest });
    assert.equal(again.status, 201);
  });

  test("a manifest over the quota is refused and not stored; a cancelled upload frees the quota", async () => {
    const other = await fundedKey(44);
    const auth = basicAuth(other);
    const owned = await pushImage(t.url, "app", "base", t.auth, [randomBytes(10)]);
    // an upload in progress holds all but 100 bytes of the quota
    const loc = (await post(auth)).headers.get("location") ?? "";
    const held = randomBytes(QUOTA - 100);
    assert.equal((await fetch(`${t.url}${loc}`, { method: "PATCH", headers: { Authorization: auth, "Content-Type": "application/octet-stream" }, body: held })).status, 202);
    const manifest = Buffer.from(JSON.stringify({ ...JSON.parse(owned.manifest.toString()), annotations: { by: "other" } }));
    const put = (): Promise<Response> => fetch(`${t.url}/v2/app/manifests/other`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
    const before = await snapshotDir(t.dataDir);
    const refused = await put();
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /openPushQuotaBytes/);
    assert.deepEqual(await snapshotDir(t.dataDir), before);
    assert.equal((await fetch(`${t.url}/v2/app/manifests/${sha256(manifest)}`, { method: "HEAD" })).status, 404);
    assert.equal((await fetch(`${t.url}${loc}`, { method: "DELETE", headers: { Authorization: auth } })).status, 204);
    assert.equal((await put()).status, 201, "the cancelled upload's bytes no longer count");
  });

  test("content GC removes frees the quota, and the ledger is read back from disk after a restart", async () => {
    const other = await fundedKey(55);
    const auth = basicAuth(other);
    const orphan = randomBytes(QUOTA - 10); // a blob no manifest references
    await pushBlob(t.url, "app", orphan, auth);
    assert.equal((await tryBlob(randomBytes(20), auth)).status, 403);
    // a third account's upload in progress holds all but 100 bytes of its quota across the restart
    const third = basicAuth(await fundedKey(66));
    const owned = await pushImage(t.url, "app", "base2", t.auth, [randomBytes(10)]);
    const loc = (await post(third)).headers.get("location") ?? "";
    assert.equal((await fetch(`${t.url}${loc}`, { method: "PATCH", headers: { Authorization: third, "Content-Type": "application/octet-stream" }, body: randomBytes(QUOTA - 100) })).status, 202);
    const manifest = Buffer.from(JSON.stringify({ ...JSON.parse(owned.manifest.toString()), annotations: { by: "third" } }));
    // a restart over the same data directory: the charge is read back from the store
    await t.reg.close();
    const config = mergeConfig(defaultConfig(), { dataDir: t.dataDir, storage: "filesystem", port: 0, gcIntervalSeconds: 0, service: "trustnet-registry", rateLimitPerSecond: 0, defaultNamespaceOpen: true, openPushQuotaBytes: QUOTA, fsync: false });
    const reg: Registry = await createRegistry(config, { owners: t.owners, logger: pino({ level: "silent" }) });
    try {
      const url = reg.url;
      const putManifest = (): Promise<Response> => fetch(`${url}/v2/app/manifests/third`, { method: "PUT", headers: { Authorization: third, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
      assert.equal((await putManifest()).status, 403, "the first request after the restart sees the session's bytes");
      assert.equal((await fetch(`${url}${loc}`, { method: "DELETE", headers: { Authorization: third } })).status, 204);
      assert.equal((await putManifest()).status, 201);
      const again = (bytes: Buffer): Promise<Response> =>
        fetch(`${url}/v2/app/blobs/uploads/?digest=${sha256(bytes)}`, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/octet-stream" }, body: bytes });
      const refused = await again(randomBytes(20));
      assert.equal(refused.status, 403, "still at the quota after the restart");
      assert.match(await refused.text(), new RegExp(`holds ${QUOTA - 10} bytes`));
      const gc = await reg.gc({ graceMs: 0 });
      assert.ok(gc.deleted.includes(sha256(orphan)), "GC removed the unreferenced blob");
      assert.equal((await again(randomBytes(QUOTA - 10))).status, 201, "what GC removed no longer counts");
    } finally {
      await reg.close();
    }
  });
});
