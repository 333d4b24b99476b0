// `trustnet tx sign <file|->`: signs an unsigned tx JSON (`--generate-only`'s) with a keyring key, as the SDK's
// `tx sign` (SIGN_MODE_DIRECT, one signer), and prints the signed tx JSON. `trustnet tx broadcast <file|->` sends a
// signed one and waits for it as every tx command does; `tx encode` and `tx decode` turn a tx JSON into its base64
// TxRaw and back.
import { open, writeFile } from "node:fs/promises";
import type { Argv, CommandModule } from "yargs";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { encodePubkey, makeAuthInfoBytes } from "@cosmjs/proto-signing";
import { MAX_TX_BYTES, MAX_TX_JSON_BYTES, messageSigners, signDirect, TxJsonError, txFromJson, txFromJsonText, txJson, type TxFromJson } from "@trustnet/abci-app";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  broadcastAndWait, connectQueryClient, describeFee, feeJson, translateChainError, withCtrlC,
} from "../chain/index.ts";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveKeyName, showKey, unlockKey } from "../keyring/index.ts";
import { throwIfFailed, txCommandError } from "./tx-options.ts";
import { passphraseSource, withPassphraseOption, type PassphraseOptions } from "./wallet-options.ts";

/** Reads a tx JSON file (or stdin for "-"), refusing one above MAX_TX_JSON_BYTES before reading it all. */
export async function readTxFile(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const name = path === "-" ? "stdin" : path;
  const tooLarge = () => new CliError(`${name}: larger than ${MAX_TX_JSON_BYTES} bytes, the largest tx JSON read`);
  const chunks: Buffer[] = [];
  let size = 0;
  if (path === "-") {
    for await (const c of stdin) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
      size += b.length;
      if (size > MAX_TX_JSON_BYTES) throw tooLarge();
      chunks.push(b);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
  let fh;
  try {
    fh = await open(path, "r");
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const buf = Buffer.alloc(MAX_TX_JSON_BYTES + 1);
    for (;;) {
      const { bytesRead } = await fh.read(buf, size, buf.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > MAX_TX_JSON_BYTES) throw tooLarge();
    }
    return buf.subarray(0, size).toString("utf8");
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  } finally {
    await fh.close();
  }
}

/** A file argument: "-" is stdin (yargs hands a lone "-" positional over as ""). */
export const stdinOr = (file: string): string => (file === "" ? "-" : file);

/** The tx JSON in `text` (from `name`), read strictly (abci-app's txFromJson); its problem named by path. */
export function parseTxJson(text: string, name: string): TxFromJson {
  try {
    return txFromJsonText(text);
  } catch (err) {
    if (err instanceof TxJsonError) throw new CliError(`${name}: not a transaction this CLI can read: ${err.message}`);
    throw err;
  }
}

/** The one address that must sign `tx`'s messages; several (a multisig tx) are refused. */
function soleSigner(tx: TxFromJson, name: string): string {
  let signers: string[];
  try {
    signers = messageSigners(tx.tx.body?.messages ?? []);
  } catch (err) {
    throw new CliError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (signers.length === 0) throw new CliError(`${name}: the transaction has no messages`);
  if (signers.length > 1) {
    throw new CliError(`${name}: the transaction needs ${signers.length} signers (${signers.join(", ")}); more than one signer (multisig) is not supported`, {
      hint: "generate one transaction per signer",
    });
  }
  return signers[0] as string;
}

type SignArgs = GlobalOptions & PassphraseOptions & {
  readonly file: string;
  readonly from?: string;
  readonly offline: boolean;
  readonly "account-number"?: string;
  readonly sequence?: string;
  readonly "output-document"?: string;
  readonly "sign-mode"?: string;
};

function uint64Flag(v: string | undefined, flag: string): bigint {
  if (v === undefined || !/^\d{1,20}$/u.test(v) || BigInt(v) >= 2n ** 64n) throw new UsageError(`--offline needs --${flag} <n> (a non-negative integer)${v === undefined ? "" : `, not "${v}"`}`, "read it with `trustnet account <address>` on a machine online");
  return BigInt(v);
}

/** Account number, sequence and chain id: from the node (whose chain id must be --chain-id's when given), or --offline's flags. */
async function signingNumbers(a: SignArgs, address: string, chainIdGiven: string | undefined): Promise<{ accountNumber: bigint; sequence: bigint; chainId: string }> {
  if (a.offline) {
    if (chainIdGiven === undefined) throw new UsageError("--offline needs --chain-id (the node is not asked)");
    return { accountNumber: uint64Flag(a["account-number"], "account-number"), sequence: uint64Flag(a.sequence, "sequence"), chainId: chainIdGiven };
  }
  if (a["account-number"] !== undefined || a.sequence !== undefined) throw new UsageError("--account-number and --sequence are for --offline; online they come from the node");
  const client = await connectQueryClient({ node: a.node, chainId: chainIdGiven });
  try {
    const account = await client.getAccount(address);
    if (account === null) throw new CliError(`account ${address} does not exist on chain yet`, { hint: "it needs to receive funds first (the fee comes from it)" });
    return { accountNumber: BigInt(account.accountNumber), sequence: BigInt(account.sequence), chainId: await client.getChainId() };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

/** Signs `tx` (unsigned) with the --from key; returns the TxRaw bytes. Checks everything before the passphrase is asked. */
async function signTx(a: SignArgs, tx: TxFromJson, name: string, chainIdGiven: string | undefined): Promise<{ bytes: Uint8Array; keyName: string; address: string }> {
  if (tx.signatures.length > 0 || (tx.tx.authInfo?.signerInfos.length ?? 0) > 0) {
    throw new CliError(`${name}: the transaction is already signed (${tx.signatures.length} signature(s), ${tx.tx.authInfo?.signerInfos.length ?? 0} signer info(s))`, {
      hint: "sign the unsigned transaction (`--generate-only`'s output); adding a second signature (multisig) is not supported",
    });
  }
  const fee = tx.tx.authInfo?.fee;
  if (!fee) throw new CliError(`${name}: the transaction has no fee (auth_info.fee)`);
  const signer = soleSigner(tx, name);
  const keyName = await resolveKeyName(a.home, a.from);
  const { address } = await showKey(a.home, keyName);
  if (address !== signer) {
    throw new CliError(`key ${keyName} (${address}) is not the signer of this transaction's messages (${signer})`, { hint: `sign with the key of ${signer} (--from)` });
  }
  const numbers = await signingNumbers(a, address, chainIdGiven);
  const key = await unlockKey(a.home, keyName, passphraseSource(a));
  // makeAuthInfoBytes, as cosmjs' SigningStargateClient makes it online: the same bytes, so the same signature.
  const authInfo = makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(key.pubkey)), sequence: numbers.sequence }], fee.amount, Number(fee.gasLimit), fee.granter, fee.payer);
  const bytes = await signDirect(key, tx.bodyBytes, { chainId: numbers.chainId, accountNumber: numbers.accountNumber, sequence: numbers.sequence }, authInfo);
  return { bytes, keyName, address };
}

