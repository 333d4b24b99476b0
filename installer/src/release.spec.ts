import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pinInstallSh } from "./release.ts";

const installSh = readFileSync(join(import.meta.dirname, "..", "..", "install.sh"), "utf8");

describe("release: the published install.sh carries the tarball's pin", () => {
  test("the repository's install.sh has an empty pin, and the release step fills exactly that line", () => {
    assert.match(installSh, /^\s*TN_TARBALL_SHA256=""/m, "a clone's install.sh is not a release: no pin");
    const sha = "ab".repeat(32);
    const out = pinInstallSh(installSh, sha);
    assert.match(out, new RegExp(`^\\s*TN_TARBALL_SHA256="${sha}"`, "m"));
    assert.equal(out.split("\n").length, installSh.split("\n").length);
    assert.deepEqual(out.split("\n").filter((l, i) => l !== installSh.split("\n")[i]).length, 1, "only that line changes");
  });

  test("refuses a bad hash or a script without exactly one pin line", () => {
    assert.throws(() => pinInstallSh(installSh, "nothex"), /not a SHA-256/);
    assert.throws(() => pinInstallSh("#!/bin/sh\n", "ab".repeat(32)), /exactly one TN_TARBALL_SHA256/);
    assert.throws(() => pinInstallSh('TN_TARBALL_SHA256=""\nTN_TARBALL_SHA256=""\n', "ab".repeat(32)), /found 2/);
  });
});
