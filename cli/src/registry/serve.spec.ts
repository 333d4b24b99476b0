import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { StartupError } from "@trustnet/registry";
import { UsageError } from "../errors.ts";
import { defaultOperatorKeyPath, serveOptions, toCliError } from "./serve.ts";

test("serve: data under <home>/registry, the operator key at <home>/registry-operator.json only when it exists", () => {
  const none = serveOptions({ home: "/var/lib/trustnet", node: "http://[fd12::1]:26657" }, () => false);
  assert.deepEqual(none, {
    defaultDataDir: "/var/lib/trustnet/registry",
    chainRpc: "http://[fd12::1]:26657",
    noOperatorKeyHint: "pass --operator-key FILE, or put the key at /var/lib/trustnet/registry-operator.json",
  });
  assert.equal(defaultOperatorKeyPath("/h"), "/h/registry-operator.json");
  const found = serveOptions({ home: "/h", node: "http://127.0.0.1:26657" }, (p) => p === "/h/registry-operator.json");
  assert.equal(found.operatorKeyFile, "/h/registry-operator.json");
  const devnet = serveOptions({ home: "/h", node: "http://127.0.0.1:26657" }, (p) => p === "/h/devnet/registry-operator.json");
  assert.equal(devnet.operatorKeyFile, undefined, "the devnet's key is not picked up silently");
  assert.match(devnet.noOperatorKeyHint ?? "", /this home's devnet key is \/h\/devnet\/registry-operator\.json/);
});

test("serve: flags go through as given; an explicit --operator-key is used even if it does not exist (and then fails)", () => {
  const o = serveOptions({ home: "h", node: "tcp://127.0.0.1:26657", listen: "[::]:8000", data: "/srv/registry", config: "/etc/registry.json", "operator-key": "/nope.json" }, () => true);
  assert.equal(o.defaultDataDir, `${process.cwd()}/h/registry`);
  assert.deepEqual([o.listen, o.dataDir, o.configFile, o.operatorKeyFile, o.chainRpc], ["[::]:8000", "/srv/registry", "/etc/registry.json", "/nope.json", "tcp://127.0.0.1:26657"]);
  assert.equal(o.operatorKeyTrustedMount, undefined);
  assert.equal(serveOptions({ home: "h", node: "tcp://127.0.0.1:26657", "operator-key": "/k", "operator-key-trusted-mount": true }).operatorKeyTrustedMount, true);
});

test("serve errors: bad flags exit 2, the rest 1; a taken port names the process holding it", async () => {
  const usage = await toCliError(new StartupError("--listen must be host:port", { usage: true, hint: "h" }));
  assert.ok(usage instanceof UsageError);
  assert.deepEqual([usage.exitCode, usage.hint], [2, "h"]);
  const key = await toCliError(new StartupError("operator key file /k is corrupt", { hint: "chmod" }));
  assert.deepEqual([key.exitCode, key.message, key.hint], [1, "operator key file /k is corrupt", "chmod"]);

  const held = createServer();
  const port = await new Promise<number>((r) => held.listen(0, "::1", () => r((held.address() as { port: number }).port)));
  try {
    const e = await toCliError(new StartupError(`cannot listen on [::1]:${port}: port ${port} is already in use`, { code: "EADDRINUSE", port }));
    assert.equal(e.exitCode, 1);
    assert.match(e.message, new RegExp(`^cannot listen on \\[::1\\]:${port}: port ${port} is already in use by pid ${process.pid} \\(`));
  } finally {
    held.close();
  }
});
