import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CLOUD_IMAGE_RECIPE, backgroundBuildArgv, cloudImageDir, cloudImageFile, pruneOtherCloudImages, startBackgroundBuild,
} from "./cloud-image.ts";

test("the image is cached under the test cache by the recipe's hash", () => {
  const hash = createHash("sha256").update(readFileSync(CLOUD_IMAGE_RECIPE)).digest("hex").slice(0, 16);
  assert.equal(cloudImageDir({ TRUSTNET_TEST_CACHE: "/c" }), `/c/provisioner-cloud-image/${hash}`);
  assert.equal(cloudImageFile({ TRUSTNET_TEST_CACHE: "/c" }), `/c/provisioner-cloud-image/${hash}/image.qcow2`);
  assert.match(cloudImageDir({ HOME: "/ignored" }), /\/\.cache\/trustnet-test\/provisioner-cloud-image\/[0-9a-f]{16}$/);
});

test("a changed recipe is a new cache directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "tn-recipe-"));
  const a = join(dir, "a.sh");
  const b = join(dir, "b.sh");
  writeFileSync(a, "echo one\n");
  writeFileSync(b, "echo two\n");
  assert.notEqual(cloudImageDir({ TRUSTNET_TEST_CACHE: "/c" }, a), cloudImageDir({ TRUSTNET_TEST_CACHE: "/c" }, b));
  writeFileSync(b, "echo one\n");
  assert.equal(cloudImageDir({ TRUSTNET_TEST_CACHE: "/c" }, a), cloudImageDir({ TRUSTNET_TEST_CACHE: "/c" }, b));
});

test("a background build runs at the lowest CPU priority, and the idle I/O class where ionice exists", () => {
  assert.deepEqual(backgroundBuildArgv("/out", true, "/r.sh"), ["nice", "-n", "19", "ionice", "-c", "3", "sh", "/r.sh", "/out"]);
  assert.deepEqual(backgroundBuildArgv("/out", false, "/r.sh"), ["nice", "-n", "19", "sh", "/r.sh", "/out"]);
  assert.deepEqual(backgroundBuildArgv("/out", false).slice(3), ["sh", CLOUD_IMAGE_RECIPE, "/out"]);
});

function fakeRecipe(body: string): { dir: string; recipe: string } {
  const root = mkdtempSync(join(tmpdir(), "tn-bg-build-"));
  const recipe = join(root, "recipe.sh");
  writeFileSync(recipe, body);
  return { dir: join(root, "cache", "img"), recipe };
}

test("a background build runs the recipe on the cache directory, logs to a file beside it, and reports its exit", async () => {
  const { dir, recipe } = fakeRecipe('echo building "$1"; echo qcow > "$1/image.qcow2"\n');
  const lines: string[] = [];
  const build = startBackgroundBuild({ dir, recipe, log: (l) => lines.push(l) });
  assert.match(lines[0] ?? "", new RegExp(`in the background .*log: ${dir}\\.build\\.log`));
  assert.equal(await build.wait(), 0);
  assert.equal(readFileSync(join(dir, "image.qcow2"), "utf8"), "qcow\n");
  assert.equal(readFileSync(`${dir}.build.log`, "utf8"), `building ${dir}\n`);
  assert.match(lines[1] ?? "", /built in the background in \d+ s \(the VM phase waited \d+ s for it\)/);
  build.kill(); // after the exit: nothing to stop, no throw
});

test("a failed background build says so, with the end of its log", async () => {
  const { dir, recipe } = fakeRecipe("echo mmdebstrap: no mirror >&2; exit 3\n");
  const lines: string[] = [];
  const build = startBackgroundBuild({ dir, recipe, log: (l) => lines.push(l) });
  assert.equal(await build.wait(), 3);
  assert.match(lines[1] ?? "", /build failed \(exit 3\); the VM test builds it again[^]*mmdebstrap: no mirror/);
});

test("kill() stops the whole build, the recipe's children too", async () => {
  const { dir, recipe } = fakeRecipe('sleep 30 & echo $! > "$1/child.pid"; wait\n');
  const build = startBackgroundBuild({ dir, recipe, log: () => undefined });
  const pidFile = join(dir, "child.pid");
  let pid = 0;
  for (let i = 0; i < 200 && !pid; i++) {
    await new Promise((r) => setTimeout(r, 25));
    pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : 0;
  }
  assert.ok(pid > 0, "the recipe started its child");
  build.kill();
  assert.notEqual(await build.wait(), 0);
  let alive = true;
  for (let i = 0; i < 200 && alive; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 25));
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, "the recipe's child was stopped with it");
});

test("a built image removes other recipes' images and build logs beside it, and nothing else", () => {
  const parent = join(mkdtempSync(join(tmpdir(), "tn-prune-")), "provisioner-cloud-image");
  const keep = join(parent, "aaaaaaaaaaaaaaaa");
  for (const d of ["aaaaaaaaaaaaaaaa", "0123456789abcdef", "fedcba9876543210", "not-a-recipe", "0123456789ABCDEF"]) {
    mkdirSync(join(parent, d), { recursive: true });
    writeFileSync(join(parent, d, "image.qcow2"), "qcow");
  }
  for (const f of ["aaaaaaaaaaaaaaaa.build.log", "0123456789abcdef.build.log", "notes.txt", "0123456789abcde.build.log"]) writeFileSync(join(parent, f), "x");
  assert.deepEqual(pruneOtherCloudImages(keep), ["0123456789abcdef", "0123456789abcdef.build.log", "fedcba9876543210"]);
  assert.deepEqual(readdirSync(parent).sort(), ["0123456789ABCDEF", "0123456789abcde.build.log", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa.build.log", "not-a-recipe", "notes.txt"]);
  assert.equal(readFileSync(join(keep, "image.qcow2"), "utf8"), "qcow");
  assert.deepEqual(pruneOtherCloudImages(keep), [], "nothing left to remove");
  assert.deepEqual(pruneOtherCloudImages(join(parent, "..", "absent", "aaaaaaaaaaaaaaaa")), [], "no cache directory: nothing to do");
});

test("a successful background build prunes the older recipes' images; a failed one keeps them", async () => {
  const ok = fakeRecipe('echo qcow > "$1/image.qcow2"\n');
  const parentOk = join(ok.dir, "..");
  mkdirSync(join(parentOk, "0123456789abcdef"), { recursive: true });
  const lines: string[] = [];
  assert.equal(await startBackgroundBuild({ dir: ok.dir, recipe: ok.recipe, log: (l) => lines.push(l) }).wait(), 0);
  assert.equal(existsSync(join(parentOk, "0123456789abcdef")), false);
  assert.match(lines[1] ?? "", /removed older recipes' images: 0123456789abcdef$/);

  const bad = fakeRecipe("exit 2\n");
  const parentBad = join(bad.dir, "..");
  mkdirSync(join(parentBad, "0123456789abcdef"), { recursive: true });
  assert.equal(await startBackgroundBuild({ dir: bad.dir, recipe: bad.recipe, log: () => undefined }).wait(), 2);
  assert.equal(existsSync(join(parentBad, "0123456789abcdef")), true);
});
