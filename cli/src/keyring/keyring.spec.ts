import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKey, deleteKey, exportMnemonic, getSigner, showKey, unlockKey } from "./keyring.ts";
import { getActiveKey, setActiveKey } from "./active-key.ts";
import { deriveKey, generateMnemonic } from "./hd.ts";
import { MIN_SCRYPT } from "./keystore-format.ts";
import { keyPath, listKeystores } from "./keystore.ts";
import { CorruptKeystoreError, DuplicateKeyError, InvalidKeyNameError, KeyExistsError, KeyNotFoundError, PassphraseError, UnsafeKeystoreError, WrongPassphraseError } from "./errors.ts";

const PASS = { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null } as const;
const WRONG = { env: { TRUSTNET_KEYRING_PASSPHRASE: "wrong horse battery" }, prompt: null } as const;
const fast = { passphrase: PASS, scrypt: MIN_SCRYPT } as const;

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "tn-keyring-"));
  try {
    await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function mutateJson(path: string, edit: (doc: Record<string, unknown>) => void): Promise<string> {
  const doc = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  edit(doc);
  const text = JSON.stringify(doc, null, 2) + "\n";
  await writeFile(path, text);
  return text;
}

describe("keyring", () => {
  test("create → unlock → export round trip; the first key becomes active; files are 0600 in a 0700 dir", async () => {
    await withHome(async (home) => {
      const created = await createKey(home, "alice", fast);
      assert.equal(created.active, true);
      assert.equal(created.mnemonic.split(" ").length, 24);
      assert.equal(await getActiveKey(home), "alice");
      const unlocked = await unlockKey(home, undefined, PASS);
      assert.equal(unlocked.address, created.address);
      assert.deepEqual(unlocked, { name: "alice", ...(await deriveKey(created.mnemonic)) });
      assert.equal((await exportMnemonic(home, "alice", PASS)).mnemonic, created.mnemonic);
      assert.equal((await stat(keyPath(home, "alice"))).mode & 0o777, 0o600);
      assert.equal((await stat(join(home, "keys"))).mode & 0o777, 0o700);
      const text = await readFile(keyPath(home, "alice"), "utf8");
      for (const word of new Set(created.mnemonic.split(" "))) assert.ok(!text.includes(` ${word} `), "mnemonic in clear");
      const signer = await getSigner(home, "alice", PASS);
      assert.equal((await signer.getAccounts())[0]?.address, created.address);
    });
  });

  test("recover from a mnemonic gives the same address; a second key does not steal the active setting", async () => {
    await withHome(async (home) => {
      const mnemonic = generateMnemonic();
      await createKey(home, "a", fast);
      const b = await createKey(home, "b", { ...fast, mnemonic: mnemonic.toUpperCase() });
      assert.equal(b.address, (await deriveKey(mnemonic)).address);
      assert.equal(b.active, false);
      assert.equal(await getActiveKey(home), "a");
      await setActiveKey(home, "b");
      assert.equal((await showKey(home, undefined)).name, "b");
      assert.deepEqual((await listKeystores(home)).map((k) => k.name), ["a", "b"]);
    });
  });

  test("a mnemonic already in the keyring under another name is refused, naming that key; nothing is written", async () => {
    await withHome(async (home) => {
      const mnemonic = generateMnemonic();
      const a = await createKey(home, "a", { ...fast, mnemonic });
      const refused = (e: unknown) => e instanceof DuplicateKeyError && e.existing === "a" && e.address === a.address && e.message.includes('as "a"');
      await assert.rejects(createKey(home, "b", { ...fast, mnemonic: `  ${mnemonic.toUpperCase()} ` }), refused);
      await assert.rejects(createKey(home, "b", { ...fast, mnemonic, force: true }), refused, "--force replaces a name, it does not allow a second one");
      assert.deepEqual((await listKeystores(home)).map((k) => k.name), ["a"]);
      const again = await createKey(home, "a", { ...fast, mnemonic, force: true });
      assert.equal(again.address, a.address, "the same name may be re-imported with --force");
    });
  });

  test("never overwrites an existing key without force; force replaces a valid one", async () => {
    await withHome(async (home) => {
      const first = await createKey(home, "k", fast);
      const before = await readFile(keyPath(home, "k"), "utf8");
      await assert.rejects(createKey(home, "k", fast), KeyExistsError);
      assert.equal(await readFile(keyPath(home, "k"), "utf8"), before);
      const second = await createKey(home, "k", { ...fast, force: true });
      assert.notEqual(second.address, first.address);
      assert.equal((await unlockKey(home, "k", PASS)).address, second.address);
    });
  });

  test("wrong passphrase: clear message, file unchanged", async () => {
    await withHome(async (home) => {
      await createKey(home, "bob", fast);
      const before = await readFile(keyPath(home, "bob"), "utf8");
      await assert.rejects(unlockKey(home, "bob", WRONG), (e: unknown) => e instanceof WrongPassphraseError && e.message === "wrong passphrase for key bob");
      assert.equal(await readFile(keyPath(home, "bob"), "utf8"), before);
    });
  });

  test("tampered ciphertext, tag, address, name or date is refused as corrupted and never overwritten; force moves it aside intact", async () => {
    await withHome(async (home) => {
      const other = await deriveKey(generateMnemonic());
      const edits: readonly ((d: Record<string, unknown>) => void)[] = [
        (d) => { const c = Buffer.from(d.ciphertext as string, "base64"); c[0] = (c[0] ?? 0) ^ 1; d.ciphertext = c.toString("base64"); },
        (d) => { const c = d.cipher as Record<string, string>; const t = Buffer.from(c.tag ?? "", "base64"); t[3] = (t[3] ?? 0) ^ 0x80; c.tag = t.toString("base64"); },
        (d) => { d.address = other.address; },
        (d) => { d.name = "mallory"; },
        (d) => { d.createdAt = "2000-01-01T00:00:00.000Z"; },
      ];
      for (const edit of edits) {
        await createKey(home, "t", fast);
        const tampered = await mutateJson(keyPath(home, "t"), edit);
        await assert.rejects(unlockKey(home, "t", PASS), CorruptKeystoreError);
        await assert.rejects(createKey(home, "t", fast), KeyExistsError);
        assert.equal(await readFile(keyPath(home, "t"), "utf8"), tampered);
        const forced = await createKey(home, "t", { ...fast, force: true });
        assert.ok(forced.replaced);
        assert.equal(await readFile(forced.replaced, "utf8"), tampered);
        await rm(forced.replaced);
        await deleteKey(home, "t");
      }
    });
  });

  test("truncated, empty or foreign files are refused with the reason; list shows the problem", async () => {
    await withHome(async (home) => {
      await createKey(home, "x", fast);
      const full = await readFile(keyPath(home, "x"), "utf8");
      for (const [text, reason] of [[full.slice(0, full.length / 2), /not valid JSON/u], ["", /empty/u], ['{"hello":1}', /not a TrustNet keystore/u]] as const) {
        await writeFile(keyPath(home, "x"), text);
        await assert.rejects(unlockKey(home, "x", PASS), (e: unknown) => e instanceof CorruptKeystoreError && reason.test(e.message));
        assert.equal(await readFile(keyPath(home, "x"), "utf8"), text);
      }
      await writeFile(keyPath(home, "x"), "x".repeat(100_000));
      await assert.rejects(unlockKey(home, "x", PASS), /100000 bytes/u);
      const [listed] = await listKeystores(home);
      assert.equal(listed?.address, undefined);
      assert.match(listed?.problem ?? "", /100000 bytes/u);
    });
  });

  test("bad names, missing keys, no active key, no passphrase source", async () => {
    await withHome(async (home) => {
      await assert.rejects(createKey(home, "../evil", fast), InvalidKeyNameError);
      await assert.rejects(createKey(home, "", fast), InvalidKeyNameError);
      await assert.rejects(unlockKey(home, "nobody", PASS), KeyNotFoundError);
      await assert.rejects(unlockKey(home, undefined, PASS), /no active key/u);
      await assert.rejects(createKey(home, "p", { passphrase: { env: {}, prompt: null } }), (e: unknown) => e instanceof PassphraseError && /TRUSTNET_KEYRING_PASSPHRASE/u.test(e.hint ?? ""));
      await assert.rejects(createKey(home, "p", { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "short" }, prompt: null } }), /too short/u);
      await assert.rejects(stat(keyPath(home, "p")), /ENOENT/u);
    });
  });

  test("prompting asks twice for a new key and refuses a mismatch; passphrase file takes the first line; one others can read is refused", async () => {
    await withHome(async (home) => {
      const answers = ["first passphrase", "other passphrase"];
      const prompt = (): Promise<string> => Promise.resolve(answers.shift() ?? "");
      await assert.rejects(createKey(home, "p", { passphrase: { env: {}, prompt }, scrypt: MIN_SCRYPT }), /differ/u);
      const file = join(home, "pass.txt");
      await writeFile(file, "from a file 123\nignored\n");
      // like ssh with a private key file: a passphrase file others can read (or write) is refused, nothing written
      for (const [mode, why] of [[0o644, /readable by its group \(mode 0644\)/u], [0o604, /readable by other users \(mode 0604\)/u], [0o620, /writable by its group \(mode 0620\)/u]] as const) {
        await chmod(file, mode);
        await assert.rejects(createKey(home, "p", { passphrase: { file, prompt: null }, scrypt: MIN_SCRYPT }), (e: unknown) => {
          assert.ok(e instanceof UnsafeKeystoreError, String(e));
          assert.match(e.message, why);
          assert.match(e.hint ?? "", new RegExp(`could (read|have changed) the passphrase; nothing was changed; (make it private|check it, then): chmod 600 ${file.replace(/[.]/gu, "\\.")}`, "u"));
          return true;
        });
        await assert.rejects(stat(keyPath(home, "p")), /ENOENT/u);
      }
      await chmod(file, 0o600);
      await createKey(home, "p", { passphrase: { file, prompt: null }, scrypt: MIN_SCRYPT });
      assert.equal((await unlockKey(home, "p", { file })).name, "p");
      await assert.rejects(unlockKey(home, "p", PASS), WrongPassphraseError);
    });
  });

  test("delete removes the file and clears the active setting", async () => {
    await withHome(async (home) => {
      await createKey(home, "gone", fast);
      await deleteKey(home, "gone");
      assert.equal(await getActiveKey(home), undefined);
      await assert.rejects(deleteKey(home, "gone"), KeyNotFoundError);
    });
  });
});
