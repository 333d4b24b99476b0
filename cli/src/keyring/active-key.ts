// The active-key setting, kept in `<home>/config/cli.json` as `{ "activeKey": "<name>" }`.
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CliError } from "../errors.ts";
import { writeFileAtomic } from "./atomic-file.ts";
import { KeyNotFoundError } from "./errors.ts";
import { keyExists, validateKeyName } from "./keystore.ts";

export function cliConfigPath(home: string): string {
  return join(home, "config", "cli.json");
}

async function readConfig(home: string): Promise<Record<string, unknown>> {
  const path = cliConfigPath(home);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, JSON.stringify(next, null, 2) + "\n", "replace");
}

/** `name` if given, else the active key; a clear error when neither exists. */
export async function resolveKeyName(home: string, name: string | undefined): Promise<string> {
  if (name !== undefined && name !== "") return validateKeyName(name);
  const active = await getActiveKey(home);
  if (active === undefined) {
    throw new CliError("no key given and no active key is set", {
      hint: "pass a key name (e.g. --from alice), set one with `trustnet keys use <name>`, or create one with `trustnet keys add <name>`",
      exitCode: 2,
    });
  }
  return active;
}
