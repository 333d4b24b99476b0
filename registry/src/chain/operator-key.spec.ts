import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
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
      [await put("open.json", { mnemonic }, 0o640), /readable by group\/others \(chmod 600 it\)/],
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
