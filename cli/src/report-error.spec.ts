// What a user sees for an error: the message and a hint, never a stack trace unless TRUSTNET_DEBUG is set.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { IncompatibleChainError, InvalidConfigError } from "@trustnet/provisioner";
import { CliError, UsageError } from "./errors.ts";
import { describeError } from "./report-error.ts";
import { INCOMPATIBLE_HOME_EXIT } from "./state-format.ts";
import { buildCli } from "./main.ts";

const STACK_LINE = /^\s+at /mu;

async function fsFailure(): Promise<unknown> {
  try {
    await readdir(join(import.meta.filename, "keys")); // ENOTDIR: a file used as a directory
  } catch (err) {
    return err;
  }
  throw new Error("readdir under a file succeeded");
}

describe("describeError", () => {
  test("an unexpected error prints its message only, with a hint to set TRUSTNET_DEBUG=1, and exits 1", async () => {
    const err = await fsFailure();
    const d = describeError(err, { env: {} });
    assert.equal(d.exitCode, 1);
    assert.match(d.text, /^error: ENOTDIR: not a directory, scandir '.*keys'\n/u);
    assert.doesNotMatch(d.text, STACK_LINE, d.text);
    assert.match(d.text, /hint: set TRUSTNET_DEBUG=1/u);
    const thrown = describeError("a string", { env: {} });
    assert.equal(thrown.text.split("\n")[0], "error: a string");
  });

  test("TRUSTNET_DEBUG=1 adds the stack, and the causes' stacks", async () => {
    const cause = await fsFailure();
    const d = describeError(new CliError("cannot read the key directory", { hint: "check --home", cause }), { env: { TRUSTNET_DEBUG: "1" } });
    assert.match(d.text, /^error: cannot read the key directory\nhint: check --home\nCliError: cannot read/u);
    assert.match(d.text, STACK_LINE);
    assert.match(d.text, /caused by: Error: ENOTDIR/u);
    for (const off of ["", "0"]) assert.doesNotMatch(describeError(new Error("x"), { env: { TRUSTNET_DEBUG: off } }).text, STACK_LINE);
  });

  test("CliErrors keep their exit code and hint; the other areas' typed errors their hint; yargs' errors are usage errors", async () => {
    assert.deepEqual(describeError(new UsageError("bad", "do this"), { env: {} }), { text: "error: bad\nhint: do this\n", exitCode: 2 });
    class ProvisionError extends Error {
      readonly hint = "install qemu";
    }
    assert.deepEqual(describeError(new ProvisionError("no qemu"), { env: {} }), { text: "error: no qemu\nhint: install qemu\n", exitCode: 1 });
    assert.deepEqual(describeError(new InvalidConfigError("bad size", "use 4"), { env: {} }), { text: "error: bad size\nhint: use 4\n", exitCode: 2 });
    // A VMs' chain of another state format exits as a refused devnet or node home does (install.sh tells it apart).
    assert.deepEqual(describeError(new IncompatibleChainError("old chain", "start a new one"), { env: {} }), { text: "error: old chain\nhint: start a new one\n", exitCode: INCOMPATIBLE_HOME_EXIT });
    const yargsErr = await (async () => buildCli(["frobnicate"]).parseAsync())().then(() => undefined, (e: unknown) => e);
    const d = describeError(yargsErr, { usage: "Run 'trustnet --help' for usage.", env: {} });
    assert.deepEqual(d, { text: "error: Unknown argument: frobnicate\nRun 'trustnet --help' for usage.\n", exitCode: 2 });
    // A negative amount (`send bob -1TRUST`): yargs reads it as the options -1, -T, … and asks for the amount; say why.
    for (const argv of [["send", "bob", "-1TRUST", "--from", "alice"], ["tx", "staking", "delegate", "-5", "--from", "alice"]]) {
      const neg = await (async () => buildCli(argv).parseAsync())().then(() => undefined, (e: unknown) => e);
      const text = describeError(neg, { usage: "Run 'trustnet --help' for usage.", env: {}, argv }).text;
      assert.match(text, new RegExp(`\nhint: "${argv[argv.indexOf("--from") - 1]}" was read as options, not a value: amounts, heights and ids are never negative\n`, "u"), text);
    }
    const after = ["send", "bob", "--from", "alice", "--", "-1TRUST"];
    const parsed = await (async () => buildCli(["send", "bob"]).parseAsync())().then(() => undefined, (e: unknown) => e);
    assert.doesNotMatch(describeError(parsed, { env: {}, argv: after }).text, /was read as options/u, "after -- it is no option");
    // A near miss: yargs' suggestion alone ("Did you mean node?") does not say the command is unknown.
    for (const [argv, suggested] of [[["nide"], "node"], [["keys", "lst"], "list"]] as const) {
      const near = await (async () => buildCli(argv).parseAsync())().then(() => undefined, (e: unknown) => e);
      assert.deepEqual(describeError(near, { usage: "Run 'trustnet --help' for usage.", env: {} }), { text: `error: unknown command; did you mean "${suggested}"?\nRun 'trustnet --help' for usage.\n`, exitCode: 2 });
    }
  });
});
