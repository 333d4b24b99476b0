// Options and helpers shared by the wallet commands (keys, balance, send, tx, account).
import { createInterface } from "node:readline/promises";
import type { Argv } from "yargs";
import { CliError } from "../errors.ts";
import type { GlobalOptions } from "../global-options.ts";
import { PASSPHRASE_ENV, UnsafeKeystoreError, readSecretInput, ttyPrompter, type PassphraseSource } from "../keyring/index.ts";

export interface PassphraseOptions {
  readonly "passphrase-file": string | undefined;
}

export function withPassphraseOption<T>(y: Argv<T>): Argv<T & PassphraseOptions> {
  return y.option("passphrase-file", {
    type: "string",
    describe: `read the keystore passphrase from the first line of this file, which must be private (chmod 600) (else $${PASSPHRASE_ENV}, else a prompt)`,
  }) as unknown as Argv<T & PassphraseOptions>;
}

export function passphraseSource(args: PassphraseOptions): PassphraseSource {
  return { file: args["passphrase-file"] };
}

/** Reads all of stdin (for piped mnemonics). */
export async function readAllStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A mnemonic from a file, a no-echo prompt on a terminal, or piped stdin. A regular file must be private like
 * --passphrase-file's (one its group or others can read or write is refused with its mode and `chmod 600`, before
 * any key is written); a pipe (`<(pass show words)`) is read as it is.
 */
export async function readMnemonic(file: string | undefined): Promise<string> {
  if (file !== undefined && file !== "") {
    try {
      return await readSecretInput(file, "mnemonic");
    } catch (err) {
      if (err instanceof UnsafeKeystoreError) throw err;
      throw new CliError(`cannot read mnemonic file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const prompt = ttyPrompter();
  if (prompt !== undefined) return prompt("Enter the mnemonic (24 words, not echoed): ");
  return readAllStdin();
}

/** Asks a yes/no question on a terminal; undefined when not interactive. */
export async function confirm(question: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/iu.test(answer.trim());
  } finally {
    rl.close();
  }
}

export type WalletArgs<T> = GlobalOptions & PassphraseOptions & T;