async function sign(a: SignArgs, chainIdGiven: string | undefined): Promise<void> {
  const mode = a["sign-mode"];
  if (mode !== undefined && mode.toLowerCase() !== "direct") {
    throw new UsageError(`--sign-mode ${JSON.stringify(mode)}: only direct (SIGN_MODE_DIRECT) is supported`, "omit --sign-mode, or pass --sign-mode direct");
  }
  const file = stdinOr(a.file);
  const name = file === "-" ? "stdin" : file;
  const tx = parseTxJson(await readTxFile(file), name);
  const { bytes, keyName, address } = await signTx(a, tx, name, chainIdGiven);
  const out = `${JSON.stringify(txJson(bytes))}\n`;
  const doc = a["output-document"];
  if (doc !== undefined && doc !== "") {
    try {
      await writeFile(doc, out);
    } catch (err) {
      throw new CliError(`cannot write ${doc}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  } else process.stdout.write(out);
  printerFor(a).info(`Signed by ${keyName}, ${address}${doc ? `; written to ${doc}` : ""}: broadcast it with \`trustnet tx broadcast <file>\``);
}


export const txSignCommand: CommandModule<GlobalOptions, SignArgs> = {
  command: "sign <file>",
  describe: "sign an unsigned transaction (from --generate-only; - reads stdin) with a key and print it signed",
  builder: (y: Argv<GlobalOptions>) =>
    withPassphraseOption(y)
      .positional("file", { type: "string", demandOption: true, describe: "the unsigned tx JSON, or - for stdin" })
      .option("from", { type: "string", describe: "the key to sign with: a key name or its trust1… address (default: the active key); it must be the messages' signer" })
      // No default here (the global one is the devnet's): --offline must be told the chain, online the node's is used.
      .option("chain-id", { type: "string", default: process.env.TRUSTNET_CHAIN_ID || undefined, describe: "chain id: required with --offline; online the node's, which must equal it when given" })
      .option("offline", { type: "boolean", default: false, describe: "ask no node: take --account-number, --sequence and --chain-id from the line" })
      .option("account-number", { type: "string", describe: "the signer's account number (with --offline)" })
      .option("sequence", { type: "string", describe: "the signer's sequence (with --offline)" })
      .option("output-document", { type: "string", describe: "write the signed tx JSON to this file instead of stdout" })
      .option("sign-mode", { type: "string", describe: "the signing mode, as the SDK's flag: direct (SIGN_MODE_DIRECT), the only one supported and the default" })
      .example("$0 tx sign unsigned.json --from alice > signed.json", "numbers from the node")
      .example("$0 tx sign unsigned.json --from alice --offline --account-number 7 --sequence 3 --chain-id trustnet-1", "on a machine with no network") as unknown as Argv<SignArgs>,
  handler: (a) => sign(a, a["chain-id"] === undefined || a["chain-id"] === "" ? undefined : a["chain-id"]),
};

type BroadcastArgs = GlobalOptions & { readonly file: string; readonly "chain-id"?: string };

async function broadcast(a: BroadcastArgs): Promise<void> {
  const file = stdinOr(a.file);
  const name = file === "-" ? "stdin" : file;
  const tx = parseTxJson(await readTxFile(file), name);
  if (tx.signatures.length === 0) throw new CliError(`${name}: the transaction is not signed`, { hint: "sign it first: `trustnet tx sign <file> --from <key>`" });
  const from = soleSigner(tx, name);
  const fee = tx.tx.authInfo?.fee;
  const stdFee = { amount: fee?.amount ?? [], gas: (fee?.gasLimit ?? 0n).toString() };
  const bytes = rawBytes(tx);
  const ctx = { node: a.node, from, signed: true };
  const chainId = a["chain-id"] === undefined || a["chain-id"] === "" ? undefined : a["chain-id"];
  const client = await connectQueryClient({ node: a.node, chainId });
  try {
    printerFor(a).info(`Broadcasting the transaction (signed by ${from}; ${describeFee(stdFee)}) …`);
    const res = await withCtrlC((signal) => broadcastAndWait(client, bytes, { signal }));
    throwIfFailed(res, ctx);
    const messages = (tx.tx.body?.messages ?? []).map((m) => m.typeUrl);
    printerFor(a).result(
      { txhash: res.hash, height: String(res.height), code: res.code, gas_wanted: res.gasWanted, gas_used: res.gasUsed, fee: feeJson(stdFee), signer: from, messages },
      () => [`Committed: ${messages.join(", ")}`, `txhash: ${res.hash}`, `height: ${res.height}  gas used: ${res.gasUsed} / ${res.gasWanted}`].join("\n"),
    );
  } catch (err) {
    throw txCommandError(err, a, ctx);
  } finally {
    client.disconnect();
  }
}

export const txBroadcastCommand: CommandModule<GlobalOptions, BroadcastArgs> = {
  command: "broadcast <file>",
  describe: "broadcast a signed transaction (from tx sign; - reads stdin) and wait for it to be committed",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("file", { type: "string", demandOption: true, describe: "the signed tx JSON, or - for stdin" })
      .option("chain-id", { type: "string", default: process.env.TRUSTNET_CHAIN_ID || undefined, describe: "chain id: when given, the node's must equal it" })
      .example("$0 tx broadcast signed.json", "send it and wait for the block")
      .example("$0 tx broadcast signed.json -o json", "the result as JSON") as unknown as Argv<BroadcastArgs>,
  handler: (a) => broadcast(a),
};

const rawBytes = (t: TxFromJson): Uint8Array => TxRaw.encode({ bodyBytes: t.bodyBytes, authInfoBytes: t.authInfoBytes, signatures: [...t.signatures] }).finish();

type EncodeArgs = GlobalOptions & { readonly file: string };

export const txEncodeCommand: CommandModule<GlobalOptions, EncodeArgs> = {
  command: "encode <file>",
  describe: "print a tx JSON file (- reads stdin) as its base64 TxRaw bytes, as the SDK's tx encode",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("file", { type: "string", demandOption: true, describe: "the tx JSON, or - for stdin" }) as unknown as Argv<EncodeArgs>,
  handler: async (a) => {
    const file = stdinOr(a.file);
    const b64 = Buffer.from(rawBytes(parseTxJson(await readTxFile(file), file === "-" ? "stdin" : file))).toString("base64");
    printerFor(a).result({ tx_bytes: b64 }, () => b64);
  },
};

type DecodeArgs = GlobalOptions & { readonly base64: string; readonly hex: boolean };

/**
 * Base64 TxRaw bytes as the tx JSON. Strict as the reader is: the JSON must read back into the very same bytes, so
 * bytes with fields (or forms) the JSON cannot carry are refused rather than shown as a tx they are not.
 */
export function decodeTxBase64(text: string, hex = false): Record<string, unknown> {
  const t = text.trim();
  if (hex) {
    if (!/^(?:[0-9A-Fa-f]{2})+$/u.test(t)) throw new UsageError("not hex (--hex: the TxRaw bytes, an even number of hex digits)");
    if (t.length > MAX_TX_BYTES * 2) throw new UsageError(`larger than ${MAX_TX_BYTES} bytes, the largest tx`);
  } else {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u.test(t) || t === "") throw new UsageError("not standard base64 (the TxRaw bytes, as tx encode prints them)", "for hex, pass --hex");
    if (t.length > Math.ceil(MAX_TX_BYTES / 3) * 4) throw new UsageError(`larger than ${MAX_TX_BYTES} bytes, the largest tx`);
  }
  const bytes = Buffer.from(t, hex ? "hex" : "base64");
  const json = txJson(bytes);
  if (json === null) throw new CliError("the bytes are not a transaction (TxRaw)", !hex && /^(?:[0-9A-Fa-f]{2})+$/u.test(t) ? { hint: "it reads as hex: pass --hex" } : {});
  let back: Uint8Array | undefined;
  try {
    back = rawBytes(txFromJson(json));
  } catch (err) {
    if (!(err instanceof TxJsonError)) throw err;
  }
  if (back === undefined || !Buffer.from(back).equals(bytes)) throw new CliError("the bytes hold fields or forms the tx JSON cannot carry (unknown fields, a message type this CLI does not know, or a non-canonical encoding)");
  return json;
}

export const txDecodeCommand: CommandModule<GlobalOptions, DecodeArgs> = {
  command: "decode <base64>",
  describe: "print base64 (or --hex) TxRaw bytes as the tx JSON, as the SDK's tx decode",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("base64", { type: "string", demandOption: true, describe: "the TxRaw bytes, base64 (as tx encode prints them), or hex with --hex" })
      .option("hex", { type: "boolean", default: false, describe: "the bytes are hex, not base64 (as the SDK's flag)" }) as unknown as Argv<DecodeArgs>,
  handler: (a) => {
    process.stdout.write(`${JSON.stringify(decodeTxBase64(a.base64, a.hex))}\n`);
  },
};
