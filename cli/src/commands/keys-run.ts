// The `keys` subcommands as functions of (arguments, dependencies): the yargs wiring lives in keys.ts.
import { CliError, UsageError } from "../errors.ts";
import type { GlobalOptions } from "../global-options.ts";
import {
  checkNewKeyName, CorruptKeystoreError, createKey, deleteKey, exportMnemonic, getActiveKey, HD_PATH, keyPath, keysDir, listKeystores, resolveKeyName, setActiveKey, showKey,
  UnsafeKeystoreError,
  type PassphraseSource, type ScryptParams,
} from "../keyring/index.ts";
import type { Printer } from "../output.ts";
import { valoperOf } from "../staking-args.ts";
import { keyOutput } from "./key-output.ts";

/** What the keys commands need from the outside world. */
export interface KeysDeps {
  readonly printer: Printer;
  readonly passphrase: PassphraseSource;
  /** A mnemonic from this file, else a prompt or stdin. */
  readonly readMnemonic: (file: string | undefined) => Promise<string>;
  /** A yes/no answer; undefined when nobody can be asked. */
  readonly confirm: (question: string) => Promise<boolean | undefined>;
  /** Only tests lower this. */
  readonly scrypt?: ScryptParams | undefined;
}

export type KeysArgs = GlobalOptions & {
  readonly name?: string;
  readonly recover?: boolean;
  readonly force?: boolean;
  readonly "mnemonic-file"?: string;
  readonly "no-backup"?: boolean;
  readonly backup?: boolean;
  readonly address?: boolean;
  /** `keys show --bech val`: the key's address as a validator operator address (trustvaloper1…), as the SDK's. */
  readonly bech?: "acc" | "val";
  readonly yes?: boolean;
};

const MNEMONIC_WARNING = "Write these words down and keep them secret: anyone with them controls the key, and they are the only way to recover it.";

export async function keysAdd(args: KeysArgs, recover: boolean, deps: KeysDeps): Promise<void> {
  const p = deps.printer;
  const name = args.name ?? "";
  checkNewKeyName(name); // before the mnemonic is asked for
  const mnemonic = recover ? await deps.readMnemonic(args["mnemonic-file"]) : undefined;
  const k = await createKey(args.home, name, { mnemonic, force: args.force, passphrase: deps.passphrase, scrypt: deps.scrypt });
  if (k.replaced !== undefined) p.info(`The previous "${name}" keystore was moved to ${k.replaced}.`);
  const showMnemonic = !recover && args.backup !== false;
  if (showMnemonic) p.info(MNEMONIC_WARNING);
  p.result(
    { ...keyOutput(k), active: k.active, path: k.path, hd_path: HD_PATH, ...(showMnemonic ? { mnemonic: k.mnemonic } : {}) },
    () => [
      `${recover ? "Recovered" : "Created"} key "${k.name}"${k.active ? " (now the active key)" : ""}`,
      `address: ${k.address}`,
      ...(showMnemonic ? ["", k.mnemonic] : []),
    ].join("\n"),
  );
}

export async function keysList(args: KeysArgs, deps: KeysDeps): Promise<void> {
  const keys = await listKeystores(args.home);
  const active = await getActiveKey(args.home);
  const p = deps.printer;
  p.result(
    keys.map((k) => ({ ...keyOutput(k), active: k.name === active, created_at: k.createdAt ?? null, ...(k.problem ? { problem: k.problem } : {}) })),
    () => keys.length === 0
      ? "No keys yet. Create one with `trustnet keys add <name>`."
      : keys.map((k) => `${k.name === active ? "*" : " "} ${k.name.padEnd(16)} ${k.address ?? `UNREADABLE: ${k.problem ?? ""}`}`).join("\n"),
  );
}

export async function keysShow(args: KeysArgs, deps: KeysDeps): Promise<void> {
  const k = await showKey(args.home, args.name);
  const p = deps.printer;
  // --bech val, as the SDK's `keys show <key> --bech val`: the same 20 bytes with the operator prefix, the address
  // the staking commands and REST name this key's validator by.
  const address = args.bech === "val" ? valoperOf(k.address) : k.address;
  if (args.address === true) {
    p.result({ address }, () => address);
    return;
  }
  p.result({ ...keyOutput(k), address, created_at: k.createdAt, active: k.active, path: keyPath(args.home, k.name) }, () =>
    [`name:    ${k.name}${k.active ? " (active)" : ""}`, `address: ${address}`, `pubkey:  ${k.pubkey}`, `created: ${k.createdAt}`].join("\n"));
}

export async function keysUse(args: KeysArgs, deps: KeysDeps): Promise<void> {
  // A key name, or the address of a local key.
  const name = await resolveKeyName(args.home, args.name ?? "");
  await setActiveKey(args.home, name);
  const k = await showKey(args.home, name);
  deps.printer.result({ active: k.name, address: k.address }, () => `Active key: ${k.name} (${k.address})`);
}

export async function keysExport(args: KeysArgs, deps: KeysDeps): Promise<void> {
  const p = deps.printer;
  const k = await exportMnemonic(args.home, args.name, deps.passphrase);
  p.info(`WARNING: the mnemonic below controls key "${k.name}". Anyone who sees it can take its funds.`);
  p.result({ name: k.name, address: k.address, mnemonic: k.mnemonic }, () => k.mnemonic);
}

/**
 * The key `input` names (or whose address it is), or, when that is a key name whose keystore cannot be read
 * (corrupted, or a file others could write), that name with the reason: such a file can still be deleted.
 */
async function keyToDelete(home: string, input: string): Promise<{ name: string; address: string | undefined; problem?: string }> {
  try {
    const k = await showKey(home, input);
    return { name: k.name, address: k.address };
  } catch (err) {
    const pathOf = (): string | undefined => {
      try {
        return keyPath(home, input);
      } catch {
        return undefined; // not a key name
      }
    };
    const unreadable = (err instanceof CorruptKeystoreError || err instanceof UnsafeKeystoreError) && err.path === pathOf();
    if (!unreadable) throw err;
    return { name: input, address: undefined, problem: err instanceof CorruptKeystoreError ? err.reason : err.message };
  }
}

export async function keysDelete(args: KeysArgs, deps: KeysDeps): Promise<void> {
  // A key name, or the address of a local key; a name whose keystore is unreadable can be deleted too.
  const k = await keyToDelete(args.home, args.name ?? "");
  const { name } = k;
  const what = k.address === undefined ? `the unreadable keystore of key "${name}" (${k.problem ?? "unreadable"})` : `key "${name}" (${k.address})`;
  if (args.yes !== true) {
    const ok = await deps.confirm(`Delete ${what}? Its file is moved to ${keysDir(args.home)}/deleted/; without the file or its mnemonic its funds are lost.`);
    if (ok === undefined) throw new UsageError(`refusing to delete key "${name}" without confirmation`, "pass --yes to confirm (not running in a terminal)");
    if (!ok) throw new CliError("not deleted", { exitCode: 1 });
  }
  const movedTo = await deleteKey(args.home, name);
  deps.printer.result({ deleted: name, address: k.address ?? null, moved_to: movedTo }, () => `Deleted ${what}; the file was moved to ${movedTo}`);
}

