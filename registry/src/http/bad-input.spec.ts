// Every bad input of the issue gets the spec's error code and leaves storage byte-for-byte unchanged.
// Uses the filesystem driver so the snapshot is of real files.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { basicAuth, loginToken, pushBlob, pushImage, sha256, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
let port: number;
before(async () => {
  // 1,000 concurrent monolithic uploads by one user below: above the default 100 open sessions per user, and above
  // the default 256 connections per client address.
  t = await startTestRegistry({ storage: "filesystem", maxUploadSessionsPerUser: 2000, maxConnectionsPerClient: 2000 });
  port = Number(new URL(t.url).port);
  await pushImage(t.url, "acme/app", "v1", t.auth, [randomBytes(64)]);
});
after(async () => {
  await t.close();
});

async function snapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if ((await stat(p)).isDirectory()) await visit(p);
      else out.set(p.slice(t.dataDir.length), createHash("sha256").update(await readFile(p)).digest("hex"));
    }
  };
  await visit(join(t.dataDir, "store"));
  await visit(join(t.dataDir, "tmp"));
  return out;
}

/** Runs `fn` and asserts the store is unchanged afterwards. */
async function unchanged(fn: () => Promise<void>): Promise<void> {
  const before = await snapshot();
  await fn();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await snapshot(), before);
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with an exact, unnormalized path (fetch would resolve `..`). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const h = body === undefined || "Content-Length" in headers ? headers : { ...headers, "Content-Length": String(body.length) };
    const req = request({ host: "127.0.0.1", port, method, path, headers: h }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function code(r: RawResponse): string | undefined {
  if (!r.body) return `(empty body, status ${r.status})`;
  return (JSON.parse(r.body) as { errors: { code: string }[] }).errors[0]?.code;
}

async function newSession(name = "acme/app"): Promise<string> {
  const r = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: { Authorization: t.auth } });
  assert.equal(r.status, 202);
  return r.headers.get("location") ?? "";
}

const A = (): Record<string, string> => ({ Authorization: t.auth });

