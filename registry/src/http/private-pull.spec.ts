// anonymousPull=false: every read needs credentials. Also the server's timeouts never cut a long upload.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { basicAuth, pushImage, startTestRegistry, type TestRegistry } from "../testkit.ts";

let t: TestRegistry;
before(async () => {
  t = await startTestRegistry({ anonymousPull: false });
});
after(async () => {
  await t.close();
});

test("with anonymous pull off, reads need credentials and anonymous tokens are refused", async () => {
  const img = await pushImage(t.url, "acme/private", "v1", t.auth, [randomBytes(10)]);
  for (const path of ["/v2/acme/private/manifests/v1", `/v2/acme/private/blobs/${img.config}`, "/v2/acme/private/tags/list", "/v2/_catalog"]) {
    const r = await fetch(`${t.url}${path}`);
    assert.equal(r.status, 401, path);
    assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer realm=/);
    assert.equal((await fetch(`${t.url}${path}`, { headers: { Authorization: basicAuth(t.stranger) } })).status, 200, path);
  }
  assert.equal((await fetch(`${t.url}/token?service=trustnet-registry`)).status, 401);
});

test("request, header and idle timeouts come from the config (1 h, 20 s, 120 s by default)", () => {
  assert.equal(t.reg.server.requestTimeout, 3600_000);
  assert.equal(t.reg.server.headersTimeout, 20_000);
  assert.equal(t.reg.server.timeout, 120_000);
});
