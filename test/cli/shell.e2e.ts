// `trustnet shell` in a real pseudo-terminal: commands run in-process, errors do not end the shell, history
// persists across sessions, tab completes, and a new key's passphrase is prompted twice without echo.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { Pty } from "./pty.ts";

const root = join(import.meta.dirname, "..", "..");
const PROMPT = /trustnet> $/u;

function shellEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TRUSTNET_HOME: home, TERM: "xterm", TRUSTNET_NODE: "http://127.0.0.1:9" };
  delete env.TRUSTNET_KEYRING_PASSPHRASE;
  return env;
}

describe("trustnet shell (pty)", () => {
  test("keys in the shell: prompted passphrase, JSON output, errors survive, completion, history", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-shell-"));
    const sh = new Pty([process.execPath, "cli/bin/trustnet.js", "shell"], shellEnv(home), root);
    try {
      await sh.expect(PROMPT);
      // A new key: the passphrase is asked twice and never echoed.
      sh.write("keys add alice\r");
      await sh.expect(/New passphrase for key alice.*: $/u);
      sh.write("s3cret-passphrase\r");
      await sh.expect(/Repeat the passphrase: $/u);
      sh.write("s3cret-passphrase\r");
      const created = await sh.expect(PROMPT);
      assert.match(created, /Created key "alice" \(now the active key\)/u);
      assert.ok(!sh.text.includes("s3cret-passphrase"), "passphrase echoed");

      sh.write("keys list --output json\r");
      const listed = await sh.expect(PROMPT);
      const json = JSON.parse(listed.slice(listed.indexOf("["), listed.lastIndexOf("]") + 1)) as { name: string; active: boolean; address: string }[];
      assert.equal(json.length, 1);
      assert.equal(json[0]?.name, "alice");
      assert.equal(json[0]?.active, true);
      assert.match(json[0]?.address ?? "", /^trust1/u);

      // Recovering a key at the prompt: the mnemonic and the passphrase are read without echo.
      const words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
      sh.write("keys add rec --recover\r");
      await sh.expect(/Enter the mnemonic \(24 words, not echoed\): $/u);
      sh.write(`${words}\r`);
      await sh.expect(/New passphrase for key rec.*: $/u);
      sh.write("another-passphrase\r");
      await sh.expect(/Repeat the passphrase: $/u);
      sh.write("another-passphrase\r");
      const recovered = await sh.expect(PROMPT);
      const expected = toBech32("trust", fromBech32("cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4", 90).data);
      assert.match(recovered, new RegExp(`Recovered key "rec"\\s+address: ${expected}`, "u"));
      assert.ok(!sh.text.includes("abandon about") && !sh.text.includes("another-passphrase"), "secret echoed");

      // Errors are reported and the shell keeps going.
      sh.write("frobnicate\r");
      assert.match(await sh.expect(PROMPT), /error: Unknown argument: frobnicate/u);
      sh.write("send nobody 0trust\r");
      assert.match(await sh.expect(PROMPT), /error: no key named "nobody" in .*, and "nobody" is not a trust1… address/u);
      sh.write("balance\r");
      assert.match(await sh.expect(PROMPT), /cannot reach the node at http:\/\/127\.0\.0\.1:9/u);

      // Tab completion of a command, then of a subcommand.
      sh.write("ke\t");
      await sh.expect(/keys $/u);
      sh.write("sh\t");
      await sh.expect(/show $/u);
      sh.write("--address\r");
      assert.match(await sh.expect(PROMPT), new RegExp(json[0]?.address ?? "x", "u"));

      // Key names complete where a key is expected.
      sh.write("keys use al\t");
      await sh.expect(/alice $/u);
      sh.write("\r");
      assert.match(await sh.expect(PROMPT), /Active key: alice/u);

      sh.write("exit\r");
      assert.equal(await sh.wait(), 0);
    } finally {
      sh.kill();
    }
    const history = await readFile(join(home, "shell_history"), "utf8");
    assert.match(history, /^keys add alice\nkeys list --output json\nkeys add rec --recover\nfrobnicate\n/u);
    assert.ok(!history.includes("s3cret"), "passphrase in history");

    // A second session sees the history: arrow up recalls `exit`, then the commands before it.
    const again = new Pty([process.execPath, "cli/bin/trustnet.js", "shell"], shellEnv(home), root);
    try {
      await again.expect(PROMPT);
      again.write("\x1b[A");
      await again.expect(/exit$/u);
      again.write("\x1b[A");
      await again.expect(/keys use alice $/u);
      again.write("\x1b[A");
      await again.expect(/keys show --address$/u);
      again.write("\r");
      await again.expect(PROMPT);
      again.write("\x04"); // Ctrl-D on an empty line ends the shell
      assert.equal(await again.wait(), 0);
    } finally {
      again.kill();
      await rm(home, { recursive: true, force: true });
    }
  });
});