describe("bad input leaves storage unchanged", () => {
  test("wrong digest on the closing PUT and on a monolithic POST", async () => {
    const loc = await newSession();
    await unchanged(async () => {
      const r = await raw("PUT", `${loc}?digest=${sha256(Buffer.from("other"))}`, A(), Buffer.from("content"));
      assert.equal(r.status, 400);
      assert.equal(code(r), "DIGEST_INVALID");
      const m = await raw("POST", `/v2/acme/app/blobs/uploads/?digest=${sha256(Buffer.from("other"))}`, A(), Buffer.from("content"));
      assert.equal(m.status, 400);
      assert.equal(code(m), "DIGEST_INVALID");
    });
    const st = await raw("GET", loc, A());
    assert.equal(st.headers["range"], "0-0");
  });

  test("unknown and malformed digest algorithms", async () => {
    const loc = await newSession();
    const bad = [`md5:${"a".repeat(32)}`, `sha384:${"a".repeat(96)}`, "sha256:xyz", `sha256:${"A".repeat(64)}`, "nodigest", `SHA256:${"a".repeat(64)}`];
    await unchanged(async () => {
      for (const d of bad) {
        const e = encodeURIComponent(d);
        const checks = [
          await raw("PUT", `${loc}?digest=${e}`, A(), Buffer.from("x")),
          await raw("POST", `/v2/acme/app/blobs/uploads/?digest=${e}`, A(), Buffer.from("x")),
          await raw("GET", `/v2/acme/app/blobs/${e}`),
          await raw("GET", `/v2/acme/app/referrers/${e}`),
          await raw("DELETE", `/v2/acme/app/blobs/${e}`, A()),
          await raw("POST", `/v2/acme/app/blobs/uploads/?mount=${e}&from=acme/app`, A()),
        ];
        for (const r of checks) {
          assert.equal(r.status, 400, `${d}: ${r.body}`);
          assert.ok(["DIGEST_INVALID", "NAME_INVALID"].includes(code(r) ?? ""), r.body);
        }
      }
      const byRef = await raw("PUT", `/v2/acme/app/manifests/${encodeURIComponent(`md5:${"a".repeat(32)}`)}`, { ...A(), "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, Buffer.from("{}"));
      assert.equal(byRef.status, 400);
      assert.equal(code(byRef), "DIGEST_INVALID");
    });
  });

  test("repository names with .., uppercase or over 255 characters", async () => {
    const names = ["acme/..", "acme/../other", "Acme/app", "acme/App", `acme/${"a".repeat(251)}`, "acme//app", "acme/app/"];
    await unchanged(async () => {
      for (const n of names) {
        for (const [m, p] of [["POST", `/v2/${n}/blobs/uploads/`], ["GET", `/v2/${n}/tags/list`], ["PUT", `/v2/${n}/manifests/v1`]] as const) {
          const r = await raw(m, p, { ...A(), "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, Buffer.from("{}"));
          assert.ok(r.status === 400 || r.status === 404, `${m} ${p}: ${r.status}`);
          assert.ok(["NAME_INVALID", "NOT_FOUND"].includes(code(r) ?? ""), `${m} ${p}: ${r.body}`);
        }
      }
    });
  });

  test("tags failing the tag grammar", async () => {
    const img = await pushImage(t.url, "acme/app", "v2", t.auth, []);
    await unchanged(async () => {
      for (const tag of [".hidden", "-dash", "a".repeat(129), "a%2Fb", "%2e%2e", "a:b"]) {
        const r = await raw("PUT", `/v2/acme/app/manifests/${tag}`, { ...A(), "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, img.manifest);
        assert.equal(r.status, 400, tag);
        assert.ok(["MANIFEST_INVALID", "DIGEST_INVALID"].includes(code(r) ?? ""), `${tag}: ${r.body}`);
      }
    });
  });

  test("manifests: over 4 MiB (413), not JSON, wrong digest, referencing missing blobs", async () => {
    const ct = { ...A(), "Content-Type": "application/vnd.oci.image.manifest.v1+json" };
    const missing = sha256(Buffer.from("missing blob"));
    const cfg = await pushBlob(t.url, "acme/app", Buffer.from("{}"), t.auth);
    const refsMissing = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfg, size: 2 }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: missing, size: 5 }] }));
    const indexMissing = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: missing, size: 5 }] }));
    await unchanged(async () => {
      const big = await raw("PUT", "/v2/acme/app/manifests/big", ct, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
      assert.equal(big.status, 413);
      for (const body of ["not json", "[1,2]", "{\"schemaVersion\":1}", "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"]) {
        const r = await raw("PUT", "/v2/acme/app/manifests/bad", ct, Buffer.from(body));
        assert.equal(r.status, 400, body);
        assert.equal(code(r), "MANIFEST_INVALID", body);
      }
      const wrong = await raw("PUT", `/v2/acme/app/manifests/${sha256(Buffer.from("x"))}`, ct, refsMissing);
      assert.equal(code(wrong), "DIGEST_INVALID");
      for (const [m, type] of [[refsMissing, "application/vnd.oci.image.manifest.v1+json"], [indexMissing, "application/vnd.oci.image.index.v1+json"]] as const) {
        const r = await raw("PUT", "/v2/acme/app/manifests/missing", { ...A(), "Content-Type": type }, m);
        assert.equal(r.status, 400);
        assert.equal(code(r), "MANIFEST_BLOB_UNKNOWN");
      }
    });
  });

  test("manifests whose media type is not a manifest type, and an image manifest posing as an index", async () => {
    const cfg = await pushBlob(t.url, "acme/app", Buffer.from("{}"), t.auth);
    const config = { mediaType: "application/vnd.oci.image.config.v1+json", digest: cfg, size: 2 };
    const octet = { ...A(), "Content-Type": "application/octet-stream" };
    await unchanged(async () => {
      // served back as the Content-Type: a control character would break every later GET, text/html would serve a page
      for (const mediaType of ["a\nb", "a\u0001b", "\u2603", "text/html", "application/json", "application/vnd.oci.image.manifest.v1+json; x=y", "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON", ""]) {
        const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config, layers: [] }));
        const r = await raw("PUT", "/v2/acme/app/manifests/odd", octet, body);
        assert.equal(r.status, 400, JSON.stringify(mediaType));
        assert.equal(code(r), "MANIFEST_INVALID", JSON.stringify(mediaType));
      }
      for (const where of ["config", "layers", "subject"] as const) {
        const bad = { ...config, digest: "sha256:NOT-HEX" };
        const doc = { schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: where === "config" ? bad : config, layers: where === "layers" ? [bad] : [], ...(where === "subject" ? { subject: bad } : {}) };
        const r = await raw("PUT", "/v2/acme/app/manifests/odd", octet, Buffer.from(JSON.stringify(doc)));
        assert.equal(code(r), "MANIFEST_INVALID", where);
        assert.match(r.body, new RegExp(`bad digest .* in ${where}`), where);
      }
      // descriptor and manifest fields of the wrong type: each refused whole, under its Content-Type too
      const image = "application/vnd.oci.image.manifest.v1+json";
      const child = { mediaType: image, digest: sha256(Buffer.from("child")), size: 5 };
      const badDescriptors: Record<string, unknown>[] = [
        { size: -1 }, { size: 1.5 }, { size: "2" }, { size: 2 ** 53 }, { mediaType: 7 }, { digest: "md5:abc" }, { digest: 5 },
        { artifactType: 5 }, { annotations: { a: 1 } }, { annotations: ["a"] }, { annotations: "a" }, { annotations: null },
      ];
      const docs: [string, string, unknown][] = [];
      for (const bad of badDescriptors) {
        for (const where of ["config", "layers", "subject"] as const) {
          const d = { ...config, ...bad };
          docs.push([`${where} ${JSON.stringify(bad)}`, image, { schemaVersion: 2, mediaType: image, config: where === "config" ? d : config, layers: where === "layers" ? [d] : [], ...(where === "subject" ? { subject: d } : {}) }]);
        }
        docs.push([`manifests ${JSON.stringify(bad)}`, "application/vnd.oci.image.index.v1+json", { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [{ ...child, ...bad }] }]);
      }
      for (const bad of [{ mediaType: 5 }, { artifactType: 5 }, { artifactType: null }, { annotations: { a: true } }, { annotations: [] }]) {
        docs.push([`manifest ${JSON.stringify(bad)}`, image, { schemaVersion: 2, mediaType: image, config, layers: [], ...bad }]);
      }
      for (const [what, type, doc] of docs) {
        const r = await raw("PUT", "/v2/acme/app/manifests/odd", { ...A(), "Content-Type": type }, Buffer.from(JSON.stringify(doc)));
        assert.equal(r.status, 400, `${what}: ${r.body}`);
        assert.equal(code(r), "MANIFEST_INVALID", `${what}: ${r.body}`);
      }
      const byHeader = await raw("PUT", "/v2/acme/app/manifests/odd", { ...A(), "Content-Type": "text/html" }, Buffer.from(JSON.stringify({ schemaVersion: 2, config, layers: [] })));
      assert.equal(code(byHeader), "MANIFEST_INVALID");
      assert.match(byHeader.body, /unsupported media type \\"text\/html\\"/);
      // an image manifest with `manifests` and no `layers`, referencing a config that is not there
      const missing = sha256(Buffer.from("never pushed"));
      const posing = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { ...config, digest: missing }, manifests: [] }));
      const r = await raw("PUT", "/v2/acme/app/manifests/posing", { ...A(), "Content-Type": "application/vnd.oci.image.manifest.v1+json" }, posing);
      assert.equal(r.status, 400);
      assert.equal(code(r), "MANIFEST_BLOB_UNKNOWN");
    });
    const tag = await fetch(`${t.url}/v2/acme/app/manifests/odd`, { headers: { Authorization: t.auth } });
    assert.equal(tag.status, 404, "nothing was stored under the tag");
  });

  test("chunks out of order or overlapping get 416", async () => {
    const loc = await newSession();
    const data = randomBytes(2000);
    const p1 = await raw("PATCH", loc, { ...A(), "Content-Range": "0-999", "Content-Type": "application/octet-stream" }, data.subarray(0, 1000));
    assert.equal(p1.status, 202);
    await unchanged(async () => {
      for (const range of ["500-1499", "0-999", "1001-1999", "2000-2999"]) {
        const [s, e] = range.split("-").map(Number) as [number, number];
        const r = await raw("PATCH", loc, { ...A(), "Content-Range": range }, Buffer.alloc(e - s + 1));
        assert.equal(r.status, 416, range);
        assert.equal(code(r), "BLOB_UPLOAD_INVALID");
        // where the session stands, so the client can resume
        assert.equal(r.headers["range"], "0-999", range);
        assert.equal(r.headers["location"], loc, range);
      }
      const badRange = await raw("PATCH", loc, { ...A(), "Content-Range": "9-1" }, Buffer.alloc(1));
      assert.equal(badRange.status, 416);
      assert.equal(badRange.headers["range"], "0-999");
      const put = await raw("PUT", `${loc}?digest=${sha256(data)}`, { ...A(), "Content-Range": "900-1999" }, data.subarray(900));
      assert.equal(put.status, 416);
      assert.equal(put.headers["range"], "0-999");
    });
    const st = await raw("GET", loc, A());
    assert.equal(st.headers["range"], "0-999");
  });

  test("a Content-Length that lies", async () => {
    const loc = await newSession();
    await unchanged(async () => {
      const mismatch = await raw("PATCH", loc, { ...A(), "Content-Range": "0-99", "Content-Length": "50" }, Buffer.alloc(50));
      assert.equal(mismatch.status, 400);
      assert.equal(code(mismatch), "SIZE_INVALID");
      // Declares 100000 bytes, sends 1000, then hangs up: nothing is acknowledged.
      await new Promise<void>((resolve) => {
        const s = connect(port, "127.0.0.1", () => {
          s.write(`PATCH ${loc} HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth}\r\nContent-Length: 100000\r\n\r\n`);
          s.write(randomBytes(1000), () => setTimeout(() => s.destroy(), 50));
        });
        s.on("close", () => resolve());
        s.on("error", () => resolve());
      });
      await new Promise((r) => setTimeout(r, 100));
    });
    const st = await raw("GET", loc, A());
    assert.equal(st.headers["range"], "0-0");
  });

  test("expired and forged tokens get 401 UNAUTHORIZED with a reason", async () => {
    const expired = basicAuth(t.owner, loginToken(t.owner, { now: new Date(Date.now() - 3600_000), ttlSeconds: 60 }));
    const wrongUser = `Basic ${Buffer.from(`${t.stranger.address}:${loginToken(t.owner)}`).toString("base64")}`;
    const tok = loginToken(t.owner);
    const forgedSig = basicAuth(t.owner, `${tok.split(".")[0]}.${Buffer.alloc(64, 1).toString("base64url")}`);
    const forgedBearer = "Bearer eyJzdWIiOiJ0cnVzdDF4In0.AAAA";
    await unchanged(async () => {
      for (const [auth, why] of [[expired, /expired/], [wrongUser, /not the address/], [forgedSig, /signature/], [forgedBearer, /bearer token/], ["Basic !!!", /malformed/]] as const) {
        const r = await raw("POST", "/v2/acme/app/blobs/uploads/?digest=" + sha256(Buffer.from("x")), { Authorization: auth }, Buffer.from("x"));
        assert.equal(r.status, 401, r.body);
        assert.equal(code(r), "UNAUTHORIZED");
        assert.match(r.body, why);
        assert.match(String(r.headers["www-authenticate"]), /error="invalid_token"/);
        const tk = await raw("GET", "/token?service=trustnet-registry", { Authorization: auth });
        if (auth.startsWith("Basic")) assert.equal(tk.status, 401, tk.body);
      }
    });
  });

  test("path traversal in every path parameter", async () => {
    const loc = await newSession();
    const id = loc.split("/").pop() ?? "";
    const paths: [string, string][] = [
      ["GET", "/v2/../../etc/passwd"],
      ["GET", "/v2/acme/../../blobs/sha256/x"],
      ["GET", "/v2/acme/%2e%2e/app/tags/list"],
      ["GET", `/v2/acme/app/blobs/sha256:..%2f..%2f${"a".repeat(58)}`],
      ["GET", "/v2/acme/app/blobs/..%2f..%2fstore"],
      ["GET", "/v2/acme/app/manifests/..%2f..%2fv1"],
      ["GET", "/v2/acme/app/manifests/..."],
      ["PUT", "/v2/acme/app/manifests/%2e%2e"],
      ["GET", `/v2/acme/app/blobs/uploads/..%2f${id}`],
      ["PATCH", "/v2/acme/app/blobs/uploads/..%2F..%2Fstore%2Fblobs"],
      ["GET", "/v2/acme/app/blobs/uploads/../../../uploads"],
      ["POST", `/v2/acme/app/blobs/uploads/?mount=${sha256(Buffer.from("x"))}&from=../../etc`],
      ["POST", `/v2/acme/app/blobs/uploads/?mount=${sha256(Buffer.from("x"))}&from=acme%2F..%2F..`],
      ["GET", `/v2/acme/app/referrers/..%2f..`],
      ["DELETE", `/v2/acme/app/blobs/uploads/${id}%2f..`],
    ];
    await unchanged(async () => {
      for (const [m, p] of paths) {
        const r = await raw(m, p, A(), m === "GET" ? undefined : Buffer.from("x"));
        assert.ok([400, 404].includes(r.status), `${m} ${p} → ${r.status} ${r.body}`);
        assert.doesNotMatch(r.body, /root:|"repositories"/);
      }
    });
  });

  test("1000 concurrent uploads of the same blob: all succeed, one stored copy", async () => {
    const data = randomBytes(32 * 1024);
    const d = sha256(data);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        fetch(`${t.url}/v2/acme/same${i % 10}/blobs/uploads/?digest=${d}`, { method: "POST", headers: A(), body: data }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    assert.deepEqual([...new Set(results)], [201]);
    const hex = d.slice(7);
    const dir = join(t.dataDir, "store", "blobs", "sha256", hex.slice(0, 2));
    // Other tests' (random) blobs may share the two-character prefix directory: only blob directories, ours among them.
    const names = await readdir(dir);
    assert.ok(names.includes(hex));
    assert.ok(names.every((n) => /^[0-9a-f]{64}$/.test(n)), names.join(" "));
    assert.deepEqual(await readdir(join(dir, hex)), ["data"]);
    assert.deepEqual(createHash("sha256").update(await readFile(join(dir, hex, "data"))).digest("hex"), hex);
    const leftovers = await readdir(join(t.dataDir, "store", "uploads")).catch(() => []);
    const sessionsBefore = leftovers.length;
    assert.ok(sessionsBefore <= 20, `only the sessions opened by other tests remain (${sessionsBefore})`);
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${t.url}/v2/acme/same${i}/blobs/${d}`, { method: "HEAD" })).status, 200);
  });
});
