import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { pino } from "pino";
import { defaultConfig, mergeConfig } from "./config.ts";
import { createRegistry } from "./server.ts";
import { InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";
import { basicAuth, pushImage, testKey } from "./testkit.ts";
import { RegistryMetrics } from "./metrics.ts";

test("requests are counted by handler, method and code, storage actions timed, and /metrics served on its own listener", async () => {
  const owner = await testKey(11);
  const metrics = new RegistryMetrics();
  const config = mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, host: "127.0.0.1", gcIntervalSeconds: 0, service: "trustnet-registry" }); // the identity basicAuth()'s token is for
  const reg = await createRegistry(config, { owners: new InMemoryNamespaceOwners({ acme: owner.address }), logger: pino({ level: "silent" }), metrics });
  const server = await metrics.listen("127.0.0.1", 0);
  try {
    await pushImage(reg.url, "acme/app", "v1", basicAuth(owner), [Buffer.from("layer")]);
    assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/v1`, { headers: { authorization: basicAuth(owner) } })).status, 200);
    assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/nope?x=1`, { headers: { authorization: basicAuth(owner) } })).status, 404);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /^registry_http_requests_total\{handler="manifest",method="PUT",code="201"\} 1$/m);
    assert.match(text, /^registry_http_requests_total\{handler="manifest",method="GET",code="200"\} 1$/m);
    assert.match(text, /^registry_http_requests_total\{handler="manifest",method="GET",code="404"\} 1$/m);
    assert.match(text, /^registry_http_requests_total\{handler="blob_upload",method="POST",code="201"\} 2$/m);
    assert.match(text, /^registry_http_request_duration_seconds_count\{handler="manifest",method="PUT"\} 1$/m);
    assert.match(text, /^registry_storage_action_seconds_count\{driver="inmemory",action="putContent"\} [1-9]/m);
    assert.doesNotMatch(text, /acme|sha256:/, "no repository names or digests in labels");
    assert.equal((await fetch(`${url}/v2/`)).status, 404, "the metrics listener serves only /metrics");
  } finally {
    server.close();
    await reg.close();
  }
});
