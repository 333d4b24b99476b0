import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { ConfigError } from "./errors.ts";
import { defaultConfig, loadConfigFile, mergeConfig, parseListen } from "./config.ts";

test("defaults: loopback :8000, data under $TRUSTNET_HOME/registry, anonymous pull", () => {
  const c = defaultConfig({ TRUSTNET_HOME: "/tmp/tnhome" });
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 8000);
  assert.equal(c.dataDir, "/tmp/tnhome/registry");
  assert.equal(c.anonymousPull, true);
});

test("config/registry.json is valid and matches the defaults", async () => {
  const file = await loadConfigFile(new URL("../../config/registry.json", import.meta.url).pathname);
  const merged = mergeConfig(defaultConfig({}), file);
  assert.equal(merged.port, 8000);
  assert.ok(JSON.parse(await readFile(new URL("../../config/registry.json", import.meta.url), "utf8")));
});

test("bad config is refused with a clear error", () => {
  const base = defaultConfig({});
  assert.throws(() => mergeConfig(base, { nope: 1 }), ConfigError);
  assert.throws(() => mergeConfig(base, { port: "8000" }), /must be a number/);
  assert.throws(() => mergeConfig(base, { port: 70000 }), /invalid port/);
  assert.throws(() => mergeConfig(base, { storage: "s3" }), /storage/);
  assert.throws(() => mergeConfig(base, { bearerTtlSeconds: 10 }), /at least 60/);
});

test("--listen parsing", () => {
  assert.deepEqual(parseListen("127.0.0.1:8000"), { host: "127.0.0.1", port: 8000 });
  assert.deepEqual(parseListen("[::1]:9000"), { host: "::1", port: 9000 });
  assert.deepEqual(parseListen(":8000"), { host: "127.0.0.1", port: 8000 });
  assert.throws(() => parseListen("8000"), ConfigError);
});
