// The chain hooks never affect the HTTP response: a throwing TagRecorder still gives 201, and /health
// reports what the injected ChainProbe says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { createRegistry } from "../server.ts";
import { defaultConfig, mergeConfig } from "../config.ts";
import { InMemoryNamespaceOwners } from "../auth/namespace-owners.ts";
import { basicAuth, pushImage, testKey } from "../testkit.ts";

test("a TagRecorder that throws does not fail or delay the push; health shows the chain probe", async () => {
  const owner = await testKey(81);
  let calls = 0;
  const reg = await createRegistry(mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, service: "trustnet-registry" }), {
    owners: new InMemoryNamespaceOwners({ acme: owner.address }),
    logger: pino({ level: "silent" }),
    tagRecorder: {
      reserve: () => ({ release: () => undefined }),
      flush: () => Promise.resolve(),
      recordTag: () => {
        calls++;
        throw new Error("chain down");
      },
      deleteTag: () => {
        calls++;
        throw new Error("chain down");
      },
    },
    chainProbe: { reachable: () => Promise.resolve(true) },
  });
  try {
    const auth = basicAuth(owner);
    const img = await pushImage(reg.url, "acme/app", "v1", auth, [randomBytes(10)]);
    assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/v1`, { method: "DELETE", headers: { Authorization: auth } })).status, 202);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(calls, 2);
    assert.equal((await fetch(`${reg.url}/v2/acme/app/manifests/${img.digest}`)).status, 200, "server still serving");
    const health = (await (await fetch(`${reg.url}/health`)).json()) as { chain: { reachable: boolean } };
    assert.equal(health.chain.reachable, true);
  } finally {
    await reg.close();
  }
});
