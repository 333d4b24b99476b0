// Cosmos SDK proto3-JSON for txs and tx results, as the gateway writes them: snake_case, 64-bit ints as strings,
// bytes base64, enums by name, Any inlined with "@type".
import { Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { signModeToJSON } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { registryMsgTypes } from "../modules/registry/index.ts";
import { protoJson } from "../sdk/client/json.ts";

interface Decoder { decode(b: Uint8Array): unknown }

const ANY_TYPES = new Map<string, Decoder>([
  ["/cosmos.bank.v1beta1.MsgSend", MsgSend],
  ["/cosmos.bank.v1beta1.MsgMultiSend", MsgMultiSend],
  ["/cosmos.crypto.secp256k1.PubKey", PubKey],
  ...registryMsgTypes.map((t) => [t.typeUrl, t] as [string, Decoder]),
]);

/** An Any as `{"@type": url, ...fields}`; a type this chain does not know keeps its bytes as base64 `value`. */
export function anyJson(a: Any | undefined): unknown {
  if (!a) return null;
  const d = ANY_TYPES.get(a.typeUrl);
  if (!d) return { "@type": a.typeUrl, value: Buffer.from(a.value).toString("base64") };
  try {
    return { "@type": a.typeUrl, ...(protoJson(d.decode(a.value)) as object) };
  } catch {
    return { "@type": a.typeUrl, value: Buffer.from(a.value).toString("base64") };
  }
}

/** A TxRaw's bytes as the SDK's `Tx` JSON; null when the bytes are not a tx. */
export function txJson(bytes: Uint8Array): Record<string, unknown> | null {
  let tx: Tx;
  try {
    tx = Tx.decode(bytes);
  } catch {
    return null;
  }
  const body = tx.body;
  const ai = tx.authInfo;
  return {
    body: body
      ? {
          messages: body.messages.map(anyJson), memo: body.memo, timeout_height: body.timeoutHeight.toString(),
          extension_options: body.extensionOptions.map(anyJson), non_critical_extension_options: body.nonCriticalExtensionOptions.map(anyJson),
        }
      : null,
    auth_info: ai
      ? {
          signer_infos: ai.signerInfos.map((s) => ({
            public_key: anyJson(s.publicKey),
            mode_info: s.modeInfo?.single ? { single: { mode: signModeToJSON(s.modeInfo.single.mode) } } : s.modeInfo?.multi ? { multi: protoJson(s.modeInfo.multi) } : null,
            sequence: s.sequence.toString(),
          })),
          fee: ai.fee ? { amount: ai.fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })), gas_limit: ai.fee.gasLimit.toString(), payer: ai.fee.payer, granter: ai.fee.granter } : null,
          tip: null,
        }
      : null,
    signatures: tx.signatures.map((s) => Buffer.from(s).toString("base64")),
  };
}

/** A CometBFT `/tx` or `/tx_search` result entry. */
export interface CometTx {
  readonly hash: string;
  readonly height: string;
  readonly tx: string;
  readonly tx_result: { code: number; codespace?: string; log?: string; info?: string; gas_wanted?: string; gas_used?: string; data?: string | null; events?: { type: string; attributes?: { key: string; value: string; index?: boolean }[] }[] };
}

/** The SDK's TxResponse for a committed tx; `time` is its block's RFC 3339 time. */
export function txResponseJson(t: CometTx, time: string): Record<string, unknown> {
  const r = t.tx_result;
  const tx = txJson(Buffer.from(t.tx, "base64"));
  return {
    height: t.height,
    txhash: t.hash.toUpperCase(),
    codespace: r.codespace ?? "",
    code: r.code ?? 0,
    // TxResponse.data is the hex of the tx's result bytes.
    data: r.data ? Buffer.from(r.data, "base64").toString("hex").toUpperCase() : "",
    raw_log: r.log ?? "",
    logs: [],
    info: r.info ?? "",
    gas_wanted: r.gas_wanted ?? "0",
    gas_used: r.gas_used ?? "0",
    tx: tx ? { "@type": "/cosmos.tx.v1beta1.Tx", ...tx } : null,
    timestamp: time,
    events: (r.events ?? []).map((e) => ({ type: e.type, attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value, index: a.index ?? false })) })),
  };
}
