import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { completeLine, parseHelp, type HelpEntries } from "./completion.ts";

const TOP = `trustnet <command> [options]

Commands:
  trustnet keys                manage keys
  trustnet balance [address]   show balances
  trustnet send <to> <amount>  send TRUST

Options:
      --home      TrustNet home
  -o, --output    output format
  -h, --help      Show help`;

const KEYS = `trustnet keys

Commands:
  trustnet keys add <name>     create
  trustnet keys list           list
  trustnet keys show [name]    show

Options:
      --passphrase-file  read it`;

const helpFor = (path: readonly string[]): Promise<HelpEntries> =>
  path.length === 0 ? Promise.resolve(parseHelp(TOP, [])) : path[0] === "keys" ? Promise.resolve(parseHelp(KEYS, ["keys"])) : Promise.reject(new Error("no"));

describe("shell completion", () => {
  test("parseHelp finds subcommands and options", () => {
    assert.deepEqual(parseHelp(TOP, []), { subcommands: ["keys", "balance", "send"], options: ["--home", "--output", "--help"] });
    assert.deepEqual(parseHelp(KEYS, ["keys"]).subcommands, ["add", "list", "show"]);
  });
  test("completes top-level commands, shell words, subcommands and options", async () => {
    assert.deepEqual(await completeLine("ke", helpFor), [["keys "], "ke"]);
    assert.deepEqual(await completeLine("", helpFor), [["balance", "exit", "help", "keys", "send"], ""]);
    assert.deepEqual(await completeLine("keys ", helpFor), [["add", "list", "show"], ""]);
    assert.deepEqual(await completeLine("keys s", helpFor), [["show "], "s"]);
    assert.deepEqual(await completeLine("trustnet keys l", helpFor), [["list "], "l"]);
    assert.deepEqual(await completeLine("keys add x --pa", helpFor), [["--passphrase-file "], "--pa"]);
    assert.deepEqual(await completeLine("nothing here", helpFor), [[], "here"]);
  });
});
