import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { buildRelease, pinInstallSh } from "./release.ts";

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

describe("release: the tarball holds what git tracks", () => {
  /** A throwaway repository in `<tmp>/repo` (outputs go beside it): install.sh and a tracked file committed, an ignored file. */
  function repo(): string {
    const dir = join(mkdtempSync(join(tmpdir(), "tn-release-")), "repo");
    mkdirSync(dir);
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args]);
    git("init", "-q");
    writeFileSync(join(dir, "install.sh"), '#!/bin/sh\nTN_VERSION_PIN="9.9.9"\nTN_TARBALL_SHA256=""\n');
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "app.ts"), "export {};\n");
    writeFileSync(join(dir, ".gitignore"), "*.log\n");
    git("add", ".");
    git("commit", "-qm", "init");
    writeFileSync(join(dir, "debug.log"), "ignored\n");
    writeFileSync(join(dir, "src", "app.ts"), "export const edited = 1;\n"); // tracked, edited: shipped as it is on disk
    return dir;
  }
  const listing = (tarball: string): string[] => execFileSync("tar", ["-tzf", tarball]).toString().trim().split("\n").sort();

  test("an untracked file that git does not ignore makes it refuse, naming the file, and write nothing", async () => {
    const dir = repo();
    try {
      writeFileSync(join(dir, ".env"), "SECRET=1\n");
      const out = join(dir, "..", "out");
      await assert.rejects(buildRelease(dir, out), (e: Error) => {
        assert.match(e.message, /^the working tree has 1 untracked file that git does not ignore \(\.env\); a release holds only what git tracks$/);
        assert.match((e as Error & { hint?: string }).hint ?? "", /--allow-untracked/);
        return true;
      });
      assert.equal(existsSync(out), false, "no output directory");
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });

  test("a clean tree ships the tracked files as they are on disk, never ignored ones; --allow-untracked adds untracked ones", async () => {
    const dir = repo();
    try {
      const clean = await buildRelease(dir, join(dir, "..", "clean"));
      assert.deepEqual(listing(clean.tarball), ["trustnet-9.9.9/.gitignore", "trustnet-9.9.9/install.sh", "trustnet-9.9.9/src/app.ts"]);
      assert.equal(execFileSync("tar", ["-xzOf", clean.tarball, "trustnet-9.9.9/src/app.ts"]).toString(), "export const edited = 1;\n");
      assert.match(readFileSync(clean.installSh, "utf8"), new RegExp(`TN_TARBALL_SHA256="${clean.sha256}"`));
      writeFileSync(join(dir, "notes.txt"), "scratch\n");
      const loose = await buildRelease(dir, join(dir, "..", "loose"), { allowUntracked: true });
      assert.deepEqual(listing(loose.tarball), ["trustnet-9.9.9/.gitignore", "trustnet-9.9.9/install.sh", "trustnet-9.9.9/notes.txt", "trustnet-9.9.9/src/app.ts"]);
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });
});
