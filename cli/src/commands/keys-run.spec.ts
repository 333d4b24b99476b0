import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import { CliError, UsageError } from "../errors.ts";
import { generateMnemonic, getActiveKey, keyPath, listKeystores, MIN_SCRYPT, pubkeyToAddress, UnsafeKeystoreError } from "../keyring/index.ts";
import type { OutputFormat, Printer } from "../output.ts";
import { buildCli } from "../main.ts";
import { readMnemonic } from "./wallet-options.ts";
import { keysAdd, keysDelete, keysExport, keysList, keysShow, keysUse, type KeysArgs, type KeysDeps } from "./keys-run.ts";

interface Captured { results: unknown[]; texts: string[]; info: string[] }

function fakePrinter(format: OutputFormat, c: Captured): Printer {
  return {
    format,
    result(json, text) {
      c.results.push(json);
      if (text) c.texts.push(text());
    },
    info(line) {
      c.info.push(line);
    },
  };
}

async function setup(answers: readonly (boolean | undefined)[] = [], mnemonic = ""): Promise<{ home: string; c: Captured; deps: KeysDeps; args: (extra?: Partial<KeysArgs>) => KeysArgs }> {
  const home = await mkdtemp(join(tmpdir(), "tn-keys-run-"));
  const c: Captured = { results: [], texts: [], info: [] };
  const queue = [...answers];
  const deps: KeysDeps = {
    printer: fakePrinter("text", c),
    passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "unit test pass" }, prompt: null },
    readMnemonic: () => Promise.resolve(mnemonic),
    confirm: () => Promise.resolve(queue.shift()),
    scrypt: MIN_SCRYPT,
  };
  const args = (extra: Partial<KeysArgs> = {}): KeysArgs => ({ home, node: "http://127.0.0.1:1", "chain-id": "trustnet-local-1", output: "text", ...extra });
  return { home, c, deps, args };
}

