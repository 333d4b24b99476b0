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
  test("completes key names after --from and for a leaf command's positionals", async () => {
    const keys = (): Promise<readonly string[]> => Promise.resolve(["alice", "bob", "albert"]);
    const leaf = (path: readonly string[]): Promise<HelpEntries> =>
      path.length === 0 ? helpFor(path) : Promise.resolve({ subcommands: [], options: ["--from", "--memo"] });
    assert.deepEqual(await completeLine("send bob 1TRUST --from al", leaf, keys), [["albert", "alice"], "al"]);
    assert.deepEqual(await completeLine("balance b", leaf, keys), [["bob "], "b"]);
    assert.deepEqual(await completeLine("send b", leaf, keys), [["bob "], "b"]);
    assert.deepEqual(await completeLine("send --m", leaf, keys), [["--memo "], "--m"]);
    assert.deepEqual(await completeLine("ba", leaf, keys), [["balance "], "ba"]);
  });
});
