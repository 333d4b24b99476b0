// Anonymous mount (POST …/blobs/uploads/?mount=<digest> without `from`) on the filesystem store: only a blob some
// repository still links as a blob is mounted; one deleted everywhere, or a manifest's bytes, starts a session.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { basicAuth, pushImage, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
before(async () => {
  t = await startTestRegistry({ storage: "filesystem" });
});
after(async () => {
  await t.close();
});

async function mount(name: string, digest: string): Promise<Response> {
  return fetch(`${t.url}/v2/${name}/blobs/uploads/?mount=${digest}`, { method: "POST", headers: { Authorization: basicAuth(t.stranger) } });
}

test("a blob deleted from every repository cannot be mounted back without `from`", async () => {
  const img = await pushImage(t.url, "acme/secret", "v1", t.auth, [Buffer.from(`AWS_SECRET_ACCESS_KEY=${randomBytes(8).toString("hex")}`)]);
  const layer = img.layers[0] as string;
  assert.equal((await fetch(`${t.url}/v2/acme/secret/manifests/${img.digest}`, { method: "DELETE", headers: { Authorization: t.auth } })).status, 202);
  assert.equal((await fetch(`${t.url}/v2/acme/secret/blobs/${layer}`, { method: "DELETE", headers: { Authorization: t.auth } })).status, 202);
  const r = await mount("other/loot", layer);
  assert.equal(r.status, 202, "a normal upload session, not a mount");
  assert.match(r.headers.get("location") ?? "", /^\/v2\/other\/loot\/blobs\/uploads\//);
  assert.equal((await fetch(`${t.url}/v2/other/loot/blobs/${layer}`)).status, 404);
});

test("a manifest's bytes are never mounted as a blob", async () => {
  const img = await pushImage(t.url, "acme/app", "v1", t.auth, [randomBytes(32)]);
  const r = await mount("other/loot", img.digest);
  assert.equal(r.status, 202);
  assert.equal((await fetch(`${t.url}/v2/other/loot/blobs/${img.digest}`)).status, 404);
});

test("a blob still linked in some repository is mounted (201) and served from the new one", async () => {
  const img = await pushImage(t.url, "acme/kept", "v1", t.auth, [randomBytes(32)]);
  const layer = img.layers[0] as string;
  const r = await mount("other/copy", layer);
  assert.equal(r.status, 201);
  assert.equal(r.headers.get("location"), `/v2/other/copy/blobs/${layer}`);
  assert.equal((await fetch(`${t.url}/v2/other/copy/blobs/${layer}`, { method: "HEAD" })).status, 200);
});
