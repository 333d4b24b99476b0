import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";
import { defaultConfig, formatListen, loadConfigFile, mergeConfig, parseListen } from "./config.ts";

test("defaults: loopback :8000, data under $TRUSTNET_HOME/registry, anonymous pull", () => {
  const c = defaultConfig({ TRUSTNET_HOME: "/tmp/tnhome" });
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 8000);
  assert.equal(c.dataDir, "/tmp/tnhome/registry");
  assert.equal(c.anonymousPull, true);
});

test("an empty $TRUSTNET_HOME counts as unset: data under ~/.trustnet/registry, not the current directory", () => {
  assert.equal(defaultConfig({ TRUSTNET_HOME: "" }).dataDir, join(homedir(), ".trustnet", "registry"));
});

test("config/registry.json is valid and matches the defaults", async () => {
  const file = await loadConfigFile(new URL("../../config/registry.json", import.meta.url).pathname);
  const defaults = defaultConfig({});
  const merged = mergeConfig(defaults, file);
  assert.equal(merged.port, 8000);
  // Every key the file sets is the default (it documents them): a drift between the two is a spec failure.
  for (const [k, v] of Object.entries(file)) assert.deepEqual(v, (defaults as unknown as Record<string, unknown>)[k], `config/registry.json's ${k}`);
  assert.deepEqual(merged, defaults);
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
  assert.deepEqual(parseListen("0.0.0.0:8000"), { host: "0.0.0.0", port: 8000 });
  assert.deepEqual(parseListen("localhost:8000"), { host: "localhost", port: 8000 });
  assert.deepEqual(parseListen("registry.example.org:443"), { host: "registry.example.org", port: 443 });
  assert.deepEqual(parseListen("127.0.0.1:0"), { host: "127.0.0.1", port: 0 });
  assert.throws(() => parseListen("8000"), ConfigError);
});

test("--listen takes IPv6 in brackets: every interface, a ULA address, link-local with a zone", () => {
  assert.deepEqual(parseListen("[::]:8000"), { host: "::", port: 8000 });
  assert.deepEqual(parseListen("[fd12:3456:789a::2]:8000"), { host: "fd12:3456:789a::2", port: 8000 });
  assert.deepEqual(parseListen("[fd00:ab:cd:ef:1:2:3:4]:65535"), { host: "fd00:ab:cd:ef:1:2:3:4", port: 65535 });
  assert.deepEqual(parseListen("[fe80::1%eth0]:8000"), { host: "fe80::1%eth0", port: 8000 });
  assert.deepEqual(parseListen("[::ffff:127.0.0.1]:8000"), { host: "::ffff:127.0.0.1", port: 8000 });
});

test("--listen refuses what it cannot bind, saying why", () => {
  const bad: [string, RegExp][] = [
    ["::1:8000", /in brackets: \[::1\]:8000/],
    ["fd12::2:8000", /in brackets/],
    ["[::1]", /host:port/],
    ["[]:8000", /not an IPv6 address/],
    ["[127.0.0.1]:8000", /not an IPv6 address/],
    ["[fd12::zz]:8000", /not an IPv6 address/],
    ["[::1]:99999", /out of range/],
    ["127.0.0.1:123456", /host:port/],
    ["127.0.0.1:80a", /host:port/],
    ["127.0.0.1:-1", /host:port/],
    ["1.2.3.999:8000", /not an IPv4 address or host name/],
    ["bad_host:8000", /not an IPv4 address or host name/],
    ["-x:8000", /not an IPv4 address or host name/],
    ["http://127.0.0.1:8000", /host:port/],
    ["", /host:port/],
  ];
  for (const [s, re] of bad) assert.throws(() => parseListen(s), (e: Error) => e instanceof ConfigError && re.test(e.message), s);
});

test("formatListen puts IPv6 hosts in brackets", () => {
  assert.equal(formatListen("::", 8000), "[::]:8000");
  assert.equal(formatListen("127.0.0.1", 8000), "127.0.0.1:8000");
  assert.equal(formatListen("localhost", 1), "localhost:1");
});
