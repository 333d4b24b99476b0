// Spec-level workflow checks of distribution-spec v1.1.1, written from the spec text: the same four categories
// as the official suite (pull, push, content discovery, content management), with cross-repository mount.
// Each check takes the registry URL, two repository names in a namespace the caller owns, and an Authorization header.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";

export interface Target {
  readonly url: string;
  readonly repo: string;
  readonly crossRepo: string;
  readonly auth: string;
}

export interface Check {
  readonly category: "pull" | "push" | "content discovery" | "content management";
  readonly name: string;
  run(t: Target, s: Shared): Promise<void>;
}

/** State passed between checks of one run (pushed digests). */
export interface Shared {
  config: { bytes: Buffer; digest: string };
  layer: { bytes: Buffer; digest: string };
  manifest: { bytes: Buffer; digest: string };
  tags: string[];
}

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

export function digestOf(b: Buffer): string {
  return `sha256:${createHash("sha256").update(b).digest("hex")}`;
}

function h(t: Target, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: t.auth, ...extra };
}

async function errCode(r: Response): Promise<string | undefined> {
  return ((await r.json()) as { errors?: { code: string }[] }).errors?.[0]?.code;
}

export function newShared(): Shared {
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, nonce: randomBytes(8).toString("hex") }));
  const layer = randomBytes(4096);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: digestOf(config), size: config.length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: digestOf(layer), size: layer.length }],
  }));
  return {
    config: { bytes: config, digest: digestOf(config) },
    layer: { bytes: layer, digest: digestOf(layer) },
    manifest: { bytes: manifest, digest: digestOf(manifest) },
    tags: ["tagtest0", "tagtest1", "tagtest2", "tagtest3"],
  };
}

