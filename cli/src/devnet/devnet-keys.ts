// The devnet's test keys are stored unencrypted (`devnet generate` writes faucet.json, registry-operator.json and
// nodeI/validator-operator.json 0600 in a 0700 devnet/). They are read with the keystores' check (private-file.ts):
// refused when the file is a symlink or another user owns it or has any permission on it, or when another user
// could write to its directory. Others may list the directory: it holds no secret by name, and a VM's home
// (vm-devnet.ts) is unpacked with tar, which creates devnet/ 0755.
import { dirname } from "node:path";
import { CliError } from "../errors.ts";
import { fsError } from "../keyring/fs-error.ts";
import { checkPrivateDir, readPrivateFile } from "../keyring/private-file.ts";
import { devnetLayout } from "./layout.ts";

export interface DevnetKey {
  readonly address: string;
  readonly mnemonic: string;
}

const MAX_KEY_FILE_BYTES = 64 * 1024;

/** A devnet key file `{"address", "mnemonic", …}`; `what` names it in errors ("the devnet faucet key"). */
async function readDevnetKey(path: string, what: string): Promise<DevnetKey> {
  const unusable = (why: string): CliError =>
    new CliError(`cannot use ${what} ${path}: ${why}`, { hint: "'trustnet devnet up' writes it; a devnet without it can be made again with 'trustnet devnet reset --yes && trustnet devnet up'" });
  let text: string;
  try {
    await checkPrivateDir(dirname(path), "the devnet directory", { holds: "plaintext", closed: false });
    text = await readPrivateFile(path, { holds: "plaintext", maxBytes: MAX_KEY_FILE_BYTES, corrupt: unusable });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw unusable("it does not exist");
    throw fsError(err, `read ${what}`, path);
  }
  let doc: { address?: unknown; mnemonic?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw unusable("it is not JSON");
  }
  if (typeof doc?.address !== "string" || typeof doc.mnemonic !== "string") throw unusable("it has no address and mnemonic");
  return { address: doc.address, mnemonic: doc.mnemonic };
}

/** The devnet faucet's key (`devnet faucet` signs with it). */
export function readFaucet(home: string): Promise<DevnetKey> {
  return readDevnetKey(devnetLayout(home).faucet, "the devnet faucet key");
}
