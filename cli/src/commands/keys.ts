// `trustnet keys …`: create, recover, list, show, select, export and delete encrypted keys.
import type { Argv, CommandModule } from "yargs";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import {
  createKey, deleteKey, exportMnemonic, getActiveKey, HD_PATH, keyPath, listKeystores, setActiveKey, showKey,
} from "../keyring/index.ts";
import { confirm, passphraseSource, readMnemonic, withPassphraseOption, type WalletArgs } from "./wallet-options.ts";

type Args = WalletArgs<{
  readonly name?: string;
  readonly recover?: boolean;
  readonly force?: boolean;
  readonly "mnemonic-file"?: string;
  readonly "no-backup"?: boolean;
  readonly backup?: boolean;
  readonly address?: boolean;
  readonly yes?: boolean;
}>;

const MNEMONIC_WARNING = "Write these words down and keep them secret: anyone with them controls the key, and they are the only way to recover it.";

async function add(args: Args, recover: boolean): Promise<void> {
  const p = printerFor(args);
  const name = args.name ?? "";
  const mnemonic = recover ? await readMnemonic(args["mnemonic-file"]) : undefined;
  const k = await createKey(args.home, name, { mnemonic, force: args.force, passphrase: passphraseSource(args) });
  if (k.replaced !== undefined) p.info(`The previous "${name}" keystore was moved to ${k.replaced}.`);
  const showMnemonic = !recover && args.backup !== false;
  if (showMnemonic && p.format === "text") p.info(MNEMONIC_WARNING);
  p.result(
    { name: k.name, address: k.address, active: k.active, path: k.path, hdPath: HD_PATH, ...(showMnemonic ? { mnemonic: k.mnemonic } : {}) },
    () => [
      `${recover ? "Recovered" : "Created"} key "${k.name}"${k.active ? " (now the active key)" : ""}`,
      `address: ${k.address}`,
      ...(showMnemonic ? ["", k.mnemonic] : []),
    ].join("\n"),
  );
}

async function list(args: Args): Promise<void> {
  const keys = await listKeystores(args.home);
  const active = await getActiveKey(args.home);
  const p = printerFor(args);
  p.result(
    keys.map((k) => ({ name: k.name, address: k.address ?? null, active: k.name === active, createdAt: k.createdAt ?? null, ...(k.problem ? { problem: k.problem } : {}) })),
    () => keys.length === 0
      ? "No keys yet. Create one with `trustnet keys add <name>`."
      : keys.map((k) => `${k.name === active ? "*" : " "} ${k.name.padEnd(16)} ${k.address ?? `UNREADABLE: ${k.problem ?? ""}`}`).join("\n"),
  );
}

async function show(args: Args): Promise<void> {
  const k = await showKey(args.home, args.name);
  const p = printerFor(args);
  if (args.address === true) {
    p.result({ address: k.address }, () => k.address);
    return;
  }
  p.result({ ...k, pubkeyType: "/cosmos.crypto.secp256k1.PubKey", path: keyPath(args.home, k.name) }, () =>
    [`name:    ${k.name}${k.active ? " (active)" : ""}`, `address: ${k.address}`, `pubkey:  ${k.pubkey}`, `created: ${k.createdAt}`].join("\n"));
}

async function use(args: Args): Promise<void> {
  await setActiveKey(args.home, args.name ?? "");
  const k = await showKey(args.home, args.name);
  printerFor(args).result({ active: k.name, address: k.address }, () => `Active key: ${k.name} (${k.address})`);
}

async function exportKey(args: Args): Promise<void> {
  const p = printerFor(args);
  const k = await exportMnemonic(args.home, args.name, passphraseSource(args));
  p.info(`WARNING: the mnemonic below controls key "${k.name}". Anyone who sees it can take its funds.`);
  p.result({ name: k.name, address: k.address, mnemonic: k.mnemonic }, () => k.mnemonic);
}

async function remove(args: Args): Promise<void> {
  const name = args.name ?? "";
  const k = await showKey(args.home, name);
  if (args.yes !== true) {
    const ok = await confirm(`Delete key "${name}" (${k.address})? Without its mnemonic its funds are lost.`);
    if (ok === undefined) throw new UsageError(`refusing to delete key "${name}" without confirmation`, "pass --yes to confirm (not running in a terminal)");
    if (!ok) throw new CliError("not deleted", { exitCode: 1 });
  }
  await deleteKey(args.home, name);
  printerFor(args).result({ deleted: name, address: k.address }, () => `Deleted key "${name}" (${k.address})`);
}

const nameArg = <T>(y: Argv<T>, demand: boolean): Argv<T> =>
  y.positional("name", { type: "string", describe: demand ? "key name" : "key name (default: the active key)", demandOption: demand }) as Argv<T>;

function run(fn: (a: Args) => Promise<void>): (a: unknown) => Promise<void> {
  return (a) => fn(a as Args);
}

function subcommands(y: Argv<GlobalOptions>): Argv {
  return withPassphraseOption(y)
    .command("add <name>", "create a new key (24-word mnemonic), or recover one with --recover", (b) =>
      nameArg(b, true)
        .option("recover", { type: "boolean", default: false, describe: "recover from an existing mnemonic (from --mnemonic-file, a prompt or stdin)" })
        .option("mnemonic-file", { type: "string", describe: "with --recover: read the mnemonic from this file" })
        .option("force", { type: "boolean", default: false, describe: "replace an existing key of that name (the old file is moved to keys/replaced/)" })
        .option("backup", { type: "boolean", default: true, describe: "print the new mnemonic (--no-backup to hide it)" })
        .example("$0 keys add alice", "create key alice; asks for a passphrase twice")
        .example("TRUSTNET_KEYRING_PASSPHRASE=… $0 keys add ci --output json", "non-interactive, JSON output")
        .example("$0 keys add bob --recover --mnemonic-file words.txt", "recover a key from its mnemonic"),
    run((a) => add(a, a.recover === true)))
    .command("import <name>", "import a key from its mnemonic (--mnemonic-file, a prompt, or stdin)", (b) =>
      nameArg(b, true)
        .option("mnemonic-file", { type: "string", describe: "read the mnemonic from this file" })
        .option("force", { type: "boolean", default: false, describe: "replace an existing key of that name" })
        .example("$0 keys import bob --mnemonic-file words.txt", "import from a file")
        .example("cat words.txt | $0 keys import bob --passphrase-file pass.txt", "import from stdin"),
    run((a) => add(a, true)))
    .command("list", "list keys (* marks the active key)", (b) =>
      b.example("$0 keys list", "names and addresses").example("$0 keys list --output json", "as JSON"),
    run(list))
    .command("show [name]", "show a key's address and public key (no passphrase needed)", (b) =>
      nameArg(b, false)
        .option("address", { type: "boolean", default: false, describe: "print only the address" })
        .example("$0 keys show alice", "details of key alice")
        .example("$0 keys show --address", "the active key's address"),
    run(show))
    .command("use <name>", "make a key the active one (the default for send, balance, account)", (b) =>
      nameArg(b, true).example("$0 keys use alice", "sign with alice by default"),
    run(use))
    .command("export [name]", "print a key's mnemonic, after its passphrase", (b) =>
      nameArg(b, false).example("$0 keys export alice", "show alice's 24 words (keep them secret)"),
    run(exportKey))
    .command("delete <name>", "delete a key's keystore", (b) =>
      nameArg(b, true)
        .option("yes", { alias: "y", type: "boolean", default: false, describe: "do not ask for confirmation" })
        .example("$0 keys delete old --yes", "delete without asking"),
    run(remove))
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
