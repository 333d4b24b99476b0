// An upload session belongs to the address that opened it: another account with push rights on the same
// repository gets 404 BLOB_UPLOAD_UNKNOWN for PATCH, PUT, GET and DELETE, as if it did not exist, and the session
// is left exactly as it was.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { basicAuth, sha256, snapshotDir, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
before(async () => {
  t = await startTestRegistry({ storage: "filesystem" });
  t.owners.setMember("acme", t.stranger.address, true);
});
after(async () => {
  await t.close();
});

test("a member cannot drive the owner's upload session", async () => {
  const A = t.auth;
  const M = basicAuth(t.stranger);
  const post = await fetch(`${t.url}/v2/acme/app/blobs/uploads/`, { method: "POST", headers: { Authorization: A } });
  assert.equal(post.status, 202);
  const loc = post.headers.get("location") ?? "";
  const first = randomBytes(100);
  assert.equal((await fetch(`${t.url}${loc}`, { method: "PATCH", headers: { Authorization: A, "Content-Type": "application/octet-stream" }, body: first })).status, 202);
  const before = await snapshotDir(join(t.dataDir, "store"));
  const evil = Buffer.from("evil content chosen by the member");
  const attempts: [string, string, Uint8Array | undefined][] = [
    ["PATCH", loc, evil],
    ["PUT", `${loc}?digest=${sha256(evil)}`, evil],
    ["PUT", `${loc}?digest=${sha256(first)}`, undefined],
    ["GET", loc, undefined],
    ["DELETE", loc, undefined],
  ];
  for (const [method, path, body] of attempts) {
    const r = await fetch(`${t.url}${path}`, { method, headers: { Authorization: M, "Content-Type": "application/octet-stream" }, ...(body ? { body } : {}) });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0]?.code, "BLOB_UPLOAD_UNKNOWN", method);
  }
  assert.deepEqual(await snapshotDir(join(t.dataDir, "store")), before, "the session is untouched");
  const status = await fetch(`${t.url}${loc}`, { headers: { Authorization: A } });
  assert.equal(status.status, 204);
  assert.equal(status.headers.get("range"), "0-99");
  const second = randomBytes(50);
  const all = Buffer.concat([first, second]);
  const fin = await fetch(`${t.url}${loc}?digest=${sha256(all)}`, { method: "PUT", headers: { Authorization: A, "Content-Type": "application/octet-stream" }, body: second });
  assert.equal(fin.status, 201);
});
