// A keystore another local user could have written or read is not used (like ssh's private key files), and the address
// a keystore states must be its public key's: both are used without the passphrase (`keys show`, address resolution).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, lstat, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKey, showKey } from "./keyring.ts";
import { deriveKey, generateMnemonic } from "./hd.ts";
import { MIN_SCRYPT } from "./keystore-format.ts";
import { keyPath, keysDir, listKeystores } from "./keystore.ts";
import { unsafe } from "./private-file.ts";
import { CorruptKeystoreError, UnsafeKeystoreError } from "./errors.ts";
import { resolveAddressArg } from "../address-arg.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "tn-keystore-"));
  try {
    await fn(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe("keystore permissions and integrity on read", () => {
  test("a group- or other-writable keystore is refused with the chmod fix, and left unchanged", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const path = keyPath(home, "alice");
      const before = await readFile(path, "utf8");
      for (const [mode, who] of [[0o620, "its group"], [0o602, "other users"]] as const) {
        await chmod(path, mode);
        await assert.rejects(showKey(home, "alice"), (e: unknown) =>
          e instanceof UnsafeKeystoreError && e.message === `refusing to use ${path}: it is writable by ${who} (mode 0${mode.toString(8)})` && (e.hint ?? "").endsWith(`chmod 600 ${path}`));
        assert.equal((await stat(path)).mode & 0o777, mode, "the file is not touched on read");
        await assert.rejects(resolveAddressArg(home, "alice", { what: "recipient" }), UnsafeKeystoreError);
      }
      assert.equal(await readFile(path, "utf8"), before);
      await chmod(path, 0o600);
      assert.equal((await showKey(home, "alice")).name, "alice");
    });
  });

  test("a group- or other-writable key directory is refused for reads and listing", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const dir = keysDir(home);
      await chmod(dir, 0o777);
      await assert.rejects(showKey(home, "alice"), (e: unknown) => e instanceof UnsafeKeystoreError && e.message.startsWith(`refusing to use ${dir}: it is writable by its group`) && /chmod 700/u.test(e.hint ?? ""));
      await assert.rejects(listKeystores(home), UnsafeKeystoreError);
      await chmod(dir, 0o700);
      assert.equal((await listKeystores(home)).length, 1);
    });
  });

  test("a keystore that is a symbolic link is refused", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const path = keyPath(home, "alice");
      const elsewhere = join(home, "elsewhere.json");
      await rename(path, elsewhere);
      await symlink(elsewhere, path);
      await assert.rejects(showKey(home, "alice"), (e: unknown) => e instanceof UnsafeKeystoreError && /it is a symbolic link/u.test(e.message));
    });
  });

  test("a file or directory owned by another user is refused, naming the owner and the chown fix", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const path = keyPath(home, "alice");
      const st = await lstat(path);
      // Seen by another uid than the owner's (only root could hand the file to someone else here).
      const bad = unsafe(st, path, "file", { uid: st.uid + 1 });
      assert.ok(bad instanceof UnsafeKeystoreError);
      assert.equal(bad.message, `refusing to use ${path}: it is owned by uid ${st.uid}, not by you (uid ${st.uid + 1})`);
      assert.match(bad.hint ?? "", new RegExp(`chown ${st.uid + 1} ${path} && chmod 600 ${path}$`, "u"));
      assert.equal(unsafe(st, path, "file", { uid: st.uid }), undefined);
      assert.match(unsafe(await stat(keysDir(home)), keysDir(home), "dir", { uid: st.uid + 1 })?.hint ?? "", /chmod 700/u);
    });
  });

  test("an address that is not the stored public key's is refused without the passphrase", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const path = keyPath(home, "alice");
      const other = await deriveKey(generateMnemonic());
      const doc = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
      doc.address = other.address;
      await writeFile(path, JSON.stringify(doc));
      await assert.rejects(showKey(home, "alice"), (e: unknown) => e instanceof CorruptKeystoreError && /its address does not match its public key/u.test(e.message));
      await assert.rejects(resolveAddressArg(home, "alice", { what: "recipient" }), CorruptKeystoreError);
      assert.match((await listKeystores(home))[0]?.problem ?? "", /does not match its public key/u);
    });
  });

  test("a keystore its group or other users can read is refused, naming the file and chmod 600; left unchanged", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const path = keyPath(home, "alice");
      for (const [mode, who] of [[0o640, "its group"], [0o604, "other users"], [0o644, "its group"], [0o610, "its group"]] as const) {
        await chmod(path, mode);
        await assert.rejects(showKey(home, "alice"), (e: unknown) =>
          e instanceof UnsafeKeystoreError && e.message === `refusing to use ${path}: it is readable by ${who} (mode 0${mode.toString(8)})` && (e.hint ?? "").endsWith(`make it private: chmod 600 ${path}`));
        await assert.rejects(resolveAddressArg(home, "alice", { what: "recipient" }), UnsafeKeystoreError);
        assert.match((await listKeystores(home))[0]?.problem ?? "", /readable by/u);
        assert.equal((await stat(path)).mode & 0o777, mode, "the file is not touched on read");
      }
      // Writing another key does not quietly fix it either: the owner is told.
      await createKey(home, "bob", fast);
      assert.equal((await stat(path)).mode & 0o777, 0o610);
      await chmod(path, 0o600);
      assert.equal((await showKey(home, "alice")).name, "alice");
    });
  });

  test("a key directory its group or other users can list or enter is refused (chmod 700), for reads and writes", async () => {
    await withHome(async (home) => {
      await createKey(home, "alice", fast);
      const dir = keysDir(home);
      for (const mode of [0o750, 0o705, 0o711]) {
        await chmod(dir, mode);
        await assert.rejects(showKey(home, "alice"), (e: unknown) =>
          e instanceof UnsafeKeystoreError && e.message.startsWith(`refusing to use ${dir}: it is open to `) && (e.hint ?? "").endsWith(`chmod 700 ${dir}`));
        await assert.rejects(listKeystores(home), UnsafeKeystoreError);
        await assert.rejects(createKey(home, "bob", fast), UnsafeKeystoreError);
        assert.equal((await stat(dir)).mode & 0o777, mode, "the directory is not touched");
      }
      await chmod(dir, 0o700);
      assert.equal((await listKeystores(home)).length, 1);
    });
  });

  test("keys the CLI writes are 0600 in a 0700 directory whatever the umask", async () => {
    const old = process.umask();
    try {
      for (const mask of [0o000, 0o022, 0o277]) {
        process.umask(mask);
        await withHome(async (home) => {
          await createKey(home, "alice", fast);
          await createKey(home, "alice", { ...fast, force: true });
          assert.equal((await stat(keysDir(home))).mode & 0o777, 0o700, `umask ${mask.toString(8)}`);
          assert.equal((await stat(keyPath(home, "alice"))).mode & 0o777, 0o600, `umask ${mask.toString(8)}`);
          assert.equal((await showKey(home, "alice")).name, "alice");
        });
      }
    } finally {
      process.umask(old);
    }
  });
});
