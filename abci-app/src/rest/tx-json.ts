// Cosmos SDK proto3-JSON for txs and tx results, as the gateway writes them: snake_case, 64-bit ints as strings,
// bytes base64, enums by name, Any inlined with "@type".
import { type ModeInfo, Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { signModeToJSON } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { protoJson } from "../sdk/client/json.ts";
import { messageJson } from "./msg-json.ts";

/** A signer's ModeInfo as the gateway prints it: the set one of `single` and `multi`, sign modes by name, at any depth. */
function modeInfoJson(m: ModeInfo | undefined): unknown {
  if (m?.single) return { single: { mode: signModeToJSON(m.single.mode) } };
  if (m?.multi) return { multi: { bitarray: protoJson(m.multi.bitarray) ?? null, mode_infos: m.multi.modeInfos.map(modeInfoJson) } };
  return null;
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
          messages: body.messages.map(messageJson), memo: body.memo, timeout_height: body.timeoutHeight.toString(),
          extension_options: body.extensionOptions.map(messageJson), non_critical_extension_options: body.nonCriticalExtensionOptions.map(messageJson),
        }
      : null,
    auth_info: ai
      ? {
          signer_infos: ai.signerInfos.map((s) => ({
            public_key: messageJson(s.publicKey),
            mode_info: modeInfoJson(s.modeInfo),
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
