// Where a keystore passphrase comes from: --passphrase-file, $TRUSTNET_KEYRING_PASSPHRASE, or a no-echo prompt.
import { StringDecoder } from "node:string_decoder";
import { CliError } from "../errors.ts";
import { PassphraseError, UnsafeKeystoreError } from "./errors.ts";
import { readSecretInput } from "./private-file.ts";

export const PASSPHRASE_ENV = "TRUSTNET_KEYRING_PASSPHRASE";
export const MIN_PASSPHRASE_LENGTH = 8;

/** Asks the user a question without echoing the answer. */
export type Prompter = (question: string) => Promise<string>;

export interface PassphraseSource {
  /** --passphrase-file: the first line of the file is the passphrase. */
  readonly file?: string | undefined;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Defaults to a TTY prompt when stdin is a terminal; `null` forbids prompting. */
  readonly prompt?: Prompter | null | undefined;
}

const HOW = `pass --passphrase-file <file>, set $${PASSPHRASE_ENV}, or run in a terminal to be prompted`;

/**
 * The passphrase file's first line. A regular file must be private (readSecretInput: else UnsafeKeystoreError
 * naming the mode and the chmod, and nothing is read or changed); a pipe (`<(pass show x)`) is read as it is.
 */
async function fromFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readSecretInput(path, "passphrase");
  } catch (err) {
    if (err instanceof UnsafeKeystoreError) throw err;
    throw new PassphraseError(`cannot read passphrase file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, HOW);
  }
  const first = text.split(/\r?\n/u)[0] ?? "";
  if (first === "") throw new PassphraseError(`passphrase file ${path} is empty`, "put the passphrase on its first line");
  return first;
}

/** A no-echo prompt on a terminal (raw mode; backspace edits; Ctrl-C cancels). Undefined when stdin is not a TTY. */
export function ttyPrompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Prompter | undefined {
  if (!input.isTTY) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      const wasRaw = input.isRaw;
      const decoder = new StringDecoder("utf8");
      let chars: string[] = [];
      const finish = (): void => {
        input.off("data", onData);
        input.setRawMode(wasRaw);
        input.pause();
        output.write("\n");
      };
      const onData = (chunk: Buffer): void => {
        for (const ch of decoder.write(chunk)) {
          if (ch === "\r" || ch === "\n") {
            finish();
            resolve(chars.join(""));
            return;
          }
          if (ch === "\u0003" || (ch === "\u0004" && chars.length === 0)) {
            finish();
            reject(new CliError("cancelled", { exitCode: 130 }));
            return;
          }
          if (ch === "\u007f" || ch === "\b") chars = chars.slice(0, -1);
          else if (ch === "\u0015") chars = [];
          else if (ch >= " ") chars.push(ch);
        }
      };
      // Echo goes off before the question is shown: an answer typed as soon as the question appears (or by
      // a script that waits for it) must never reach a terminal still echoing.
      input.setRawMode(true);
      input.on("data", onData);
      input.resume();
      output.write(question);
    });
}

function checkNew(p: string, where: string): string {
  if (p.length < MIN_PASSPHRASE_LENGTH) {
    throw new PassphraseError(`the passphrase from ${where} is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  return p;
}

/**
 * Gets a passphrase for `keyName`. For a new key (`confirm`), a prompt asks twice and the passphrase must have at
 * least 8 characters. Non-interactive with no source → PassphraseError saying how to give one.
 */
export async function getPassphrase(src: PassphraseSource, keyName: string, confirm: boolean): Promise<string> {
  if (src.file !== undefined && src.file !== "") {
    const p = await fromFile(src.file);
    return confirm ? checkNew(p, src.file) : p;
  }
  const env = (src.env ?? process.env)[PASSPHRASE_ENV];
  if (env !== undefined && env !== "") return confirm ? checkNew(env, `$${PASSPHRASE_ENV}`) : env;
  const prompt = src.prompt === null ? undefined : (src.prompt ?? ttyPrompter());
  if (prompt === undefined) throw new PassphraseError(`no passphrase for key ${keyName} (not running in a terminal)`, HOW);
  if (!confirm) return prompt(`Passphrase for key ${keyName}: `);
  const first = checkNew(await prompt(`New passphrase for key ${keyName} (min ${MIN_PASSPHRASE_LENGTH} characters): `), "the prompt");
  const second = await prompt("Repeat the passphrase: ");
  if (first !== second) throw new PassphraseError("the two passphrases differ; nothing was written");
  return first;
}
