// `provider lease-logs` run by another user than the one who owns the provider's state (sudo, as root): refused with
// the owner's name and `sudo -u`, before it drains anything into files the daemon (the owner) could then not write.
// A real process on a directory chowned to nobody (65534): possible as root only (the owner check with an injected
// euid is provisioner/src/lifecycle/owner.spec.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { userName } from "@trustnet/provisioner";

const LAUNCHER = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));
const NOBODY = 65534;

test("provider lease-logs on a provider home another user owns: refused (exit 1), naming the owner and sudo -u; nothing written", { skip: process.geteuid?.() !== 0 && "needs root to chown a directory to another uid" }, async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-leaselogs-owner-"));
  try {
    const provider = join(home, "provider");
    await mkdir(join(provider, "closed-logs"), { recursive: true });
    await writeFile(join(provider, "closed-logs", "7.serial.log"), "boot\n");
    for (const p of [provider, join(provider, "closed-logs"), join(provider, "closed-logs", "7.serial.log")]) await chown(p, NOBODY, NOBODY);
    const name = await userName(NOBODY);
    for (const follow of [[], ["--follow"]]) {
      const r = spawnSync(process.execPath, [LAUNCHER, "provider", "lease-logs", "7", "--home", home, ...follow], { encoding: "utf8" });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, new RegExp(`^error: ${provider} belongs to ${name} \\(uid ${NOBODY}\\), not to this user \\(uid 0\\)`, "u"));
      assert.match(r.stderr, new RegExp(`sudo -u ${name} trustnet provider lease-logs 7 …`, "u"));
    }
    assert.deepEqual((await readdir(provider)).sort(), ["closed-logs"]);
    // Its owner (here root, for a home root owns) reads it as before.
    await chown(provider, 0, 0);
    const own = spawnSync(process.execPath, [LAUNCHER, "provider", "lease-logs", "7", "--home", home], { encoding: "utf8" });
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.stdout, "boot\n");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
