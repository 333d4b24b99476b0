// `provider run` run by another user than the one who owns the provider's state (sudo, as root): refused with the
// owner's name and `sudo -u`, before it writes a lease directory, the image cache, or starts a lease VM's QEMU (as
// root those were root's, and the tenants' VMs ran as root). The gate with an injected euid, and the real CLI on a
// home chowned to nobody (65534): possible as root only.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chown, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { NotOwnerError, userName } from "@trustnet/provisioner";
import { providerHome, requireProviderOwner } from "./provider-run.ts";
import { treeSnapshot } from "../testing/tree-snapshot.ts";

const LAUNCHER = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));
const NOBODY = 65534;

test("provider run's owner check: refused when the home is another user's, naming the owner and sudo -u; a home not there yet passes", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-run-owner-"));
  try {
    const owner = (await stat(home)).uid;
    const name = await userName(owner);
    await mkdir(join(providerHome(home), "leases"), { recursive: true });
    await requireProviderOwner(home, "provider run", owner);
    await assert.rejects(requireProviderOwner(home, "provider run", owner + 1), (e: unknown) => e instanceof NotOwnerError
      && e.message.startsWith(`${home} belongs to ${name} (uid ${owner}), not to this user (uid ${owner + 1}): 'provider run' runs as its owner only`)
      && (e.hint ?? "").endsWith(`sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet provider run …`));
    await requireProviderOwner(join(home, "fresh"), "provider run", owner + 1);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("provider run on a home another user owns: refused (exit 1), naming the owner and sudo -u; nothing written", { skip: process.geteuid?.() !== 0 && "needs root to chown a directory to another uid" }, async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-run-owner-cli-"));
  try {
    const lease = join(providerHome(home), "leases", "7");
    await mkdir(lease, { recursive: true });
    await writeFile(join(lease, "serial.log"), "boot\n");
    for (const p of Object.keys(await treeSnapshot(home))) await chown(join(home, p), NOBODY, NOBODY);
    const name = await userName(NOBODY);
    const before = await treeSnapshot(home);
    // Were it to get past the check, it could reach no chain (port 9 on loopback: nothing listens).
    const r = spawnSync(process.execPath, [LAUNCHER, "provider", "run", "--home", home, "--node", "http://127.0.0.1:9", "--chain-id", "trustnet-test"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`^error: ${home} belongs to ${name} \\(uid ${NOBODY}\\), not to this user \\(uid 0\\): 'provider run' runs as its owner only.*\nhint: run it as ${name}, with the same arguments: sudo -u ${name} trustnet provider run …`, "su"));
    assert.deepEqual(await treeSnapshot(home), before);
    // The home and <home>/provider root's, the lease VMs' directory nobody's: refused, naming that directory.
    for (const p of ["", "provider"]) await chown(join(home, p), 0, 0);
    const leases = spawnSync(process.execPath, [LAUNCHER, "provider", "run", "--home", home, "--node", "http://127.0.0.1:9", "--chain-id", "trustnet-test"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(leases.status, 1, leases.stderr);
    assert.match(leases.stderr, new RegExp(`^error: ${join(home, "provider", "leases")} belongs to ${name} \\(uid ${NOBODY}\\)`, "u"));
    assert.deepEqual(Object.keys(await treeSnapshot(home)), Object.keys(before));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
