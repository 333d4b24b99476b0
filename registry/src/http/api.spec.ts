// Handlers through a real HTTP server on port 0 with the in-memory driver.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { basicAuth, pushBlob, pushImage, sha256, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
before(async () => {
  t = await startTestRegistry();
});
after(async () => {
  await t.close();
});

const H = (extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: t.auth, ...extra });

describe("base, health, auth flow", () => {
  test("GET /v2/ challenges anonymous callers and accepts credentials", async () => {
    const anon = await fetch(`${t.url}/v2/`);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get("www-authenticate") ?? "", /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="trustnet-registry"$/);
    assert.equal(anon.headers.get("docker-distribution-api-version"), "registry/2.0");
    const ok = await fetch(`${t.url}/v2/`, { headers: H() });
    assert.equal(ok.status, 200);
  });

  test("token endpoint issues bearer tokens for Basic login tokens and anonymous pull tokens", async () => {
    const r = await fetch(`${t.url}/token?service=trustnet-registry&scope=repository:acme/app:push,pull`, { headers: H() });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    assert.equal(body.token, body.access_token);
    assert.ok(body.expires_in >= 60);
    assert.ok(!Number.isNaN(Date.parse(body.issued_at)));
    assert.equal((await fetch(`${t.url}/v2/`, { headers: { Authorization: `Bearer ${body.token}` } })).status, 200);
    const anon = (await (await fetch(`${t.url}/token?service=trustnet-registry&scope=repository:acme/app:pull`)).json()) as { token: string };
    assert.equal((await fetch(`${t.url}/v2/`, { headers: { Authorization: `Bearer ${anon.token}` } })).status, 401);
    const form = await fetch(`${t.url}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: t.owner.address, password: basicAuthPassword(), service: "trustnet-registry" }).toString(),
    });
    assert.equal(form.status, 200);
  });

  test("push needs credentials: 401 with a scoped Bearer challenge", async () => {
    const r = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST" });
    assert.equal(r.status, 401);
    assert.match(r.headers.get("www-authenticate") ?? "", /scope="repository:acme\/app:push,pull"/);
    assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAUTHORIZED");
  });

  test("the 401's error (RFC 6750): insufficient_scope for a valid anonymous token, invalid_token for a refused one", async () => {
    const anon = ((await (await fetch(`${t.url}/token?service=trustnet-registry&scope=repository:acme/app:push,pull`)).json()) as { token: string }).token;
    const push = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${anon}` } });
    assert.equal(push.status, 401);
    assert.equal(push.headers.get("www-authenticate"), `Bearer realm="${t.url}/token",service="trustnet-registry",scope="repository:acme/app:push,pull",error="insufficient_scope"`);
    assert.equal(((await push.json()) as { errors: { code: string }[] }).errors[0]?.code, "UNAUTHORIZED");
    const ping = await fetch(`${t.url}/v2/`, { headers: { Authorization: `Bearer ${anon}` } });
    assert.match(ping.headers.get("www-authenticate") ?? "", /,error="insufficient_scope"$/);
    const [payload] = anon.split(".");
    const forged = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${payload}.${Buffer.alloc(32).toString("base64url")}` } });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get("www-authenticate") ?? "", /,error="invalid_token"$/);
    const none = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST" });
    assert.doesNotMatch(none.headers.get("www-authenticate") ?? "", /error=/, "no credentials, no error");
  });

  test("push to a namespace owned by someone else is DENIED; unowned namespace too", async () => {
    for (const name of ["other/app", "nobody/app"]) {
      const r = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: H() });
      assert.equal(r.status, 403, name);
      assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0]?.code, "DENIED");
    }
  });

  test("single-component names go to the default namespace, which is closed by default", async () => {
    const r = await fetch(`${t.url}/v2/app/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(t.stranger) } });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /namespace \\"library\\" is not claimed/);
    const anon = await fetch(`${t.url}/v2/app/blobs/uploads/`, { method: "POST" });
    assert.equal(anon.status, 401);
  });

  test("GET /health reports storage, chain and version", async () => {
    const r = await fetch(`${t.url}/health`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: "ok", storage: { ok: true, driver: "inmemory" }, chain: { reachable: false }, version: "0.1.0" });
  });
});

