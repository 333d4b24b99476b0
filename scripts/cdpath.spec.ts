// An exported CDPATH makes `cd DIR` print DIR, so `root=$(cd …/.. && pwd)` captured two lines and every entry
// script failed ("cannot open …"): scripts/run.sh, test.sh, prereqs.sh, .ci/run and install.sh unset it first.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const root = realpathSync(join(import.meta.dirname, ".."));

test("scripts/run.sh works with an exported CDPATH, called by a relative path as npm and the README do", () => {
  const r = spawnSync("/bin/sh", ["scripts/run.sh", "node", "-e", "process.stdout.write(process.cwd())"], {
    cwd: root, env: { ...process.env, CDPATH: `.:${tmpdir()}` }, encoding: "utf8", timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, root);
});