async function postPut(t: Target, repo: string, bytes: Buffer): Promise<Response> {
  const post = await fetch(`${t.url}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: h(t) });
  assert.equal(post.status, 202);
  const loc = new URL(post.headers.get("location") ?? "", t.url);
  loc.searchParams.set("digest", digestOf(bytes));
  return fetch(loc, { method: "PUT", headers: h(t, { "Content-Type": "application/octet-stream" }), body: bytes });
}

export const CHECKS: readonly Check[] = [
  // ---- push
  { category: "push", name: "GET /v2/ with credentials is 200", run: async (t) => {
    assert.equal((await fetch(`${t.url}/v2/`, { headers: h(t) })).status, 200);
  } },
  { category: "push", name: "POST then PUT a blob (201, Location)", run: async (t, s) => {
    const r = await postPut(t, t.repo, s.config.bytes);
    assert.equal(r.status, 201);
    assert.ok(r.headers.get("location"));
  } },
  { category: "push", name: "monolithic POST ?digest= (201 or 202)", run: async (t, s) => {
    const r = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/?digest=${s.layer.digest}`, { method: "POST", headers: h(t, { "Content-Type": "application/octet-stream" }), body: s.layer.bytes });
    assert.equal(r.status, 201);
  } },
  { category: "push", name: "streamed PATCH then PUT", run: async (t) => {
    const data = randomBytes(70_000);
    const post = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/`, { method: "POST", headers: h(t) });
    const loc = new URL(post.headers.get("location") ?? "", t.url);
    const p = await fetch(loc, { method: "PATCH", headers: h(t, { "Content-Type": "application/octet-stream" }), body: data });
    assert.equal(p.status, 202);
    const next = new URL(p.headers.get("location") ?? "", t.url);
    next.searchParams.set("digest", digestOf(data));
    assert.equal((await fetch(next, { method: "PUT", headers: h(t) })).status, 201);
  } },
  { category: "push", name: "chunked PATCH: Range after each chunk, 416 for a repeated or out-of-order chunk, 204 status", run: async (t) => {
    const data = randomBytes(30_000);
    const post = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/`, { method: "POST", headers: h(t, { "Content-Length": "0" }) });
    let loc = new URL(post.headers.get("location") ?? "", t.url);
    const first = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/`, { method: "POST", headers: h(t) });
    const wrong = await fetch(new URL(first.headers.get("location") ?? "", t.url), { method: "PATCH", headers: h(t, { "Content-Range": "10-19", "Content-Type": "application/octet-stream" }), body: data.subarray(10, 20) });
    assert.equal(wrong.status, 416);
    const c1 = await fetch(loc, { method: "PATCH", headers: h(t, { "Content-Range": "0-19999", "Content-Type": "application/octet-stream" }), body: data.subarray(0, 20_000) });
    assert.equal(c1.status, 202);
    assert.equal(c1.headers.get("range"), "0-19999");
    loc = new URL(c1.headers.get("location") ?? "", t.url);
    const again = await fetch(loc, { method: "PATCH", headers: h(t, { "Content-Range": "0-19999", "Content-Type": "application/octet-stream" }), body: data.subarray(0, 20_000) });
    assert.equal(again.status, 416);
    const st = await fetch(loc, { headers: h(t) });
    assert.equal(st.status, 204);
    assert.equal(st.headers.get("range"), "0-19999");
    assert.ok(st.headers.get("location"));
    const c2 = await fetch(loc, { method: "PATCH", headers: h(t, { "Content-Range": "20000-29999", "Content-Type": "application/octet-stream" }), body: data.subarray(20_000) });
    assert.equal(c2.headers.get("range"), "0-29999");
    const done = new URL(c2.headers.get("location") ?? "", t.url);
    done.searchParams.set("digest", digestOf(data));
    assert.equal((await fetch(done, { method: "PUT", headers: h(t) })).status, 201);
  } },
  { category: "push", name: "cross-repository mount: 201 with Location /v2/<cross>/blobs/<digest>", run: async (t, s) => {
    const r = await fetch(`${t.url}/v2/${t.crossRepo}/blobs/uploads/?mount=${s.layer.digest}&from=${t.repo}`, { method: "POST", headers: h(t) });
    assert.equal(r.status, 201);
    assert.equal(new URL(r.headers.get("location") ?? "", t.url).pathname, `/v2/${t.crossRepo}/blobs/${s.layer.digest}`);
    assert.equal((await fetch(`${t.url}/v2/${t.crossRepo}/blobs/${s.layer.digest}`, { method: "HEAD", headers: h(t) })).status, 200);
  } },
  { category: "push", name: "mount without from, or of an unknown blob: 202 with a session", run: async (t) => {
    const dummy = digestOf(randomBytes(16));
    for (const q of [`mount=${dummy}`, `mount=${dummy}&from=${t.repo}`]) {
      const r = await fetch(`${t.url}/v2/${t.crossRepo}/blobs/uploads/?${q}`, { method: "POST", headers: h(t) });
      assert.equal(r.status, 202);
      assert.ok(r.headers.get("location"));
    }
  } },
  { category: "push", name: "invalid digest format is rejected with 400", run: async (t) => {
    const r = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/?digest=sha256:nope`, { method: "POST", headers: h(t), body: "x" });
    assert.equal(r.status, 400);
    assert.equal(await errCode(r), "DIGEST_INVALID");
  } },
  { category: "push", name: "manifest PUT to four tags and by digest (201, Docker-Content-Digest)", run: async (t, s) => {
    for (const ref of [...s.tags, s.manifest.digest]) {
      const r = await fetch(`${t.url}/v2/${t.repo}/manifests/${ref}`, { method: "PUT", headers: h(t, { "Content-Type": OCI_MANIFEST }), body: s.manifest.bytes });
      assert.equal(r.status, 201, ref);
      assert.equal(r.headers.get("docker-content-digest"), s.manifest.digest);
      assert.ok(r.headers.get("location"));
    }
  } },
  { category: "push", name: "a manifest with no layers is accepted", run: async (t, s) => {
    const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: s.config.digest, size: s.config.bytes.length }, layers: [] }));
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/emptylayers`, { method: "PUT", headers: h(t, { "Content-Type": OCI_MANIFEST }), body: m })).status, 201);
  } },
  // ---- pull
  { category: "pull", name: "HEAD/GET blob: Content-Length, Docker-Content-Digest, bytes", run: async (t, s) => {
    const head = await fetch(`${t.url}/v2/${t.repo}/blobs/${s.layer.digest}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(s.layer.bytes.length));
    assert.equal(head.headers.get("docker-content-digest"), s.layer.digest);
    const get = await fetch(`${t.url}/v2/${t.repo}/blobs/${s.layer.digest}`);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), s.layer.bytes);
  } },
  { category: "pull", name: "unknown blob: 404 BLOB_UNKNOWN", run: async (t) => {
    const r = await fetch(`${t.url}/v2/${t.repo}/blobs/${digestOf(randomBytes(8))}`);
    assert.equal(r.status, 404);
    assert.equal(await errCode(r), "BLOB_UNKNOWN");
  } },
  { category: "pull", name: "blob Range requests (206, clamped, 416)", run: async (t, s) => {
    const r = await fetch(`${t.url}/v2/${t.repo}/blobs/${s.layer.digest}`, { headers: { Range: "bytes=100-199" } });
    assert.equal(r.status, 206);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), s.layer.bytes.subarray(100, 200));
    const clamp = await fetch(`${t.url}/v2/${t.repo}/blobs/${s.layer.digest}`, { headers: { Range: "bytes=4000-9999" } });
    assert.equal(clamp.status, 206);
    assert.equal(clamp.headers.get("content-range"), "bytes 4000-4095/4096");
    await clamp.arrayBuffer();
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/blobs/${s.layer.digest}`, { headers: { Range: "bytes=5000-6000" } })).status, 416);
  } },
  { category: "pull", name: "HEAD/GET manifest by tag and digest, byte-exact with Content-Type", run: async (t, s) => {
    for (const ref of [s.tags[0] as string, s.manifest.digest]) {
      const head = await fetch(`${t.url}/v2/${t.repo}/manifests/${ref}`, { method: "HEAD", headers: { Accept: OCI_MANIFEST } });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get("docker-content-digest"), s.manifest.digest);
      assert.equal(head.headers.get("content-length"), String(s.manifest.bytes.length));
      const get = await fetch(`${t.url}/v2/${t.repo}/manifests/${ref}`, { headers: { Accept: OCI_MANIFEST } });
      assert.equal(get.headers.get("content-type"), OCI_MANIFEST);
      assert.deepEqual(Buffer.from(await get.arrayBuffer()), s.manifest.bytes);
    }
  } },
  { category: "pull", name: "unknown manifest: 404 MANIFEST_UNKNOWN", run: async (t) => {
    const r = await fetch(`${t.url}/v2/${t.repo}/manifests/nosuchtag`);
    assert.equal(r.status, 404);
    assert.equal(await errCode(r), "MANIFEST_UNKNOWN");
  } },
  // ---- content discovery
  { category: "content discovery", name: "tags list, n and last, Link", run: async (t, s) => {
    const all = (await (await fetch(`${t.url}/v2/${t.repo}/tags/list`)).json()) as { name: string; tags: string[] };
    assert.equal(all.name, t.repo);
    for (const tag of s.tags) assert.ok(all.tags.includes(tag));
    assert.deepEqual([...all.tags].sort(), all.tags);
    const page = await fetch(`${t.url}/v2/${t.repo}/tags/list?n=2`);
    const p = (await page.json()) as { tags: string[] };
    assert.deepEqual(p.tags, all.tags.slice(0, 2));
    assert.match(page.headers.get("link") ?? "", /rel="next"/);
    const after = (await (await fetch(`${t.url}/v2/${t.repo}/tags/list?n=2&last=${p.tags[1] ?? ""}`)).json()) as { tags: string[] };
    assert.deepEqual(after.tags, all.tags.slice(2, 4));
  } },
  { category: "content discovery", name: "referrers: empty index for an unknown digest, artifacts listed, artifactType filter", run: async (t, s) => {
    const none = await fetch(`${t.url}/v2/${t.repo}/referrers/${digestOf(randomBytes(8))}`);
    assert.equal(none.status, 200);
    assert.equal(none.headers.get("content-type"), OCI_INDEX);
    const empty = Buffer.from("{}");
    assert.equal((await postPut(t, t.repo, empty)).status, 201);
    const types = ["application/vnd.example.sbom", "application/vnd.example.sig", "application/vnd.example.sig"];
    for (const [i, artifactType] of types.entries()) {
      const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType, config: { mediaType: "application/vnd.oci.empty.v1+json", digest: digestOf(empty), size: 2 }, layers: [], subject: { mediaType: OCI_MANIFEST, digest: s.manifest.digest, size: s.manifest.bytes.length }, annotations: { "org.example.n": String(i) } }));
      const r = await fetch(`${t.url}/v2/${t.repo}/manifests/${digestOf(m)}`, { method: "PUT", headers: h(t, { "Content-Type": OCI_MANIFEST }), body: m });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("oci-subject"), s.manifest.digest);
    }
    const all = (await (await fetch(`${t.url}/v2/${t.repo}/referrers/${s.manifest.digest}`)).json()) as { manifests: { annotations?: Record<string, string> }[] };
    assert.equal(all.manifests.length, 3);
    assert.ok(all.manifests.every((d) => d.annotations?.["org.example.n"] !== undefined));
    const f = await fetch(`${t.url}/v2/${t.repo}/referrers/${s.manifest.digest}?artifactType=application/vnd.example.sig`);
    assert.equal(f.headers.get("oci-filters-applied"), "artifactType");
    assert.equal(((await f.json()) as { manifests: unknown[] }).manifests.length, 2);
  } },
  { category: "content discovery", name: "catalog lists both repositories", run: async (t) => {
    const c = (await (await fetch(`${t.url}/v2/_catalog`, { headers: h(t) })).json()) as { repositories: string[] };
    assert.ok(c.repositories.includes(t.repo) && c.repositories.includes(t.crossRepo));
  } },
  // ---- content management
  { category: "content management", name: "DELETE a tag, then the manifest by digest; both 404 after", run: async (t, s) => {
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/${s.tags[3] ?? ""}`, { method: "DELETE", headers: h(t) })).status, 202);
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/${s.tags[3] ?? ""}`)).status, 404);
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/${s.tags[0] ?? ""}`)).status, 200);
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/${s.manifest.digest}`, { method: "DELETE", headers: h(t) })).status, 202);
    assert.equal((await fetch(`${t.url}/v2/${t.repo}/manifests/${s.manifest.digest}`)).status, 404);
    const tags = (await (await fetch(`${t.url}/v2/${t.repo}/tags/list`)).json()) as { tags: string[] };
    for (const tag of s.tags) assert.ok(!tags.tags.includes(tag));
  } },
  { category: "content management", name: "DELETE blobs (202), then 404", run: async (t, s) => {
    for (const d of [s.layer.digest, s.config.digest]) {
      assert.equal((await fetch(`${t.url}/v2/${t.repo}/blobs/${d}`, { method: "DELETE", headers: h(t) })).status, 202);
      assert.equal((await fetch(`${t.url}/v2/${t.repo}/blobs/${d}`)).status, 404);
    }
    assert.equal((await fetch(`${t.url}/v2/${t.crossRepo}/blobs/${s.layer.digest}`, { method: "HEAD" })).status, 200, "still mounted elsewhere");
  } },
  { category: "content management", name: "upload cancel: DELETE <location> is 204 and the session is gone", run: async (t) => {
    const post = await fetch(`${t.url}/v2/${t.repo}/blobs/uploads/`, { method: "POST", headers: h(t) });
    const loc = new URL(post.headers.get("location") ?? "", t.url);
    assert.equal((await fetch(loc, { method: "DELETE", headers: h(t) })).status, 204);
    const r = await fetch(loc, { headers: h(t) });
    assert.equal(r.status, 404);
    assert.equal(await errCode(r), "BLOB_UPLOAD_UNKNOWN");
  } },
];
