import assert from "node:assert/strict";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { portsFor, type DevnetManifest } from "./layout.ts";
import { monitoringLayout, prometheusConfig, writePrometheusConfig } from "./monitoring.ts";

const manifest: DevnetManifest = {
  chainId: "trustnet-local-1", validators: 2, blockTime: "1s", transport: "socket", faucetAddress: "trust1x",
  nodes: [0, 1].map((index) => ({ index, nodeId: `n${index}`, ports: portsFor(index) })),
};

test("prometheus.yml is written whole, 0600: a symbolic link planted there is replaced, not written through", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-monitoring-"));
  try {
    const l = monitoringLayout(home);
    mkdirSync(l.dir);
    const victim = join(home, "victim.txt");
    writeFileSync(victim, "not yours\n");
    symlinkSync(victim, l.config);
    assert.equal(await writePrometheusConfig(home, manifest), l.config);
    assert.equal(readFileSync(victim, "utf8"), "not yours\n");
    assert.equal(lstatSync(l.config).isSymbolicLink(), false);
    assert.equal(lstatSync(l.config).mode & 0o777, 0o600);
    assert.equal(readFileSync(l.config, "utf8"), prometheusConfig(manifest));
    assert.deepEqual(readdirSync(l.dir), ["prometheus.yml"]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
