// Golden tests of the service definitions cloud-init writes: fixtures/<service>.<init> holds the exact text.
// Nothing is regenerated silently: UPDATE_GOLDEN=1 rewrites the files, otherwise a mismatch fails.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { openrcScript, systemdUnit } from "./services.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const update = process.env.UPDATE_GOLDEN === "1";

function golden(name: string, actual: string): void {
  const file = join(fixtures, name);
  if (update) writeFileSync(file, actual);
  assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 once and review it`);
  assert.equal(actual, readFileSync(file, "utf8"), `${name} differs from its golden file`);
}

describe("service definitions (golden)", () => {
  test("node, systemd: SIGTERM to the supervisor alone (KillMode=mixed), 60 s for its ordered stop", () => {
    const unit = systemdUnit("node", "warden");
    golden("trustnet-node.service", unit);
    assert.match(unit, /\nKillMode=mixed\nTimeoutStopSec=60\n/);
  });
  test("node, OpenRC: supervise-daemon sends TERM, waits 60 s, then KILL", () => {
    const rc = openrcScript("node", "warden");
    golden("trustnet-node.openrc", rc);
    assert.match(rc, /\nretry="TERM\/60\/KILL\/5"\n/);
  });
  test("registry: one process, the init systems' defaults", () => {
    golden("trustnet-registry.service", systemdUnit("registry", "keeper"));
    golden("trustnet-registry.openrc", openrcScript("registry", "keeper"));
  });
});
