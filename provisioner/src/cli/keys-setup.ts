/** The host user's SSH key for the VMs: --ssh-key, else ~/.ssh/id_ed25519.pub / id_rsa.pub, else a generated key. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { InvalidConfigError } from "../errors.ts";
import { generateEd25519, openSshPrivateKey, openSshPublicLine } from "../ssh/keys.ts";

export interface ClientKey {
  readonly publicLine: string;
  /** Private key file for ssh2 / ssh -i, when we know it (the generated key, or the .pub's sibling). */
  readonly privateKeyPath: string | undefined;
}

export async function readPublicKey(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InvalidConfigError(`cannot read the SSH public key ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "pass a readable key with --ssh-key, or omit it to use a generated key");
  }
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#"));
  if (line === undefined || !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/=]+/.test(line)) {
    throw new InvalidConfigError(`${path} does not hold an OpenSSH public key`, "pass a .pub file with --ssh-key");
  }
  return line;
}

export async function resolveClientKey(home: string, sshKey: string | undefined, userHome: string = homedir()): Promise<ClientKey> {
  if (sshKey !== undefined) {
    const pub = await readPublicKey(sshKey);
    return { publicLine: pub, privateKeyPath: sshKey.endsWith(".pub") ? sshKey.slice(0, -4) : undefined };
  }
  for (const f of ["id_ed25519.pub", "id_rsa.pub"]) {
    const p = join(userHome, ".ssh", f);
    const pub = await readPublicKey(p).catch(() => undefined);
    if (pub !== undefined) return { publicLine: pub, privateKeyPath: p.slice(0, -4) };
  }
  const dir = join(home, "ssh");
  const priv = join(dir, "id_ed25519");
  const existing = await readPublicKey(`${priv}.pub`).catch(() => undefined);
  if (existing !== undefined) return { publicLine: existing, privateKeyPath: priv };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const k = generateEd25519();
  await writeFile(priv, openSshPrivateKey(k, "trustnet"), { mode: 0o600 });
  await writeFile(`${priv}.pub`, `${openSshPublicLine(k, "trustnet")}\n`);
  return { publicLine: openSshPublicLine(k, "trustnet"), privateKeyPath: priv };
}
