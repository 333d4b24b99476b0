// kill -9 the registry process in the middle of a 200 MB chunked upload; after a restart the status GET reports
// the last acknowledged offset, the upload resumes from there and completes; no partial blob is ever served.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { basicAuth, loginToken, testKey, type TestKey } from "../../registry/src/testkit.ts";
import { startRegistryProcess, type RegistryProcess } from "./helpers.ts";

const CHUNK = 10 * 1024 * 1024;
const CHUNKS = 20;
let dir: string;
let owner: TestKey;
const running: RegistryProcess[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tn-crash-e2e-"));
  owner = await testKey(41);
});
after(async () => {
  for (const r of running) await r.stop("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** The registry process; a restart reuses the port, so it is the same registry URL (the login token's audience). */
async function start(port?: number): Promise<RegistryProcess> {
  const r = await startRegistryProcess({ dataDir: join(dir, "data"), owners: { acme: owner.address }, ...(port === undefined ? {} : { port }) });
  running.push(r);
  return r;
}

async function patch(url: string, auth: string, data: Buffer, start: number): Promise<Response> {
  return fetch(url, { method: "PATCH", headers: { Authorization: auth, "Content-Type": "application/octet-stream", "Content-Range": `${start}-${start + data.length - 1}` }, body: data });
}

test("upload survives kill -9 and resumes from the last acknowledged offset", async () => {
  const data = randomBytes(CHUNK * CHUNKS);
  const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  let reg = await start();
  const auth = basicAuth(owner, loginToken(owner, { audience: reg.url }));
  const post = await fetch(`${reg.url}/v2/acme/big/blobs/uploads/`, { method: "POST", headers: { Authorization: auth } });
  assert.equal(post.status, 202);
  const location = post.headers.get("location") ?? "";
  const acked = 8;
  for (let i = 0; i < acked; i++) {
    const r = await patch(`${reg.url}${location}`, auth, data.subarray(i * CHUNK, (i + 1) * CHUNK), i * CHUNK);
    assert.equal(r.status, 202);
    assert.equal(r.headers.get("range"), `0-${(i + 1) * CHUNK - 1}`);
  }
  assert.equal((await fetch(`${reg.url}/v2/acme/big/blobs/${digest}`, { method: "HEAD" })).status, 404);

  // Chunk 9 is half sent when the process dies.
  const port = Number(new URL(reg.url).port);
  const inflight = request({ host: "127.0.0.1", port, method: "PATCH", path: location, headers: { Authorization: auth, "Content-Length": String(CHUNK), "Content-Range": `${acked * CHUNK}-${(acked + 1) * CHUNK - 1}` } });
  inflight.on("error", () => undefined);
  inflight.write(data.subarray(acked * CHUNK, acked * CHUNK + CHUNK / 2));
  await sleep(300);
  reg.child.kill("SIGKILL");
  await new Promise((r) => reg.child.once("exit", r));
  inflight.destroy();

  reg = await start(port);
  assert.equal((await fetch(`${reg.url}/v2/acme/big/blobs/${digest}`, { method: "HEAD" })).status, 404, "no partial blob after restart");
  const status = await fetch(`${reg.url}${location}`, { headers: { Authorization: auth } });
  assert.equal(status.status, 204);
  assert.equal(status.headers.get("range"), `0-${acked * CHUNK - 1}`, "last acknowledged offset");

  for (let i = acked; i < CHUNKS - 1; i++) {
    const r = await patch(`${reg.url}${location}`, auth, data.subarray(i * CHUNK, (i + 1) * CHUNK), i * CHUNK);
    assert.equal(r.status, 202, `chunk ${i}`);
    assert.equal((await fetch(`${reg.url}/v2/acme/big/blobs/${digest}`, { method: "HEAD" })).status, 404);
  }
  const last = (CHUNKS - 1) * CHUNK;
  const put = await fetch(`${reg.url}${location}?digest=${digest}`, { method: "PUT", headers: { Authorization: auth, "Content-Range": `${last}-${data.length - 1}` }, body: data.subarray(last) });
  assert.equal(put.status, 201, await put.text());

  const get = await fetch(`${reg.url}/v2/acme/big/blobs/${digest}`);
  assert.equal(get.headers.get("content-length"), String(data.length));
  const h = createHash("sha256");
  for await (const c of get.body as unknown as AsyncIterable<Uint8Array>) h.update(c);
  assert.equal(`sha256:${h.digest("hex")}`, digest);
  assert.deepEqual(await readdir(join(dir, "data", "store", "uploads")).catch(() => []), [], "the session is gone");
});
