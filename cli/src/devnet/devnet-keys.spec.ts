// The devnet's plaintext test keys are read with the keystores' check: a key file that is a symlink, that another
// user could read or write, or in a directory another user could write to, is refused with the fix, and left as it is.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "../errors.ts";
import { UnsafeKeystoreError } from "../keyring/errors.ts";
import { readFaucet } from "./devnet-keys.ts";
import { devnetLayout } from "./layout.ts";

const KEY = { note: "devnet faucet key", address: "trust1faucet", mnemonic: "abandon ".repeat(23) + "art" };

/** A home with devnet/faucet.json as `devnet generate` writes it: 0600 in a 0700 devnet/. */
async function withFaucet(fn: (home: string, file: string, dir: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), "tn-devnet-keys-"));
  try {
    const l = devnetLayout(home);
    await mkdir(l.root, { mode: 0o700 });
    await writeFile(l.faucet, JSON.stringify(KEY), { mode: 0o600 });
    await fn(home, l.faucet, l.root);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const refused = (re: RegExp, hint: RegExp) => (e: unknown): boolean => e instanceof UnsafeKeystoreError && re.test(e.message) && hint.test(e.hint ?? "");

describe("devnet key files", () => {
  test("the faucet key as generate writes it is read", async () => {
    await withFaucet(async (home) => {
      assert.deepEqual(await readFaucet(home), { address: KEY.address, mnemonic: KEY.mnemonic });
    });
  });

  test("a faucet key its group or other users can read or write is refused with chmod 600, and left unchanged", async () => {
    await withFaucet(async (home, file) => {
      const cases = [[0o640, "readable by its group"], [0o604, "readable by other users"], [0o644, "readable by its group"], [0o620, "writable by its group"], [0o602, "writable by other users"]] as const;
      for (const [mode, what] of cases) {
        await chmod(file, mode);
        const hint = what.startsWith("readable") ? /other users could copy the key, which is stored unencrypted; make it private: chmod 600 / : /another user could have put a key there; check it, then: chmod 600 /;
        await assert.rejects(readFaucet(home), refused(new RegExp(`^refusing to use ${file}: it is ${what} \\(mode 0${mode.toString(8)}\\)$`), new RegExp(`${hint.source}${file}$`)));
        assert.equal((await stat(file)).mode & 0o777, mode, "the file is not touched on read");
      }
      await chmod(file, 0o600);
      assert.equal((await readFaucet(home)).address, KEY.address);
    });
  });

  test("a faucet key that is a symbolic link is refused", async () => {
    await withFaucet(async (home, file) => {
      const elsewhere = join(home, "elsewhere.json");
      await rename(file, elsewhere);
      await symlink(elsewhere, file);
      await assert.rejects(readFaucet(home), refused(/it is a symbolic link$/, /replace it with the file itself/));
    });
  });

  test("a devnet directory others can write to is refused (chmod 700); one they can only list is not", async () => {
    await withFaucet(async (home, _file, dir) => {
      for (const mode of [0o770, 0o707, 0o777]) {
        await chmod(dir, mode);
        await assert.rejects(readFaucet(home), refused(new RegExp(`^refusing to use ${dir}: it is writable by `), new RegExp(`chmod 700 ${dir}$`)));
        assert.equal((await stat(dir)).mode & 0o777, mode, "the directory is not touched");
      }
      // a VM's home is unpacked by tar, which makes devnet/ 0755: its files stay private
      await chmod(dir, 0o755);
      assert.equal((await readFaucet(home)).address, KEY.address);
    });
  });

  test("a missing, non-JSON or incomplete faucet key is a clear error naming the file", async () => {
    await withFaucet(async (home, file) => {
      await writeFile(file, "{not json", { mode: 0o600 });
      await assert.rejects(readFaucet(home), (e: unknown) => e instanceof CliError && e.message === `cannot use the devnet faucet key ${file}: it is not JSON`);
      await writeFile(file, JSON.stringify({ address: KEY.address }));
      await assert.rejects(readFaucet(home), (e: unknown) => e instanceof CliError && e.message === `cannot use the devnet faucet key ${file}: it has no address and mnemonic`);
      await rm(file);
      await assert.rejects(readFaucet(home), (e: unknown) => e instanceof CliError && e.message === `cannot use the devnet faucet key ${file}: it does not exist` && /devnet up/.test(e.hint ?? ""));
    });
  });
});