function basicAuthPassword(): string {
  return Buffer.from(t.auth.slice(6), "base64").toString().split(":")[1] as string;
}

describe("blobs and uploads", () => {
  test("monolithic POST, HEAD, GET, anonymous pull, Range", async () => {
    const data = randomBytes(3001);
    const d = await pushBlob(t.url, "acme/blobs", data, t.auth);
    const head = await fetch(`${t.url}/v2/acme/blobs/blobs/${d}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "3001");
    assert.equal(head.headers.get("docker-content-digest"), d);
    const get = await fetch(`${t.url}/v2/acme/blobs/blobs/${d}`);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
    const cases: [string, number, string | undefined, number][] = [
      ["bytes=500-1499", 206, "bytes 500-1499/3001", 1000],
      ["bytes=500-", 206, "bytes 500-3000/3001", 2501],
      ["bytes=-500", 206, "bytes 2501-3000/3001", 500],
      ["bytes=2000-5000", 206, "bytes 2000-3000/3001", 1001],
      ["bytes=500-0", 416, "bytes */3001", -1],
      ["bytes=5000-10000", 416, "bytes */3001", -1],
    ];
    for (const [range, status, cr, len] of cases) {
      const r = await fetch(`${t.url}/v2/acme/blobs/blobs/${d}`, { headers: { Range: range } });
      assert.equal(r.status, status, range);
      assert.equal(r.headers.get("content-range") ?? undefined, cr, range);
      const body = Buffer.from(await r.arrayBuffer());
      if (len >= 0) {
        assert.equal(body.length, len);
        const m = /bytes (\d+)-/.exec(cr ?? "");
        assert.deepEqual(body, data.subarray(Number(m?.[1]), Number(m?.[1]) + len));
      }
    }
  });

  test("Range with an unknown unit or a syntax error is ignored (200, whole blob); a 416 is not BLOB_UNKNOWN", async () => {
    const data = randomBytes(100);
    const d = await pushBlob(t.url, "acme/ranges", data, t.auth);
    for (const range of ["items=0-5", "bytes=abc", "bytes=-", "bytes=1-2,", "bytes = 0-5"]) {
      const r = await fetch(`${t.url}/v2/acme/ranges/blobs/${d}`, { headers: { Range: range } });
      assert.equal(r.status, 200, range);
      assert.equal(r.headers.get("content-range"), null, range);
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), data, range);
    }
    const r = await fetch(`${t.url}/v2/acme/ranges/blobs/${d}`, { headers: { Range: "bytes=200-300" } });
    assert.equal(r.status, 416);
    assert.equal(r.headers.get("content-range"), "bytes */100");
    const code = ((await r.json()) as { errors: { code: string }[] }).errors[0]?.code;
    assert.notEqual(code, "BLOB_UNKNOWN");
    assert.equal(code, "RANGE_INVALID");
  });

  test("POST then PUT with body; another repo cannot read it until mounted", async () => {
    const data = randomBytes(1000);
    const d = sha256(data);
    const post = await fetch(`${t.url}/v2/acme/two/blobs/uploads/`, { method: "POST", headers: H() });
    assert.equal(post.status, 202);
    const loc = post.headers.get("location") ?? "";
    assert.match(loc, /^\/v2\/acme\/two\/blobs\/uploads\/[0-9a-f-]{36}$/);
    const put = await fetch(`${t.url}${loc}?digest=${d}`, { method: "PUT", headers: H({ "Content-Type": "application/octet-stream" }), body: data });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get("location"), `/v2/acme/two/blobs/${d}`);
    assert.equal(put.headers.get("docker-content-digest"), d);
    assert.equal((await fetch(`${t.url}/v2/acme/three/blobs/${d}`, { method: "HEAD" })).status, 404);
    const mount = await fetch(`${t.url}/v2/acme/three/blobs/uploads/?mount=${d}&from=acme/two`, { method: "POST", headers: H() });
    assert.equal(mount.status, 201);
    assert.equal(mount.headers.get("location"), `/v2/acme/three/blobs/${d}`);
    assert.equal((await fetch(`${t.url}/v2/acme/three/blobs/${d}`, { method: "HEAD" })).status, 200);
    const noMount = await fetch(`${t.url}/v2/acme/four/blobs/uploads/?mount=${sha256(Buffer.from("missing"))}&from=acme/two`, { method: "POST", headers: H() });
    assert.equal(noMount.status, 202);
    assert.ok(noMount.headers.get("location"));
    // anonymous mount (no `from`): the registry finds a blob it stores; an unknown one starts an upload
    const noFrom = await fetch(`${t.url}/v2/acme/four/blobs/uploads/?mount=${d}`, { method: "POST", headers: H() });
    assert.equal(noFrom.status, 201);
    assert.equal((await fetch(`${t.url}/v2/acme/four/blobs/${d}`, { method: "HEAD" })).status, 200);
    const noFromMissing = await fetch(`${t.url}/v2/acme/five/blobs/uploads/?mount=${sha256(Buffer.from("missing"))}`, { method: "POST", headers: H() });
    assert.equal(noFromMissing.status, 202);
  });

  test("chunked PATCH with Content-Range, status GET, 416 on out-of-order and repeated chunks, final PUT", async () => {
    const data = randomBytes(10_000);
    const post = await fetch(`${t.url}/v2/acme/chunks/blobs/uploads/`, { method: "POST", headers: H() });
    const loc = post.headers.get("location") ?? "";
    const p1 = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: H({ "Content-Type": "application/octet-stream", "Content-Range": "0-3999" }), body: data.subarray(0, 4000) });
    assert.equal(p1.status, 202);
    assert.equal(p1.headers.get("range"), "0-3999");
    const again = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: H({ "Content-Type": "application/octet-stream", "Content-Range": "0-3999" }), body: data.subarray(0, 4000) });
    assert.equal(again.status, 416);
    const skip = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: H({ "Content-Range": "5000-5999" }), body: data.subarray(5000, 6000) });
    assert.equal(skip.status, 416);
    const st = await fetch(`${t.url}${loc}`, { headers: H() });
    assert.equal(st.status, 204);
    assert.equal(st.headers.get("range"), "0-3999");
    assert.equal(st.headers.get("location"), loc);
    const p2 = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: H({ "Content-Range": "4000-7999" }), body: data.subarray(4000, 8000) });
    assert.equal(p2.headers.get("range"), "0-7999");
    const put = await fetch(`${t.url}${loc}?digest=${sha256(data)}`, { method: "PUT", headers: H({ "Content-Range": "8000-9999" }), body: data.subarray(8000) });
    assert.equal(put.status, 201);
    const get = await fetch(`${t.url}/v2/acme/chunks/blobs/${sha256(data)}`);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
  });

  test("streamed PATCH without Content-Range (docker), then PUT without body", async () => {
    const data = randomBytes(300_000);
    const post = await fetch(`${t.url}/v2/acme/stream/blobs/uploads/`, { method: "POST", headers: H() });
    const loc = post.headers.get("location") ?? "";
    const body = new ReadableStream<Uint8Array>({
      start(c): void {
        for (let i = 0; i < data.length; i += 65536) c.enqueue(data.subarray(i, i + 65536));
        c.close();
      },
    });
    const p = await fetch(`${t.url}${loc}`, { method: "PATCH", headers: H(), body, duplex: "half" } as RequestInit);
    assert.equal(p.status, 202);
    assert.equal(p.headers.get("range"), `0-${data.length - 1}`);
    const put = await fetch(`${t.url}${loc}?digest=${sha256(data)}`, { method: "PUT", headers: H() });
    assert.equal(put.status, 201);
  });

  test("sha512 digests are accepted", async () => {
    const data = randomBytes(500);
    const { createHash } = await import("node:crypto");
    const d = `sha512:${createHash("sha512").update(data).digest("hex")}`;
    const r = await fetch(`${t.url}/v2/acme/sha512/blobs/uploads/?digest=${d}`, { method: "POST", headers: H(), body: data });
    assert.equal(r.status, 201);
    assert.equal((await fetch(`${t.url}/v2/acme/sha512/blobs/${d}`, { method: "HEAD" })).status, 200);
  });

  test("upload cancel, and blob DELETE unlinks from the repo", async () => {
    const post = await fetch(`${t.url}/v2/acme/cancel/blobs/uploads/`, { method: "POST", headers: H() });
    const loc = post.headers.get("location") ?? "";
    assert.equal((await fetch(`${t.url}${loc}`, { method: "DELETE", headers: H() })).status, 204);
    assert.equal((await fetch(`${t.url}${loc}`, { headers: H() })).status, 404);
    const d = await pushBlob(t.url, "acme/cancel", randomBytes(10), t.auth);
    assert.equal((await fetch(`${t.url}/v2/acme/cancel/blobs/${d}`, { method: "DELETE", headers: H() })).status, 202);
    assert.equal((await fetch(`${t.url}/v2/acme/cancel/blobs/${d}`)).status, 404);
    assert.equal((await fetch(`${t.url}/v2/acme/cancel/blobs/${d}`, { method: "DELETE", headers: H() })).status, 404);
  });
});

describe("manifests, tags, referrers, catalog", () => {
  test("PUT by tag and digest, byte-exact GET/HEAD, tag hook", async () => {
    const img = await pushImage(t.url, "acme/img", "v1", t.auth, [randomBytes(100)]);
    const get = await fetch(`${t.url}/v2/acme/img/manifests/v1`);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get("content-type"), "application/vnd.oci.image.manifest.v1+json");
    assert.equal(get.headers.get("docker-content-digest"), img.digest);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), img.manifest);
    const head = await fetch(`${t.url}/v2/acme/img/manifests/${img.digest}`, { method: "HEAD" });
    assert.equal(head.headers.get("content-length"), String(img.manifest.length));
    const byDigest = await fetch(`${t.url}/v2/acme/img/manifests/${img.digest}`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.oci.image.manifest.v1+json" }), body: img.manifest });
    assert.equal(byDigest.status, 201);
    await new Promise((r) => setImmediate(r));
    const ev = t.recorder.recorded.find((e) => e.repo === "img" && e.tag === "v1");
    assert.deepEqual(ev, { namespace: "acme", repo: "img", tag: "v1", digest: img.digest, mediaType: "application/vnd.oci.image.manifest.v1+json", size: img.manifest.length, pusher: t.owner.address });
  });

  test("docker v2 manifests and an index with untagged children", async () => {
    const cfg = Buffer.from("{}");
    const c = await pushBlob(t.url, "acme/multi", cfg, t.auth);
    const children: { digest: string; size: number }[] = [];
    for (const arch of ["amd64", "arm64"]) {
      const layer = await pushBlob(t.url, "acme/multi", Buffer.from(arch), t.auth);
      const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: c, size: 2 }, layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: layer, size: arch.length }] }));
      const r = await fetch(`${t.url}/v2/acme/multi/manifests/${sha256(m)}`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.docker.distribution.manifest.v2+json" }), body: m });
      assert.equal(r.status, 201);
      children.push({ digest: sha256(m), size: m.length });
    }
    const list = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.list.v2+json", manifests: children.map((ch, i) => ({ mediaType: "application/vnd.docker.distribution.manifest.v2+json", ...ch, platform: { architecture: i ? "arm64" : "amd64", os: "linux" } })) }));
    const r = await fetch(`${t.url}/v2/acme/multi/manifests/latest`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.docker.distribution.manifest.list.v2+json" }), body: list });
    assert.equal(r.status, 201);
    const g = await fetch(`${t.url}/v2/acme/multi/manifests/latest`);
    assert.equal(g.headers.get("content-type"), "application/vnd.docker.distribution.manifest.list.v2+json");
    assert.deepEqual(Buffer.from(await g.arrayBuffer()), list);
  });

  test("tags list with n and last, Link header; NAME_UNKNOWN for unknown repos", async () => {
    const img = await pushImage(t.url, "acme/tags", "a", t.auth, []);
    for (const tag of ["c", "b", "d", "e"]) {
      const r = await fetch(`${t.url}/v2/acme/tags/manifests/${tag}`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.oci.image.manifest.v1+json" }), body: img.manifest });
      assert.equal(r.status, 201);
    }
    const all = (await (await fetch(`${t.url}/v2/acme/tags/tags/list`)).json()) as { name: string; tags: string[] };
    assert.deepEqual(all, { name: "acme/tags", tags: ["a", "b", "c", "d", "e"] });
    const p1 = await fetch(`${t.url}/v2/acme/tags/tags/list?n=2`);
    assert.deepEqual(((await p1.json()) as { tags: string[] }).tags, ["a", "b"]);
    assert.equal(p1.headers.get("link"), `</v2/acme/tags/tags/list?n=2&last=b>; rel="next"`);
    const p2 = await fetch(`${t.url}/v2/acme/tags/tags/list?n=2&last=b`);
    assert.deepEqual(((await p2.json()) as { tags: string[] }).tags, ["c", "d"]);
    const p3 = await fetch(`${t.url}/v2/acme/tags/tags/list?n=2&last=d`);
    assert.deepEqual(((await p3.json()) as { tags: string[] }).tags, ["e"]);
    assert.equal(p3.headers.get("link"), null);
    assert.deepEqual(((await (await fetch(`${t.url}/v2/acme/tags/tags/list?n=0`)).json()) as { tags: string[] }).tags, []);
    const unknown = await fetch(`${t.url}/v2/acme/nothing-here/tags/list`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { errors: { code: string }[] }).errors[0]?.code, "NAME_UNKNOWN");
    // a parent of a repository is not one
    await pushImage(t.url, "acme/deep/child", "a", t.auth, []);
    const parent = await fetch(`${t.url}/v2/acme/deep/tags/list`);
    assert.equal(parent.status, 404);
    assert.equal(((await parent.json()) as { errors: { code: string }[] }).errors[0]?.code, "NAME_UNKNOWN");
    assert.equal((await fetch(`${t.url}/v2/acme/deep/child/tags/list`)).status, 200);
  });

  test("subject, OCI-Subject and the referrers API with artifactType filter", async () => {
    const subject = await pushImage(t.url, "acme/refs", "base", t.auth, []);
    const missing = sha256(Buffer.from("no such manifest"));
    const empty = await fetch(`${t.url}/v2/acme/refs/referrers/${missing}`);
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get("content-type"), "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(((await empty.json()) as { manifests: unknown[] }).manifests, []);
    const emptyCfg = await pushBlob(t.url, "acme/refs", Buffer.from("{}"), t.auth);
    const put = async (artifactType: string, subj: string): Promise<Response> => {
      const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType, config: { mediaType: "application/vnd.oci.empty.v1+json", digest: emptyCfg, size: 2 }, layers: [], subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: subj, size: 10 }, annotations: { k: artifactType } }));
      return fetch(`${t.url}/v2/acme/refs/manifests/${sha256(m)}`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.oci.image.manifest.v1+json" }), body: m });
    };
    const r1 = await put("application/x-sbom", subject.digest);
    assert.equal(r1.status, 201);
    assert.equal(r1.headers.get("oci-subject"), subject.digest);
    await put("application/x-sig", subject.digest);
    await put("application/x-sig", missing);
    const all = (await (await fetch(`${t.url}/v2/acme/refs/referrers/${subject.digest}`)).json()) as { manifests: { artifactType: string; annotations: Record<string, string> }[] };
    assert.deepEqual(all.manifests.map((m) => m.artifactType).sort(), ["application/x-sbom", "application/x-sig"]);
    const filtered = await fetch(`${t.url}/v2/acme/refs/referrers/${subject.digest}?artifactType=application/x-sig`);
    assert.equal(filtered.headers.get("oci-filters-applied"), "artifactType");
    assert.equal(((await filtered.json()) as { manifests: unknown[] }).manifests.length, 1);
    const dangling = (await (await fetch(`${t.url}/v2/acme/refs/referrers/${missing}`)).json()) as { manifests: unknown[] };
    assert.equal(dangling.manifests.length, 1);
  });

  test("DELETE by tag removes the tag only; by digest removes the manifest", async () => {
    const img = await pushImage(t.url, "acme/del", "one", t.auth, [randomBytes(5)]);
    await fetch(`${t.url}/v2/acme/del/manifests/two`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.oci.image.manifest.v1+json" }), body: img.manifest });
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/one`, { method: "DELETE", headers: H() })).status, 202);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/one`)).status, 404);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/two`)).status, 200);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/${img.digest}`, { method: "DELETE", headers: H() })).status, 202);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/${img.digest}`)).status, 404);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/two`)).status, 404);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/${img.digest}`, { method: "DELETE", headers: H() })).status, 404);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(t.recorder.deleted.filter((e) => e.repo === "del").map((e) => e.tag).sort(), ["one", "two"]);
    assert.equal((await fetch(`${t.url}/v2/acme/del/manifests/two`, { method: "DELETE" })).status, 401);
  });

  test("catalog lists repositories with pagination", async () => {
    const all = (await (await fetch(`${t.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.ok(all.repositories.includes("acme/img"));
    assert.deepEqual([...all.repositories].sort(), all.repositories);
    const p = await fetch(`${t.url}/v2/_catalog?n=1`);
    assert.equal(((await p.json()) as { repositories: string[] }).repositories.length, 1);
    assert.match(p.headers.get("link") ?? "", /rel="next"/);
  });
});

test("the catalog has a default page: at most 1,000 names without n (or with a larger n), and a Link to the next", async () => {
  const fs = await startTestRegistry({ storage: "filesystem" });
  try {
    // 1,002 repositories, as the filesystem driver lays them out (a name directory with its `_manifests`)
    const names = Array.from({ length: 1002 }, (_, i) => `acme/r${String(i).padStart(4, "0")}`);
    await Promise.all(names.map((n) => mkdir(join(fs.dataDir, "store", "repositories", n, "_manifests"), { recursive: true })));
    for (const query of ["", "?n=5000"]) {
      const first = await fetch(`${fs.url}/v2/_catalog${query}`);
      assert.deepEqual(((await first.json()) as { repositories: string[] }).repositories, names.slice(0, 1000), query);
      const link = first.headers.get("link") ?? "";
      assert.equal(link, '</v2/_catalog?n=1000&last=acme%2Fr0999>; rel="next"', query);
      const next = await fetch(`${fs.url}${/^<([^>]+)>/.exec(link)![1]}`);
      assert.deepEqual(((await next.json()) as { repositories: string[] }).repositories, names.slice(1000));
      assert.equal(next.headers.get("link"), null, "the last page has no Link");
    }
  } finally {
    await fs.close();
  }
});

test("a tags list has the catalog's default page: at most 1,000 tags without n (or with a larger n), and a Link to the next", async () => {
  const img = await pushImage(t.url, "acme/many-tags", "t0000", t.auth, []);
  const tags = Array.from({ length: 1002 }, (_, i) => `t${String(i).padStart(4, "0")}`);
  for (const tag of tags.slice(1)) {
    const r = await fetch(`${t.url}/v2/acme/many-tags/manifests/${tag}`, { method: "PUT", headers: H({ "Content-Type": "application/vnd.oci.image.manifest.v1+json" }), body: img.manifest });
    assert.equal(r.status, 201, tag);
  }
  for (const query of ["", "?n=5000"]) {
    const first = await fetch(`${t.url}/v2/acme/many-tags/tags/list${query}`);
    assert.deepEqual(((await first.json()) as { tags: string[] }).tags, tags.slice(0, 1000), query);
    const link = first.headers.get("link") ?? "";
    assert.equal(link, '</v2/acme/many-tags/tags/list?n=1000&last=t0999>; rel="next"', query);
    const next = await fetch(`${t.url}${/^<([^>]+)>/.exec(link)![1]}`);
    assert.deepEqual(((await next.json()) as { tags: string[] }).tags, tags.slice(1000));
    assert.equal(next.headers.get("link"), null, "the last page has no Link");
  }
});

test("an index may list blobs, as BuildKit's registry cache does: they must be blobs of the repository, and GC keeps them", async () => {
  const own = await startTestRegistry();
  try {
    const A = { Authorization: own.auth };
    // BuildKit's cache (`--cache-to type=registry`, image-manifest=false; the default before BuildKit 0.21): an OCI
    // index whose entries are its layers and its cache config, each pushed as a blob, none as a manifest
    const layer = await pushBlob(own.url, "acme/cache", randomBytes(300), own.auth);
    const cacheConfig = await pushBlob(own.url, "acme/cache", Buffer.from('{"layers":[],"records":[]}'), own.auth);
    const unreferenced = await pushBlob(own.url, "acme/cache", randomBytes(10), own.auth);
    const elsewhere = await pushBlob(own.url, "acme/other", randomBytes(20), own.auth);
    const index = (entries: { mediaType: string; digest: string; size: number }[]): Buffer =>
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: entries }));
    const cache = index([
      { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layer, size: 300 },
      { mediaType: "application/vnd.buildkit.cacheconfig.v0", digest: cacheConfig, size: 26 },
    ]);
    const put = (tag: string, body: Buffer): Promise<Response> =>
      fetch(`${own.url}/v2/acme/cache/manifests/${tag}`, { method: "PUT", headers: { ...A, "Content-Type": "application/vnd.oci.image.index.v1+json" }, body });
    const r = await put("cache", cache);
    assert.equal(r.status, 201, await r.text());
    const got = await fetch(`${own.url}/v2/acme/cache/manifests/cache`);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), cache);

    // still refused: a blob entry this repository does not have, and a manifest entry that is only a blob here
    for (const [what, body] of [
      ["a blob of another repository", index([{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: elsewhere, size: 20 }])],
      ["a blob never pushed", index([{ mediaType: "application/vnd.buildkit.cacheconfig.v0", digest: sha256(Buffer.from("never")), size: 5 }])],
      ["a manifest entry that is a blob", index([{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: layer, size: 300 }])],
    ] as const) {
      const bad = await put("bad", body);
      assert.equal(bad.status, 400, what);
      assert.equal(((await bad.json()) as { errors: { code: string }[] }).errors[0]?.code, "MANIFEST_BLOB_UNKNOWN", what);
    }
    assert.equal((await fetch(`${own.url}/v2/acme/cache/manifests/bad`)).status, 404, "nothing stored under the tag");

    // GC marks the index's blob entries: they stay pullable, while an unreferenced blob goes
    const report = await own.reg.gc({ graceMs: 0 });
    assert.ok(report.deleted.includes(unreferenced), "the unreferenced blob is collected");
    for (const d of [layer, cacheConfig]) assert.equal((await fetch(`${own.url}/v2/acme/cache/blobs/${d}`, { method: "HEAD" })).status, 200, d);
  } finally {
    await own.close();
  }
});
