import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bip39, Random, Secp256k1 } from "@cosmjs/crypto";
import { loadOperatorKey } from "./operator-key.ts";

test("loadOperatorKey: the devnet's file format; every bad file named with its problem", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-opkey-"));
  const file = (name: string): string => join(dir, name);
  const put = async (name: string, body: unknown, mode = 0o600): Promise<string> => {
    await writeFile(file(name), typeof body === "string" ? body : JSON.stringify(body));
    await chmod(file(name), mode);
    return file(name);
  };
  try {
    const mnemonic = Bip39.encode(Random.getBytes(32)).toString();
    const key = await loadOperatorKey(await put("ok.json", { note: "devnet registry operator key", mnemonic: `  ${mnemonic}\n` }));
    assert.match(key.address, /^trust1[0-9a-z]{38}$/);
    assert.equal(key.pubkey.length, 33);
    assert.deepEqual(Secp256k1.compressPubkey((await Secp256k1.makeKeypair(key.privkey)).pubkey), key.pubkey);
    assert.equal((await loadOperatorKey(await put("with-address.json", { address: key.address, mnemonic }))).address, key.address);

    const bad: [string, RegExp][] = [
      [file("missing.json"), /cannot read operator key file .*missing\.json: no such file/],
      [dir, /is not a regular file/],
      [await put("open.json", { mnemonic }, 0o640), /open\.json is readable by its group \(mode 0640\): chmod 600 .*open\.json; on a Kubernetes secret volume set defaultMode: 0400, or, .* pass --operator-key-trusted-mount/],
      [await put("world.json", { mnemonic }, 0o604), /readable by other users \(mode 0604\)/],
      [await put("writable.json", { mnemonic }, 0o620), /writable by its group \(mode 0620; chmod 600 /],
      [await put("corrupt.json", "{\"mnemonic\": "), /corrupt\.json is corrupt/],
      [await put("array.json", "[]"), /array\.json is corrupt: not a JSON object/],
      [await put("empty.json", ""), /empty\.json is corrupt/],
      [await put("none.json", { address: key.address }), /has no mnemonic/],
      [await put("badwords.json", { mnemonic: "correct horse battery staple" }), /not a valid BIP-39 phrase/],
      [await put("other.json", { address: "trust1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", mnemonic }), /does not match its mnemonic/],
    ];
    for (const [path, re] of bad) await assert.rejects(loadOperatorKey(path), re, path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("loadOperatorKey through a symlink (a Kubernetes secret mount): the file it ends at is checked; a trusted mount may be readable", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tn-opkey-link-"));
  try {
    const mnemonic = Bip39.encode(Random.getBytes(32)).toString();
    // the kubelet's layout: key -> ..data/key, ..data -> ..2026_12_06…/, files 0644 unless defaultMode is set
    const stamp = join(dir, "..2026_12_06_00_00_00.1");
    await mkdir(stamp, { mode: 0o755 });
    await chmod(stamp, 0o755);
    await writeFile(join(stamp, "key"), JSON.stringify({ mnemonic }));
    await symlink("..2026_12_06_00_00_00.1", join(dir, "..data"));
    await symlink("..data/key", join(dir, "key"));
    const link = join(dir, "key");
    const target = join(stamp, "key");
    await chmod(target, 0o644);
    await assert.rejects(loadOperatorKey(link), /operator key file .*key \(-> .*2026_12_06_00_00_00\.1\/key\) is readable by its group and other users \(mode 0644\): chmod 600 .*defaultMode: 0400.*--operator-key-trusted-mount/);
    assert.match((await loadOperatorKey(link, { trustedMount: true })).address, /^trust1/);
    await chmod(target, 0o400);
    assert.match((await loadOperatorKey(link)).address, /^trust1/);
    // a trusted mount is never one others can write to: not the file, not its directory
    await chmod(target, 0o602);
    await assert.rejects(loadOperatorKey(link, { trustedMount: true }), /writable by other users \(mode 0602; chmod 600 /);
    await chmod(target, 0o444);
    await chmod(stamp, 0o777);
    await assert.rejects(loadOperatorKey(link, { trustedMount: true }), /the directory .*2026_12_06_00_00_00\.1 of operator key file .* is writable by its group and other users \(mode 0777\): they could replace the key/);
    await chmod(stamp, 0o755);
    // a dangling link says so
    await symlink("nowhere", join(dir, "dangling"));
    await assert.rejects(loadOperatorKey(join(dir, "dangling")), /cannot read operator key file .*dangling: no such file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
