// Commands that write into a VM's or the provider's state (`vm logs`, `vm start`…, `provider lease-logs`): run by
// another user than the state's owner they are refused before anything is read or written. The other user is an
// injected euid here; the CLI's specs run the real command on a directory chowned to another uid when they run as root.
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NotOwnerError } from "../errors.ts";
import { requireStateOwner, userName } from "./owner.ts";

test("requireStateOwner: the owner passes; another euid is refused, naming the owner and sudo -u; a missing dir passes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-owner-"));
  try {
    const owner = (await stat(dir)).uid;
    await requireStateOwner(dir, "provider lease-logs 7", owner);
    await requireStateOwner(dir, "provider lease-logs 7", undefined);
    await requireStateOwner(join(dir, "missing"), "provider lease-logs 7", owner + 1);
    const name = await userName(owner);
    await assert.rejects(requireStateOwner(dir, "provider lease-logs 7", owner + 1), (e: unknown) => e instanceof NotOwnerError
      && e.message === `${dir} belongs to ${name} (uid ${owner}), not to this user (uid ${owner + 1}): 'provider lease-logs 7' runs as its owner only (as this user, the files it writes there, and any QEMU it starts, would be this user's)`
      && (e.hint ?? "").endsWith(`sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet provider lease-logs 7 …`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("userName: the passwd entry's name, else #uid (sudo -u takes both); a name that is no plain word is not used", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-passwd-"));
  try {
    const passwd = join(dir, "passwd");
    await writeFile(passwd, "root:x:0:0:root:/root:/bin/sh\nprovider:x:1001:1001::/home/provider:/bin/sh\nev il;x:x:1002:1002::/:/bin/sh\n");
    assert.equal(await userName(1001, passwd), "provider");
    assert.equal(await userName(0, passwd), "root");
    assert.equal(await userName(1002, passwd), "#1002");
    assert.equal(await userName(4242, passwd), "#4242");
    assert.equal(await userName(1001, join(dir, "none")), "#1001");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
