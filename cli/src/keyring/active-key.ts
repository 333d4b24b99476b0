// The active-key setting, kept in `<home>/config/cli.json` as `{ "activeKey": "<name>" }`.
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isBech32, looksLikeAddress, parseAddress } from "../address.ts";
import { CliError, UsageError } from "../errors.ts";
import { writeFileAtomic } from "@trustnet/installer";
import { KeyNotFoundError } from "./errors.ts";
import { errnoCode, fsError } from "./fs-error.ts";
import { keyExists, keysDir, listKeystores, validateKeyName } from "./keystore.ts";

export function cliConfigPath(home: string): string {
  return join(home, "config", "cli.json");
}

async function readConfig(home: string): Promise<Record<string, unknown>> {
  const path = cliConfigPath(home);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return {};
    throw fsError(err, "read the CLI settings", path);
  }
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CliError(`${path} is not a JSON object; it was left unchanged`, { hint: `fix it, or delete it and run \`trustnet keys use <name>\`` });
}

export async function getActiveKey(home: string): Promise<string | undefined> {
  const v = (await readConfig(home)).activeKey;
  return typeof v === "string" && v !== "" ? v : undefined;
}

export async function setActiveKey(home: string, name: string | undefined): Promise<void> {
  if (name !== undefined) {
    validateKeyName(name);
    if (!(await keyExists(home, name))) throw new KeyNotFoundError(name);
  }
  const doc = await readConfig(home);
  const next: Record<string, unknown> = { ...doc, activeKey: name };
  if (name === undefined) delete next.activeKey;
  const path = cliConfigPath(home);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, JSON.stringify(next, null, 2) + "\n", "replace");
  } catch (err) {
    throw fsError(err, "write the CLI settings", path);
  }
}

/**
 * The key to sign with: `name` if given (a key name, or a trust1… address: the local key with that address), else the
 * active key; a clear error when there is none. An empty string is a usage error, never "omitted"; anything that
 * decodes as bech32 is treated as an address (another chain's prefix gets the address parser's reason).
 */
export async function resolveKeyName(home: string, name: string | undefined): Promise<string> {
  if (name === "") throw new UsageError("the key name is empty", "give a key name or its trust1… address (or leave the option out to use the active key)");
  if (name !== undefined && isBech32(name)) return keyOfAddress(home, parseAddress(name));
  // A mistyped address (trust1… or another chain's; not also a key's name) gets the address parser's reason (bad
  // checksum, wrong prefix …), not "no key named …".
  if (name !== undefined && looksLikeAddress(name) && !(isKeyName(name) && (await keyExists(home, name)))) parseAddress(name);
  if (name !== undefined) return validateKeyName(name);
  const active = await getActiveKey(home);
  if (active === undefined) {
    throw new CliError("no key given and no active key is set", {
      hint: "pass a key name (e.g. --from alice), set one with `trustnet keys use <name>`, or create one with `trustnet keys add <name>`",
      exitCode: 2,
    });
  }
  return active;
}

function isKeyName(name: string): boolean {
  try {
    validateKeyName(name);
    return true;
  } catch {
    return false;
  }
}

/** The local key whose address is `address` (the active key first when several files hold it). */
async function keyOfAddress(home: string, address: string): Promise<string> {
  const matches = (await listKeystores(home)).filter((k) => k.address === address && k.problem === undefined).map((k) => k.name);
  if (matches.length === 0) {
    throw new CliError(`no key in ${keysDir(home)} has the address ${address}`, {
      hint: "signing needs the key itself: list your keys with `trustnet keys list`, or import it with `trustnet keys import <name>`",
    });
  }
  const active = await getActiveKey(home);
  return active !== undefined && matches.includes(active) ? active : (matches[0] as string);
}
