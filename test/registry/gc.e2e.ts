// Online GC on the filesystem driver while a push is in progress: the push completes and pulls back intact,
// referenced blobs stay, unreferenced blobs older than the grace period are gone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createRegistry, defaultConfig, InMemoryNamespaceOwners, mergeConfig, type Registry } from "../../registry/src/index.ts";
import { basicAuth, pushBlob, pushImage, sha256, testKey } from "../../registry/src/testkit.ts";

let dir: string;
let reg: Registry;
let auth: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tn-gc-e2e-"));
  const owner = await testKey(51);
  auth = basicAuth(owner);
  const config = mergeConfig(defaultConfig(), { dataDir: dir, storage: "filesystem", port: 0, gcGraceSeconds: 2, gcIntervalSeconds: 0, service: "trustnet-registry" });
  reg = await createRegistry(config, { owners: new InMemoryNamespaceOwners({ acme: owner.address }), logger: pino({ level: "silent" }) });
});
after(async () => {
  await reg.close();
  await rm(dir, { recursive: true, force: true });
});

function blobFile(digest: string): string {
  const hex = digest.slice(7);
  return join(dir, "store", "blobs", "sha256", hex.slice(0, 2), hex, "data");
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

test("GC during a push: the push completes, old garbage is gone, referenced blobs stay", async () => {
  const orphan = await pushBlob(reg.url, "acme/app", randomBytes(4096), auth);
  const dropped = await pushImage(reg.url, "acme/app", "old", auth, [randomBytes(8192)]);
  assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/${dropped.digest}`, { method: "DELETE", headers: { Authorization: auth } })).status, 202);
  const kept = await pushImage(reg.url, "acme/app", "kept", auth, [randomBytes(8192)]);
  await sleep(2500); // everything so far is older than the 2 s grace period

  // A push in progress: one layer done (young, not yet referenced), the second half streamed.
  const l1 = randomBytes(1 << 20);
  const l1d = await pushBlob(reg.url, "acme/app", l1, auth);
  const l2 = randomBytes(8 << 20);
  const l2d = sha256(l2);
  const post = await fetch(`${reg.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
  const location = post.headers.get("location") ?? "";
  const port = Number(new URL(reg.url).port);
  const patched = new Promise<number>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "PATCH", path: location, headers: { Authorization: auth, "Content-Length": String(l2.length) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.write(l2.subarray(0, l2.length / 2));
    setTimeout(() => req.end(l2.subarray(l2.length / 2)), 500);
  });
  await sleep(100);
  const report = await reg.gc();
  assert.equal(await patched, 202);

  const garbage = [orphan, dropped.digest, dropped.config, ...dropped.layers];
  for (const g of garbage) {
    assert.ok(report.deleted.includes(g), `${g} collected`);
    assert.equal(await exists(blobFile(g)), false);
  }
  for (const k of [kept.digest, kept.config, ...kept.layers, l1d]) {
    assert.ok(!report.deleted.includes(k), `${k} kept`);
    assert.equal(await exists(blobFile(k)), true);
  }
  assert.ok(report.keptYoung >= 1);
  assert.equal((await fetch(`${reg.url}/v2/acme/app/blobs/${orphan}`, { method: "HEAD" })).status, 404);

  // Finish the push and pull it back.
  const put = await fetch(`${reg.url}${location}?digest=${l2d}`, { method: "PUT", headers: { Authorization: auth } });
  assert.equal(put.status, 201);
  const cfg = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
  const cfgd = await pushBlob(reg.url, "acme/app", cfg, auth);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfgd, size: cfg.length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: l1d, size: l1.length }, { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: l2d, size: l2.length }],
  }));
  const mput = await fetch(`${reg.url}/v2/acme/app/manifests/new`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
  assert.equal(mput.status, 201, await mput.text());
  await reg.gc();
  for (const [d, bytes] of [[l1d, l1], [l2d, l2], [cfgd, cfg]] as const) {
    const r = await fetch(`${reg.url}/v2/acme/app/blobs/${d}`);
    assert.equal(r.status, 200);
    assert.equal(`sha256:${createHash("sha256").update(Buffer.from(await r.arrayBuffer())).digest("hex")}`, d);
    assert.equal(bytes.length, Number(r.headers.get("content-length")));
  }
  const m = await fetch(`${reg.url}/v2/acme/app/manifests/new`);
  assert.deepEqual(Buffer.from(await m.arrayBuffer()), manifest);
  assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/kept`)).status, 200);
});
