import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidConfigError, MissingDependencyError } from "./errors.ts";
import { realShell as $ } from "./shell.ts";
import { fakeShell } from "./testing/fake-shell.ts";
import { createOverlay, imageInfo } from "./disks.ts";

describe("disks (real qemu-img)", () => {
  test("overlay backed by the base, resized to the profile", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-disk-"));
    try {
      const base = join(dir, "base.qcow2");
      assert.equal((await $`qemu-img create -q -f qcow2 ${base} 2G`).exitCode, 0, "qemu-img missing: sh scripts/prereqs.sh");
      const overlay = join(dir, "disk.qcow2");
      await createOverlay($, base, overlay, 3);
      const info = await imageInfo($, overlay);
      assert.equal(info.format, "qcow2");
      assert.equal(info.virtualSize, 3 * 1024 ** 3);
      const raw = JSON.parse((await $`qemu-img info --output=json ${overlay}`).stdout) as { "backing-filename"?: string; "backing-filename-format"?: string };
      assert.equal(raw["backing-filename"], base);
      assert.equal(raw["backing-filename-format"], "qcow2");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  test("a disk smaller than the image is refused and nothing is written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-disk-"));
    try {
      const base = join(dir, "base.qcow2");
      await $`qemu-img create -q -f qcow2 ${base} 5G`;
      const overlay = join(dir, "disk.qcow2");
      await assert.rejects(createOverlay($, base, overlay, 2), (e: unknown) => {
        assert.ok(e instanceof InvalidConfigError);
        assert.match(e.message, /disk size 2 GiB is smaller than the image/);
        assert.match(e.hint ?? "", /at least 5 GiB/);
        return true;
      });
      assert.equal(existsSync(overlay), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  test("a base image that reads another host file (backing or data file) is refused and nothing is written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-disk-"));
    try {
      const secret = join(dir, "id_ed25519");
      await writeFile(secret, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
      const backed = join(dir, "backed.qcow2");
      assert.equal((await $`qemu-img create -q -f qcow2 -F raw -b ${secret} ${backed} 1G`).exitCode, 0);
      const external = join(dir, "external.qcow2");
      assert.equal((await $`qemu-img create -q -f qcow2 -o ${`data_file=${join(dir, "data.raw")}`} ${external} 1G`).exitCode, 0);
      for (const [base, names] of [[backed, secret], [external, join(dir, "data.raw")]] as const) {
        const overlay = join(dir, "disk.qcow2");
        await assert.rejects(createOverlay($, base, overlay, 2), (e: unknown) => e instanceof InvalidConfigError && e.message === `${base} is not a self-contained image: it reads ${names}`);
        assert.equal(existsSync(overlay), false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  test("no qemu-img: the package to install", async () => {
    const seen: string[] = [];
    const missing = fakeShell(() => ({ exitCode: 127, stderr: "bash: qemu-img: command not found" }), seen);
    await assert.rejects(createOverlay(missing, "/b", "/o", 10), (e: unknown) => e instanceof MissingDependencyError && /qemu-utils/.test(e.hint ?? ""));
    assert.deepEqual(seen, ["qemu-img info --output=json /b"]);
  });
});
