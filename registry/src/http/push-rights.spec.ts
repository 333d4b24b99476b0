// Issue 11: who may push, and which pushes are recorded on chain. A push needs the namespace's owner or a member,
// through a registry the owner authorised; the default namespace is closed unless opened, and pushes allowed only
// because it is open are stored but never recorded on chain.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { basicAuth, pushBlob, pushImage, sha256, snapshotDir, startTestRegistry, testKey, type TestRegistry } from "../testkit.ts";

describe("push rights (closed default namespace)", () => {
  let t: TestRegistry;
  before(async () => {
    t = await startTestRegistry({ storage: "filesystem" });
  });
  after(() => t.close());

  test("an anonymous or non-owner push to the default namespace is refused and stores nothing", async () => {
    t.owners.set("library", t.owner.address);
    const before = await snapshotDir(t.dataDir);
    const anon = await fetch(`${t.url}/v2/app/blobs/uploads/?digest=sha256:${"0".repeat(64)}`, { method: "POST", body: "x" });
    assert.equal(anon.status, 401);
    const stranger = await fetch(`${t.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(t.stranger) } });
    assert.equal(stranger.status, 403);
    assert.match(await stranger.text(), /neither the owner nor a member of namespace \\"library\\"/);
    assert.deepEqual(await snapshotDir(t.dataDir), before);
    assert.equal(t.recorder.recorded.length, 0);
  });

  test("a member may push and is recorded as the pusher; a removed member may not", async () => {
    const member = await testKey(33);
    t.owners.setMember("acme", member.address, true);
    await pushImage(t.url, "acme/app", "m1", basicAuth(member), [randomBytes(20)]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.recorder.recorded.map((e) => [e.tag, e.pusher]), [["m1", member.address]]);
    t.owners.setMember("acme", member.address, false);
    const r = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(member) } });
    assert.equal(r.status, 403);
  });

  test("once the owner revokes this registry, the next push is refused and nothing is recorded (mid-push too)", async () => {
    const auth = t.auth;
    const layer = randomBytes(50);
    const digest = await pushBlob(t.url, "acme/app", layer, auth);
    const n = t.recorder.recorded.length;
    t.owners.setAuthorized("acme", false);
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest, size: layer.length }, layers: [] });
    const put = await fetch(`${t.url}/v2/acme/app/manifests/revoked`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
    assert.equal(put.status, 403);
    assert.match(await put.text(), /has not authorised this registry/);
    assert.equal((await fetch(`${t.url}/v2/acme/app/manifests/revoked`)).status, 404);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.recorder.recorded.length, n);
    t.owners.setAuthorized("acme", true);
  });
});

describe("the default namespace's two spellings (closed)", () => {
  let t: TestRegistry;
  before(async () => {
    t = await startTestRegistry({ storage: "filesystem" });
  });
  after(() => t.close());

  test("library/app and app are one repository: one store, one tag list, one chain record, one verdict", async () => {
    t.owners.set("library", t.owner.address);
    const first = await pushImage(t.url, "library/app", "1", t.auth, [randomBytes(10)]);
    const second = await pushImage(t.url, "app", "1", t.auth, [randomBytes(10)]);
    // the second push replaced the tag of the first: both names serve it
    for (const name of ["app", "library/app"]) {
      const r = await fetch(`${t.url}/v2/${name}/manifests/1`);
      assert.equal(r.status, 200, name);
      assert.equal(r.headers.get("docker-content-digest"), second.digest, name);
      assert.deepEqual(((await (await fetch(`${t.url}/v2/${name}/tags/list`)).json()) as { tags: string[] }).tags, ["1"], name);
    }
    assert.notEqual(first.digest, second.digest);
    assert.equal((await fetch(`${t.url}/v2/app/manifests/${first.digest}`)).status, 200, "the first push is still there by digest");
    const catalog = (await (await fetch(`${t.url}/v2/_catalog`, { headers: { Authorization: t.auth } })).json()) as { repositories: string[] };
    assert.deepEqual(catalog.repositories.filter((n) => n.endsWith("app")), ["app"]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.recorder.recorded.map((e) => [e.namespace, e.repo, e.tag, e.digest]), [
      ["library", "app", "1", first.digest],
      ["library", "app", "1", second.digest],
    ]);
    // a stranger is refused under either spelling
    for (const name of ["app", "library/app"]) {
      assert.equal((await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(t.stranger) } })).status, 403, name);
    }
    // a mount names the source by either spelling
    const layer = randomBytes(12);
    const digest = await pushBlob(t.url, "app", layer, t.auth);
    t.owners.set("acme", t.owner.address);
    const mounted = await fetch(`${t.url}/v2/acme/other/blobs/uploads/?mount=${digest}&from=library/app`, { method: "POST", headers: { Authorization: t.auth } });
    assert.equal(mounted.status, 201);
  });
});

describe("push rights (default namespace opened by the operator)", () => {
  let t: TestRegistry;
  before(async () => {
    t = await startTestRegistry({ defaultNamespaceOpen: true });
    t.owners.setAccount(t.stranger.address, true); // open pushes need an account on chain (open-push-account.spec.ts)
  });
  after(() => t.close());

  test("anyone authenticated may push a single-component name, but it is never recorded under the namespace's owner", async () => {
    t.owners.set("library", t.owner.address);
    await pushImage(t.url, "app", "1", basicAuth(t.stranger), [randomBytes(10)]);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.recorder.recorded.length, 0);
    // the owner's own push is recorded
    await pushImage(t.url, "app", "2", t.auth, [randomBytes(10)]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.recorder.recorded.map((e) => [e.namespace, e.repo, e.tag, e.pusher]), [["library", "app", "2", t.owner.address]]);
    // anonymous pushes stay refused, anonymous pulls work
    assert.equal((await fetch(`${t.url}/v2/app/blobs/uploads/`, { method: "POST" })).status, 401);
    assert.equal((await fetch(`${t.url}/v2/app/manifests/1`)).status, 200);
  });
  test("an open push may add tags but never move or delete what the owner pushed and recorded; nothing changes", async () => {
    t.owners.set("library", t.owner.address);
    const owned = await pushImage(t.url, "app", "owned", t.auth, [randomBytes(10)]);
    const stranger = basicAuth(t.stranger);
    const theirs = await pushImage(t.url, "app", "theirs", stranger, [randomBytes(10)]);
    await new Promise((r) => setTimeout(r, 20));
    const recorded = t.recorder.recorded.length;
    const deleted = t.recorder.deleted.length;
    const put = (ref: string) => fetch(`${t.url}/v2/app/manifests/${ref}`, { method: "PUT", headers: { Authorization: stranger, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: theirs.manifest });
    const moved = await put("owned");
    assert.equal(moved.status, 403);
    assert.match(await moved.text(), /tag \\"owned\\" of app already names sha256:.*only the namespace's owner and members may move a tag/);
    const byParam = await fetch(`${t.url}/v2/app/manifests/${theirs.digest}?tag=owned`, { method: "PUT", headers: { Authorization: stranger, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: theirs.manifest });
    assert.equal(byParam.status, 403);
    assert.equal((await put("theirs")).status, 201, "re-pushing the same digest under a tag is no move");
    assert.equal((await put("new")).status, 201, "a new tag may be added");
    for (const url of [`/v2/app/manifests/owned`, `/v2/app/manifests/${owned.digest}`, `/v2/app/blobs/${owned.layers[0]}`, `/v2/app/blobs/${owned.config}`]) {
      const del = await fetch(`${t.url}${url}`, { method: "DELETE", headers: { Authorization: stranger } });
      assert.equal(del.status, 403, url);
      assert.match(await del.text(), /in an open default namespace only the namespace's owner and members may delete/);
    }
    const served = await fetch(`${t.url}/v2/app/manifests/owned`);
    assert.equal(served.headers.get("docker-content-digest"), owned.digest, "the tag still names what the owner recorded");
    assert.equal((await fetch(`${t.url}/v2/app/blobs/${owned.layers[0]}`, { method: "HEAD" })).status, 200);
    // the owner (on-chain rights) still moves and deletes tags, and each change is recorded
    const ownerPut = await fetch(`${t.url}/v2/app/manifests/owned`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: theirs.manifest });
    assert.equal(ownerPut.status, 201);
    assert.equal((await fetch(`${t.url}/v2/app/manifests/owned`, { method: "DELETE", headers: { Authorization: t.auth } })).status, 202);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.recorder.recorded.length, recorded + 1);
    assert.deepEqual(t.recorder.deleted.slice(deleted).map((e) => e.tag), ["owned"]);
  });

  test("an open push may not add a referrer (a manifest with a subject) to what the owner pushed; the owner may", async () => {
    t.owners.set("library", t.owner.address);
    const owned = await pushImage(t.url, "app", "signed", t.auth, [randomBytes(10)]);
    const subject = { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: owned.digest, size: owned.manifest.length };
    const referrers = async (): Promise<unknown[]> => ((await (await fetch(`${t.url}/v2/app/referrers/${owned.digest}`)).json()) as { manifests: unknown[] }).manifests;
    // the stranger's blobs go in first (an open push may add them), then the manifest naming the owner's image
    const theirs = await pushImage(t.url, "app", "unrelated", basicAuth(t.stranger), [randomBytes(10)]);
    const body = Buffer.from(JSON.stringify({ ...JSON.parse(theirs.manifest.toString()), artifactType: "application/vnd.example.sbom", subject }));
    for (const ref of [sha256(body), "fake-sbom"]) {
      const r = await fetch(`${t.url}/v2/app/manifests/${ref}`, { method: "PUT", headers: { Authorization: basicAuth(t.stranger), "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body });
      assert.equal(r.status, 403, ref);
      assert.match(await r.text(), /only the namespace's owner and members may push a manifest with a subject/);
    }
    assert.deepEqual(await referrers(), [], "nothing was added to the owner's image");
    assert.equal((await fetch(`${t.url}/v2/app/manifests/${sha256(body)}`, { method: "HEAD" })).status, 404);
    const byOwner = await fetch(`${t.url}/v2/app/manifests/${sha256(body)}`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body });
    assert.equal(byOwner.status, 201);
    assert.equal(byOwner.headers.get("oci-subject"), owned.digest);
    assert.equal((await referrers()).length, 1);
  });
});

describe("manifest push options", () => {
  let t: TestRegistry;
  before(async () => {
    t = await startTestRegistry();
  });
  after(() => t.close());

  test("sparse manifests are refused by default; ?tag= tags a push by digest and answers OCI-Tag; each tag is recorded", async () => {
    const cfg = Buffer.from("{}");
    const config = await pushBlob(t.url, "acme/sparse", cfg, t.auth);
    const missing = `sha256:${"1".repeat(64)}`;
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: cfg.length }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: missing, size: 5 }] }));
    const put = (ref: string) => fetch(`${t.url}/v2/acme/sparse/manifests/${ref}`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
    const sparse = await put("s1");
    assert.equal(sparse.status, 400);
    assert.match(await sparse.text(), /MANIFEST_BLOB_UNKNOWN/);
    const img = await pushImage(t.url, "acme/app", "base", t.auth, [randomBytes(10)]);
    const n = t.recorder.recorded.length;
    const byDigest = await fetch(`${t.url}/v2/acme/app/manifests/${img.digest}?tag=a&tag=b`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: img.manifest });
    assert.equal(byDigest.status, 201);
    assert.equal(byDigest.headers.get("oci-tag"), "a,b");
    for (const tag of ["a", "b"]) assert.equal((await fetch(`${t.url}/v2/acme/app/manifests/${tag}`, { method: "HEAD" })).headers.get("docker-content-digest"), img.digest);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.recorder.recorded.slice(n).map((e) => e.tag), ["a", "b"]);
    const bad = await fetch(`${t.url}/v2/acme/app/manifests/${img.digest}?tag=-bad`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: img.manifest });
    assert.equal(bad.status, 400);
  });
});
