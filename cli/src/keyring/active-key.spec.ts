// The key a command signs with (`--from`): a name, the address of a local key, or the active key; and the errors when
// the home is not usable.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { CliError, UsageError } from "../errors.ts";
import { getActiveKey, resolveKeyName, setActiveKey } from "./active-key.ts";
import { createKey, showKey } from "./keyring.ts";
import { MIN_SCRYPT } from "./keystore-format.ts";
import { keyExists, keyPath, listKeystores } from "./keystore.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "tn-active-key-"));
  try {
    await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe("resolveKeyName (--from)", () => {
  test("a trust1… address selects the local key with that address (any case); showKey takes it too", () => withHome(async (home) => {
    const alice = await createKey(home, "alice", fast);
    const bob = await createKey(home, "bob", fast);
    assert.equal(await resolveKeyName(home, bob.address), "bob");
    assert.equal(await resolveKeyName(home, bob.address.toUpperCase()), "bob");
    assert.equal(await resolveKeyName(home, "alice"), "alice");
    assert.equal(await resolveKeyName(home, undefined), "alice", "omitted: the active key");
    assert.equal((await showKey(home, alice.address)).name, "alice");
  }));

  test("an address no local key has: a clear error naming the address, before anything is asked", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const other = toBech32("trust", new Uint8Array(20).fill(9));
    await assert.rejects(resolveKeyName(home, other), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, new RegExp(`^no key in .*keys has the address ${other}$`, "u"));
      assert.match(err.hint ?? "", /trustnet keys list/u);
      return true;
    });
  }));

  test("another chain's address, a mistyped trust1… address and an empty name are usage errors with the reason", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const usage = (what: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && what.test(err.message);
    await assert.rejects(resolveKeyName(home, toBech32("cosmos", new Uint8Array(20).fill(1))), usage(/wrong prefix "cosmos", expected "trust"/u));
    const good = toBech32("trust", new Uint8Array(20).fill(1));
    const flipped = good.slice(0, -1) + (good.endsWith("q") ? "p" : "q");
    await assert.rejects(resolveKeyName(home, flipped), usage(/bad checksum/u));
    await assert.rejects(resolveKeyName(home, ""), usage(/^the key name is empty$/u));
  }));

  test("another chain's address with a bad checksum is an address gone wrong, not an unknown key; a key of that name still wins", () => withHome(async (home) => {
    await createKey(home, "alice", fast);
    const cosmos = toBech32("cosmos", new Uint8Array(20).fill(1));
    const mistyped = cosmos.slice(0, -1) + (cosmos.endsWith("q") ? "p" : "q");
    await assert.rejects(resolveKeyName(home, mistyped), (err: unknown) => err instanceof UsageError && err.exitCode === 2
      && /wrong prefix "cosmos", expected "trust" .*; its checksum does not match either/u.test(err.message) && !/no key/u.test(err.message));
    // `keys add` refuses such a name (it is shaped like an address); a key that has it anyway (made by an older CLI,
    // or a keystore file renamed by hand) is found by its name.
    await assert.rejects(createKey(home, mistyped, fast), (err: unknown) => err instanceof UsageError && /is shaped like an address .*; no key was created$/u.test(err.message));
    assert.equal(await keyExists(home, mistyped), false);
    await copyFile(keyPath(home, "alice"), keyPath(home, mistyped));
    assert.equal(await resolveKeyName(home, mistyped), mistyped);
  }));

  test("keys add refuses a name that reads as another chain's address (it could never be used by name)", () => withHome(async (home) => {
    const cosmos = toBech32("cosmos", new Uint8Array(20).fill(3));
    await assert.rejects(createKey(home, cosmos, fast), (err: unknown) => err instanceof UsageError && /invalid key name .*is a bech32 address/u.test(err.message));
  }));
});

describe("a home that is not a usable directory", () => {
  test("filesystem errors name the path and the reason, as CliErrors (no raw ENOTDIR with a stack)", () => withHome(async (dir) => {
    const home = join(dir, "a-file");
    await writeFile(home, "not a directory\n");
    const named = (path: string) => (err: unknown): boolean => {
      assert.ok(err instanceof CliError, `not a CliError: ${String(err)}`);
      assert.ok(err.message.includes(path), err.message);
      assert.match(err.message, /not a directory \(ENOTDIR\)/u);
      assert.match(err.hint ?? "", /--home/u);
      return true;
    };
    await assert.rejects(listKeystores(home), named(join(home, "keys")));
    await assert.rejects(getActiveKey(home), named(join(home, "config", "cli.json")));
    await assert.rejects(keyExists(home, "alice"), named(join(home, "keys", "alice.json")));
    await assert.rejects(setActiveKey(home, undefined), named(join(home, "config", "cli.json")));
    await assert.rejects(createKey(home, "alice", fast), named(join(home, "keys")));
  }));
});
