// `trustnet keys …`: create, recover, list, show, select, export and delete encrypted keys.
import type { Argv, CommandModule } from "yargs";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { keysAdd, keysDelete, keysExport, keysList, keysShow, keysUse, type KeysArgs, type KeysDeps } from "./keys-run.ts";
import { confirm, passphraseSource, readMnemonic, withPassphraseOption, type PassphraseOptions } from "./wallet-options.ts";

type Args = KeysArgs & PassphraseOptions;

function depsFor(a: Args): KeysDeps {
  return { printer: printerFor(a), passphrase: passphraseSource(a), readMnemonic, confirm };
}

const nameArg = <T>(y: Argv<T>, demand: boolean): Argv<T> =>
  y.positional("name", { type: "string", describe: demand ? "key name" : "key name (default: the active key)", demandOption: demand }) as Argv<T>;

function run(fn: (a: Args, deps: KeysDeps) => Promise<void>): (a: unknown) => Promise<void> {
  return (a) => fn(a as Args, depsFor(a as Args));
}

function subcommands(y: Argv<GlobalOptions>): Argv {
  return withPassphraseOption(y)
    .command("add <name>", "create a new key (24-word mnemonic), or recover one with --recover", (b) =>
      nameArg(b, true)
        .option("recover", { type: "boolean", default: false, describe: "recover from an existing mnemonic (from --mnemonic-file, a prompt or stdin)" })
        .option("mnemonic-file", { type: "string", describe: "with --recover: read the mnemonic from this file, which must be private (chmod 600)" })
        .option("force", { type: "boolean", default: false, describe: "replace an existing key of that name (the old file is moved to keys/replaced/)" })
        .option("backup", { type: "boolean", default: true, describe: "print the new mnemonic (--no-backup to hide it)" })
        .example("$0 keys add alice", "create key alice; asks for a passphrase twice")
        .example("TRUSTNET_KEYRING_PASSPHRASE=… $0 keys add ci --output json", "non-interactive, JSON output")
        .example("$0 keys add bob --recover --mnemonic-file words.txt", "recover a key from its mnemonic"),
    run((a, d) => keysAdd(a, a.recover === true, d)))
    .command("import <name>", "import a key from its mnemonic (--mnemonic-file, a prompt, or stdin)", (b) =>
      nameArg(b, true)
        .option("mnemonic-file", { type: "string", describe: "read the mnemonic from this file, which must be private (chmod 600)" })
        .option("force", { type: "boolean", default: false, describe: "replace an existing key of that name" })
        .example("$0 keys import bob --mnemonic-file words.txt", "import from a file")
        .example("cat words.txt | $0 keys import bob --passphrase-file pass.txt", "import from stdin"),
    run((a, d) => keysAdd(a, true, d)))
    .command("list", "list keys (* marks the active key)", (b) =>
      b.example("$0 keys list", "names and addresses").example("$0 keys list --output json", "as JSON"),
    run(keysList))
    .command("show [name]", "show a key's address and public key (no passphrase needed)", (b) =>
      nameArg(b, false)
        .option("address", { alias: "a", type: "boolean", default: false, describe: "print only the address (-a, as the Cosmos SDK's keys show)" })
        .option("bech", { choices: ["acc", "val"] as const, default: "acc" as const, describe: "the address's kind: acc (trust1…) or val, the key's validator operator address (trustvaloper1…)" })
        .example("$0 keys show alice", "details of key alice")
        .example("$0 keys show alice --bech val -a", "alice's validator operator address")
        .example("$0 keys show --address", "the active key's address"),
    run(keysShow))
    .command("use <name>", "make a key the active one (the default for send, balance, account)", (b) =>
      nameArg(b, true).example("$0 keys use alice", "sign with alice by default"),
    run(keysUse))
    .command("export [name]", "print a key's mnemonic, after its passphrase", (b) =>
      nameArg(b, false).example("$0 keys export alice", "show alice's 24 words (keep them secret)"),
    run(keysExport))
    .command("delete <name>", "delete a key (its keystore is moved to <home>/keys/deleted/)", (b) =>
      nameArg(b, true)
        .option("yes", { alias: "y", type: "boolean", default: false, describe: "do not ask for confirmation" })
        .example("$0 keys delete old --yes", "delete without asking"),
    run(keysDelete))
    .example("$0 keys add alice", "create a key (you will be asked for a passphrase)")
    .example("$0 keys list -o json", "all keys as JSON")
    .demandCommand(1, "Name a keys subcommand: add, import, list, show, use, export or delete.") as unknown as Argv;
}

export const keysCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "keys",
  describe: "manage encrypted signing keys (BIP39, m/44'/118'/0'/0/0, prefix trust)",
  builder: (y) => subcommands(y) as unknown as Argv<GlobalOptions>,
  handler: () => undefined,
};
