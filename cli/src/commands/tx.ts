// `trustnet tx <hash>`: a committed transaction, with its messages decoded.
import type { Argv, CommandModule } from "yargs";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { decText, protoJson, trustnetRegistry } from "@trustnet/abci-app";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { connectQueryClient, translateChainError } from "../chain/index.ts";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { stakingTxCommand } from "./staking-tx.ts";
import { distributionTxCommand } from "./distribution-tx.ts";
import { slashingTxCommand } from "./slashing.ts";

type Args = GlobalOptions & { readonly hash?: string };

/** A tx hash: 64 hex digits, optionally 0x-prefixed; returned upper-case as CometBFT prints it. */
export function parseTxHash(input: string): string {
  const h = input.startsWith("0x") || input.startsWith("0X") ? input.slice(2) : input;
  if (!/^[0-9a-fA-F]{64}$/u.test(h)) throw new UsageError(`invalid tx hash "${input}": expected 64 hex digits`, "use the txhash printed by `trustnet send`");
  return h.toUpperCase();
}

const registry = trustnetRegistry();

/**
 * A tx body's messages as the SDK's `query tx` prints them: `{"@type": type URL, ...fields}` with the proto field
 * names (snake_case, 64-bit integers as strings, bytes base64), for the SDK's messages and TrustNet's own (registry,
 * leasing); a message of a type this CLI does not know is `{"@type", "value": base64 of its bytes}`.
 */
export function messagesJson(messages: readonly Any[]): ({ readonly "@type": string } & Record<string, unknown>)[] {
  return messages.map((m) => {
    let fields: unknown;
    try {
      fields = protoJson(registry.decode(m));
    } catch {
      return { "@type": m.typeUrl, value: toBase64(m.value) };
    }
    return { "@type": m.typeUrl, ...sdkFields(m.typeUrl, fields as Record<string, unknown>) };
  });
}

/** A wire LegacyDec (the integer scaled by 10^18) as the SDK prints it ("0.100000000000000000"); anything else as it is. */
const dec = (v: unknown): unknown => (typeof v === "string" && /^-?\d{1,80}$/u.test(v) ? decText(v) : v);

const PUBKEYS: ReadonlyMap<string, { decode(b: Uint8Array): { key: Uint8Array } }> = new Map([
  ["/cosmos.crypto.ed25519.PubKey", Ed25519PubKey],
  ["/cosmos.crypto.secp256k1.PubKey", Secp256k1PubKey],
]);

/** A consensus key Any (protoJson: {type_url, value: base64}) as the SDK prints it, {"@type", "key"}; another as it is. */
function pubkeyJson(p: unknown): unknown {
  const a = p as { type_url?: unknown; value?: unknown } | null;
  const type = typeof a?.type_url === "string" ? PUBKEYS.get(a.type_url) : undefined;
  if (type === undefined || typeof a?.value !== "string") return p;
  try {
    return { "@type": a.type_url, key: toBase64(type.decode(fromBase64(a.value)).key) };
  } catch {
    return p;
  }
}

/**
 * The fields of the staking messages that protoJson leaves in wire form: commission rates (LegacyDec, integers
 * scaled by 10^18) and the consensus key (an Any).
 */
function sdkFields(typeUrl: string, f: Record<string, unknown>): Record<string, unknown> {
  if (typeUrl === "/cosmos.staking.v1beta1.MsgCreateValidator" && f.commission !== null && typeof f.commission === "object") {
    const c = f.commission as Record<string, unknown>;
    return { ...f, commission: { ...c, rate: dec(c.rate), max_rate: dec(c.max_rate), max_change_rate: dec(c.max_change_rate) }, pubkey: pubkeyJson(f.pubkey) };
  }
  // "" = not changed (both are nullable in the SDK, which prints null there)
  if (typeUrl === "/cosmos.staking.v1beta1.MsgEditValidator") {
    return { ...f, commission_rate: f.commission_rate === "" ? null : dec(f.commission_rate), min_self_delegation: f.min_self_delegation === "" ? null : f.min_self_delegation };
  }
  return f;
}

async function run(a: Args): Promise<void> {
  if (a.hash === undefined) throw new UsageError("name a transaction hash, or a module: 'trustnet tx staking …', 'trustnet tx distribution …'");
  const hash = parseTxHash(a.hash);
  const client = await connectQueryClient({ node: a.node, chainId: a["chain-id"] });
  try {
    const tx = await client.getTx(hash);
    if (tx === null) {
      throw new CliError(`transaction ${hash} not found`, { hint: "it may not be committed yet (wait a block and retry), or it was never accepted" });
    }
    const decoded = decodeTxRaw(tx.tx);
    const messages = messagesJson(decoded.body.messages);
    const fee = decoded.authInfo.fee;
    const out = {
      txhash: tx.hash, height: String(tx.height), index: tx.txIndex, code: tx.code, gas_wanted: tx.gasWanted, gas_used: tx.gasUsed,
      memo: decoded.body.memo, fee: fee ? { amount: fee.amount, gas_limit: fee.gasLimit } : null, messages,
      events: tx.events.map((e) => ({ type: e.type, attributes: e.attributes.map((x) => ({ key: x.key, value: x.value })) })),
      raw_log: tx.rawLog,
    };
    printerFor(a).result(out, () => [
      `txhash: ${tx.hash}`,
      `height: ${tx.height}  index: ${tx.txIndex}  code: ${tx.code}${tx.code === 0 ? " (success)" : " (FAILED)"}`,
      `gas:    ${tx.gasUsed} used / ${tx.gasWanted} wanted`,
      ...(fee ? [`fee:    ${fee.amount.map((c) => `${c.amount}${c.denom}`).join(",") || "0"}`] : []),
      // The printer keeps the memo (a string of `out`) on one line, like every chain string (terminal-text.ts).
      ...(decoded.body.memo ? [`memo:   ${decoded.body.memo}`] : []),
      ...messages.map(({ "@type": type, ...fields }) => `msg:    ${type} ${JSON.stringify(fields)}`),
      ...(tx.code !== 0 && tx.rawLog ? [`log:    ${tx.rawLog}`] : []),
    ].join("\n"));
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

/**
 * Keeps an option of `tx` out of its subcommands ('tx staking …' takes no hash): yargs options are global by default,
 * and yargs' `global(key, false)` turns that off; @types/yargs declares only the one-argument form.
 */
function notInherited<T>(y: Argv<T>, key: string): Argv<T> {
  return (y as unknown as { global(key: string, global: boolean): Argv<T> }).global(key, false);
}

export const txCommand: CommandModule<GlobalOptions, Args> = {
  command: "tx [hash]",
  describe: "show a committed transaction by hash; 'tx staking …', 'tx distribution …' and 'tx slashing unjail' send transactions",
  builder: (y: Argv<GlobalOptions>) =>
    notInherited(y.command(stakingTxCommand).command(distributionTxCommand)
      .command(slashingTxCommand)
      .positional("hash", { type: "string", describe: "transaction hash (64 hex digits)" }), "hash")
      .example("$0 tx 3F2A…", "show the tx")
      .example("$0 tx 3F2A… --output json", "with events, as JSON") as unknown as Argv<Args>,
  handler: (a) => run(a),
};
