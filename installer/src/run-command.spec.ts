// The installer's runner passes its environment on, but not the wallet CLI's keystore passphrase.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCommand } from "./run-command.ts";

test("a program run by the installer does not get $TRUSTNET_KEYRING_PASSPHRASE", async () => {
  const env = { PATH: process.env.PATH, MARKER: "seen", TRUSTNET_KEYRING_PASSPHRASE: "do not leak this passphrase" };
  const r = await runCommand("env", [], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^MARKER=seen$/mu);
  assert.doesNotMatch(r.stdout, /TRUSTNET_KEYRING_PASSPHRASE/u);
});
