// The referrers API answers a page at a time (at most 100 descriptors, Link rel="next" to the rest, as
// distribution-spec v1.1 describes), and a descriptor carries at most 16 KiB of its manifest's annotations.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { pushBlob, sha256, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
let cfg: string;
const subject = sha256(Buffer.from("the subject"));
before(async () => {
  t = await startTestRegistry({ sparseManifests: true });
  cfg = await pushBlob(t.url, "acme/refs", Buffer.from("{}"), t.auth);
});
after(async () => {
  await t.close();
});

async function pushReferrer(annotations: Record<string, string>, artifactType = "application/x-sig"): Promise<string> {
  const m = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType,
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: cfg, size: 2 }, layers: [],
    subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: subject, size: 1 }, annotations,
  }));
  const d = sha256(m);
  const r = await fetch(`${t.url}/v2/acme/refs/manifests/${d}`, { method: "PUT", headers: { Authorization: t.auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, body: m });
  assert.equal(r.status, 201);
  return d;
}

type Index = { manifests: { digest: string; annotations?: Record<string, string> }[] };

test("250 referrers come in pages of at most 100, linked with rel=\"next\", each exactly once", async () => {
  const pushed = new Set<string>();
  for (let i = 0; i < 250; i++) pushed.add(await pushReferrer({ i: String(i) }));
  const seen: string[] = [];
  let next: string | undefined = `/v2/acme/refs/referrers/${subject}`;
  const sizes: number[] = [];
  while (next !== undefined) {
    const r = await fetch(`${t.url}${next}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/vnd.oci.image.index.v1+json");
    const body = (await r.json()) as Index;
    sizes.push(body.manifests.length);
    seen.push(...body.manifests.map((m) => m.digest));
    const link = r.headers.get("link");
    next = link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    if (link !== null) assert.ok(next?.startsWith(`/v2/acme/refs/referrers/${subject}?`), link);
  }
  assert.deepEqual(sizes, [100, 100, 50]);
  assert.equal(seen.length, 250);
  assert.deepEqual(new Set(seen), pushed);
  const small = await fetch(`${t.url}/v2/acme/refs/referrers/${subject}?n=10`);
  assert.equal(((await small.json()) as Index).manifests.length, 10);
  assert.match(small.headers.get("link") ?? "", /[?&]n=10&last=sha256%3A[0-9a-f]{64}>; rel="next"$/);
  assert.equal((await fetch(`${t.url}/v2/acme/refs/referrers/${subject}?n=0`)).status, 400);
  assert.equal((await fetch(`${t.url}/v2/acme/refs/referrers/${subject}?last=nope`)).status, 400);
});

test("a referrer descriptor carries small annotations and leaves out one that is too large", async () => {
  const d = await pushReferrer({ "org.example.big": "x".repeat(1024 * 1024), "org.example.small": "kept" }, "application/x-big");
  const r = await fetch(`${t.url}/v2/acme/refs/referrers/${subject}?artifactType=application/x-big`);
  const body = (await r.json()) as Index;
  assert.equal(body.manifests.length, 1);
  assert.equal(body.manifests[0]?.digest, d);
  assert.deepEqual(body.manifests[0]?.annotations, { "org.example.small": "kept" });
  assert.ok(Buffer.byteLength(JSON.stringify(body)) < 20 * 1024);
});