describe("keys commands (in-process, injected I/O)", () => {
  test("add and import refuse a name shaped like a mistyped address (cosmos1… or trust1… with a bad checksum): usage error, nothing asked, nothing created", async () => {
    const { home, c, deps, args } = await setup([], generateMnemonic());
    try {
      const typo = (a: string): string => a.slice(0, 10) + (a[10] === "q" ? "p" : "q") + a.slice(11);
      const names = [
        typo(toBech32("cosmos", new Uint8Array(20).fill(7))), typo(toBech32("trust", new Uint8Array(20).fill(7))),
        typo(toBech32("trust", new Uint8Array(20).fill(7))).toUpperCase(), typo(toBech32("osmo", new Uint8Array(32).fill(7))),
      ];
      let asked = 0;
      const counting: KeysDeps = { ...deps, readMnemonic: (file) => { asked++; return deps.readMnemonic(file); } };
      for (const name of names) {
        for (const recover of [false, true]) {
          await assert.rejects(keysAdd(args({ name }), recover, counting), (e: unknown) => {
            assert.ok(e instanceof UsageError, String(e));
            assert.equal(e.exitCode, 2);
            assert.equal(e.message, `invalid key name "${name}": it is shaped like an address (a mistyped one, or another chain's), so it would be confused with one; no key was created`);
            assert.match(e.hint ?? "", /a name that does not look like an address/u);
            return true;
          }, name);
        }
      }
      assert.equal(asked, 0, "refused before the mnemonic is asked for");
      assert.deepEqual([await listKeystores(home), await getActiveKey(home), c.results, c.info], [[], undefined, [], []], "no key, no active key, nothing printed");
      // Names with a 1 in them that are not address-shaped are still fine.
      for (const name of ["node1", "validator1backup"]) await keysAdd(args({ name }), false, counting);
      assert.deepEqual((await listKeystores(home)).map((k) => k.name).sort(), ["node1", "validator1backup"]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("add prints a warning and the mnemonic; --no-backup hides it; recover prints no mnemonic", async () => {
    const { home, c, deps, args } = await setup();
    try {
      await keysAdd(args({ name: "a" }), false, deps);
      const first = c.results[0] as { mnemonic: string; active: boolean };
      assert.equal(first.active, true);
      assert.match(c.info[0] ?? "", /Write these words down/u);
      assert.ok(c.texts[0]?.includes(first.mnemonic));
      await keysAdd(args({ name: "b", backup: false }), false, deps);
      assert.equal((c.results[1] as { mnemonic?: string }).mnemonic, undefined);

      const r = await setup([], first.mnemonic);
      await keysAdd(r.args({ name: "again" }), true, r.deps);
      assert.equal((r.c.results[0] as { address: string }).address, (c.results[0] as { address: string }).address);
      assert.match(r.c.texts[0] ?? "", /^Recovered key "again"/u);
      await rm(r.home, { recursive: true, force: true });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("list marks the active key; show --address; use switches; export warns on stderr", async () => {
    const { home, c, deps, args } = await setup();
    try {
      await keysAdd(args({ name: "a" }), false, deps);
      await keysAdd(args({ name: "b" }), false, deps);
      c.results.length = 0;
      c.texts.length = 0;
      c.info.length = 0;
      await keysList(args(), deps);
      assert.match(c.texts[0] ?? "", /^\* a +trust1.*\n {2}b +trust1/u);
      await keysUse(args({ name: "b" }), deps);
      await keysShow(args({ address: true }), deps);
      assert.match(c.texts.at(-1) ?? "", /^trust1[a-z0-9]{38}$/u);
      await keysExport(args({ name: "b" }), deps);
      assert.match(c.info.at(-1) ?? "", /WARNING: the mnemonic below controls key "b"/u);
      assert.equal((c.texts.at(-1) ?? "").split(" ").length, 24);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("keys show -a is --address, as in the Cosmos SDK's CLI", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-keys-a-"));
    try {
      // Parsed by the real command tree: the option is known, so the command runs (and finds no key in an empty home).
      await assert.rejects(buildCli(["keys", "show", "-a", "--home", home]).parseAsync(), /no key given and no active key is set/u);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("keys show --bech val prints the key's validator operator address (trustvaloper1…, the same bytes), as the SDK's", async () => {
    const { home, c, deps, args } = await setup();
    try {
      await keysAdd(args({ name: "a" }), false, deps);
      c.results.length = 0;
      c.texts.length = 0;
      await keysShow(args({ name: "a" }), deps);
      const acc = (c.results.at(-1) as { address: string }).address;
      const valoper = toBech32("trustvaloper", fromBech32(acc, 90).data);
      await keysShow(args({ name: "a", bech: "val", address: true }), deps);
      assert.equal(c.texts.at(-1), valoper);
      assert.deepEqual(c.results.at(-1), { address: valoper });
      await keysShow(args({ name: "a", bech: "val" }), deps);
      assert.equal((c.results.at(-1) as { address: string }).address, valoper);
      assert.match(c.texts.at(-1) ?? "", new RegExp(`^address: ${valoper}$`, "mu"));
      await keysShow(args({ name: "a", bech: "acc", address: true }), deps);
      assert.equal(c.texts.at(-1), acc);
      // Through the real parser: --bech is an option (acc by default), and an unknown kind is a usage error.
      await buildCli(["keys", "show", "a", "--bech", "val", "-a", "--home", home]).parseAsync();
      await assert.rejects(async () => buildCli(["keys", "show", "a", "--bech", "cons", "--home", home]).parseAsync(), /Invalid values:[\s\S]*bech/u);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("add, show and list -o json carry the SDK's KeyOutput: type local, pubkey a string of the key's Any JSON", async () => {
    const { home, c, deps, args } = await setup();
    try {
      await keysAdd(args({ name: "a" }), false, deps);
      await keysShow(args({ name: "a" }), deps);
      await keysList(args(), deps);
      const [added, shown, listed] = c.results as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>[]];
      const pubkey = JSON.parse(String(shown.pubkey)) as { "@type": string; key: string };
      assert.deepEqual(Object.keys(pubkey), ["@type", "key"]);
      assert.equal(pubkey["@type"], "/cosmos.crypto.secp256k1.PubKey");
      assert.equal(pubkeyToAddress(fromBase64(pubkey.key)), shown.address, "the key of that address");
      assert.equal(shown.pubkey_type, undefined, "the type is inside pubkey");
      for (const doc of [added, shown, listed[0] ?? {}]) {
        assert.deepEqual({ name: doc.name, type: doc.type, address: doc.address, pubkey: doc.pubkey }, { name: "a", type: "local", address: shown.address, pubkey: shown.pubkey });
      }
      assert.deepEqual(Object.keys(shown), ["name", "type", "address", "pubkey", "created_at", "active", "path"]);
      // An unreadable keystore is still listed: no address, no pubkey, its problem.
      await writeFile(keyPath(home, "broken"), "{", { mode: 0o600 });
      await keysList(args(), deps);
      const broken = (c.results.at(-1) as Record<string, unknown>[]).find((k) => k.name === "broken");
      assert.deepEqual({ ...broken, problem: typeof broken?.problem }, { name: "broken", type: "local", address: null, pubkey: null, active: false, created_at: null, problem: "string" });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("delete asks; no answer possible → usage error; 'no' keeps the key; 'yes' deletes it", async () => {
    const { home, c, deps, args } = await setup([undefined, false, true]);
    try {
      await keysAdd(args({ name: "gone" }), false, deps);
      await assert.rejects(keysDelete(args({ name: "gone" }), deps), (e: unknown) => e instanceof UsageError && /--yes/u.test(e.hint ?? ""));
      await assert.rejects(keysDelete(args({ name: "gone" }), deps), (e: unknown) => e instanceof CliError && e.message === "not deleted");
      const before = await readFile(keyPath(home, "gone"), "utf8");
      await keysDelete(args({ name: "gone" }), deps);
      const out = c.results.at(-1) as { deleted: string; address: string; moved_to: string };
      assert.deepEqual(out, { deleted: "gone", address: (c.results[0] as { address: string }).address, moved_to: out.moved_to });
      // Moved, not unlinked: into keys/deleted/ (0700), unchanged.
      assert.equal(dirname(out.moved_to), join(home, "keys", "deleted"));
      assert.equal(await readFile(out.moved_to, "utf8"), before);
      assert.equal((await stat(join(home, "keys", "deleted"))).mode & 0o777, 0o700);
      await assert.rejects(stat(keyPath(home, "gone")), /ENOENT/u);
      assert.match(c.texts.at(-1) ?? "", /^Deleted key "gone" \(trust1\w+\); the file was moved to .*\/keys\/deleted\/gone-.*\.json$/u);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("a corrupted keystore can be deleted by name, after confirmation, and is moved aside", async () => {
    const { home, c, deps, args } = await setup([false, true]);
    try {
      await keysAdd(args({ name: "broken" }), false, deps);
      await writeFile(keyPath(home, "broken"), "{ truncated");
      await assert.rejects(keysDelete(args({ name: "broken" }), deps), (e: unknown) => e instanceof CliError && e.message === "not deleted");
      assert.equal(await readFile(keyPath(home, "broken"), "utf8"), "{ truncated");
      await keysDelete(args({ name: "broken" }), deps);
      const out = c.results.at(-1) as { deleted: string; address: null; moved_to: string };
      assert.equal(out.deleted, "broken");
      assert.equal(out.address, null);
      assert.equal(await readFile(out.moved_to, "utf8"), "{ truncated");
      assert.match(c.texts.at(-1) ?? "", /^Deleted the unreadable keystore of key "broken" \(it is not valid JSON \(truncated\?\)\)/u);
      await assert.rejects(keysDelete(args({ name: "nobody", yes: true }), deps), /no key named "nobody"/u);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("--mnemonic-file others can read or write is refused like --passphrase-file, nothing written; a private file and a pipe are read", async () => {
    const { home, c, deps, args } = await setup();
    try {
      const real = { ...deps, readMnemonic };
      const file = join(home, "words.txt");
      await writeFile(file, `${generateMnemonic()}\n`);
      for (const [mode, why] of [[0o644, /readable by its group \(mode 0644\)/u], [0o604, /readable by other users \(mode 0604\)/u], [0o602, /writable by other users \(mode 0602\)/u]] as const) {
        await chmod(file, mode);
        await assert.rejects(keysAdd(args({ name: "m", "mnemonic-file": file }), true, real), (e: unknown) => {
          assert.ok(e instanceof UnsafeKeystoreError, String(e));
          assert.match(e.message, why);
          assert.match(e.hint ?? "", new RegExp(`mnemonic.*nothing was written; .*: chmod 600 ${file.replace(/[.]/gu, "\\.")}$`, "u"));
          return true;
        });
        await assert.rejects(stat(keyPath(home, "m")), /ENOENT/u);
      }
      await chmod(file, 0o600);
      await keysAdd(args({ name: "m", "mnemonic-file": file }), true, real);
      await stat(keyPath(home, "m"));

      // a pipe (here a FIFO, as `<(pass show words)` gives) is read whatever its mode
      const fifo = join(home, "words.fifo");
      execFileSync("mkfifo", ["-m", "0644", fifo]);
      const writer = writeFile(fifo, `${generateMnemonic()}\n`);
      await keysAdd(args({ name: "p", "mnemonic-file": fifo }), true, real);
      await writer;
      assert.match(c.texts.at(-1) ?? "", /^Recovered key "p"/u);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
