/** The host user's SSH key for the VMs: --ssh-key, else ~/.ssh/id_ed25519.pub / id_rsa.pub, else a generated key. */
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { InvalidConfigError } from "../errors.ts";
import { clientKeyProblem } from "../lifecycle/ssh-exec.ts";
import { generateEd25519, openSshPrivateKey, openSshPublicLine } from "../ssh/keys.ts";

export interface ClientKey {
  /** The public key lines the VM users accept: the login key's first. */
  readonly publicLines: readonly string[];
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

/** Why the provisioner cannot log in with the private key at `path` (unreadable, passphrase-protected), or undefined. */
export async function privateKeyProblem(path: string): Promise<string | undefined> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => e);
  if (typeof text !== "string") return `cannot read ${path}: ${text.code ?? text.message}`;
  const problem = clientKeyProblem(text);
  return problem === undefined ? undefined : `${path}: ${problem}`;
}

/**
 * The key to authorize and log in with. A default key whose private half the provisioner cannot use (ssh2 has no
 * agent here: a passphrase-protected key, the usual case) is still authorized, but the login goes through the
 * generated key; an explicit --ssh-key is taken as given (vmUp checks it when it must log in).
 */
export async function resolveClientKey(home: string, sshKey: string | undefined, userHome: string = homedir(), log: (line: string) => void = () => undefined): Promise<ClientKey> {
  if (sshKey !== undefined) {
    const pub = await readPublicKey(sshKey);
    return { publicLines: [pub], privateKeyPath: sshKey.endsWith(".pub") ? sshKey.slice(0, -4) : undefined };
  }
  let userPub: string | undefined;
  for (const f of ["id_ed25519.pub", "id_rsa.pub"]) {
    const p = join(userHome, ".ssh", f);
    const pub = await readPublicKey(p).catch(() => undefined);
    if (pub === undefined) continue;
    const problem = await privateKeyProblem(p.slice(0, -4));
    if (problem === undefined) return { publicLines: [pub], privateKeyPath: p.slice(0, -4) };
    log(`${p} is authorized in the VMs, but the provisioner logs in with its own key (${problem})`);
    userPub ??= pub;
  }
  const also = userPub === undefined ? [] : [userPub];
  const dir = join(home, "ssh");
  const priv = join(dir, "id_ed25519");
  const existing = await readPublicKey(`${priv}.pub`).catch(() => undefined);
  if (existing !== undefined) return { publicLines: [existing, ...also], privateKeyPath: priv };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const k = generateEd25519();
  // Whole files, never written through what is already there (a private half left by a generation cut short, of
  // whatever mode, or a symbolic link): the private key is 0600 whatever was at its path, the public one 0644.
  await writeFileAtomic(priv, openSshPrivateKey(k, "trustnet"), "replace");
  await writeFileAtomic(`${priv}.pub`, `${openSshPublicLine(k, "trustnet")}\n`, "replace", 0o644);
  return { publicLines: [openSshPublicLine(k, "trustnet"), ...also], privateKeyPath: priv };
}
