import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ErrInvalidRequest, ErrTxDecode, ErrTxTooLarge, AppError } from "../errors.ts";

/** The largest tx the app accepts: CometBFT's default mempool.max_tx_bytes, enforced again in block execution. */
export const MAX_TX_BYTES = 1024 * 1024;
import type { MsgHandler } from "../module.ts";

export interface DecodedMsg {
  readonly typeUrl: string;
  readonly msg: unknown;
  readonly handler: MsgHandler<unknown>;
}

/** A transaction with its exact received bytes kept for signature checks (never re-encoded). */
export interface DecodedTx {
  readonly bytes: Uint8Array;
  readonly raw: TxRaw;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly msgs: readonly DecodedMsg[];
}

export type MsgRouter = ReadonlyMap<string, MsgHandler<unknown>>;

function decodeOr<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw ErrTxDecode.wrap(`cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Decodes TxRaw → TxBody, AuthInfo and each message; runs every message's stateless validateBasic. */
export function decodeTx(bytes: Uint8Array, router: MsgRouter): DecodedTx {
  if (bytes.length === 0) throw ErrTxDecode.wrap("empty tx");
  if (bytes.length > MAX_TX_BYTES) throw ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`);
  const raw = decodeOr("TxRaw", () => TxRaw.decode(bytes));
  if (raw.bodyBytes.length === 0 || raw.authInfoBytes.length === 0) throw ErrTxDecode.wrap("tx has no body or auth info");
  const body = decodeOr("TxBody", () => TxBody.decode(raw.bodyBytes));
  const authInfo = decodeOr("AuthInfo", () => AuthInfo.decode(raw.authInfoBytes));
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw ErrInvalidRequest.wrap("extension options are not supported");
  }
  if (body.unordered) throw ErrInvalidRequest.wrap("unordered transactions are not supported");
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap("must contain at least one message");
  const msgs = body.messages.map((any, i) => {
    const handler = router.get(any.typeUrl);
    if (!handler) throw ErrTxDecode.wrap(`unable to resolve type URL ${JSON.stringify(any.typeUrl.slice(0, 200))} (message ${i})`);
    const msg = decodeOr(any.typeUrl, () => handler.decode(any.value));
    handler.validateBasic(msg);
    return { typeUrl: any.typeUrl, msg, handler };
  });
  if (!authInfo.fee) throw ErrTxDecode.wrap("tx has no fee");
  return { bytes, raw, body, authInfo, msgs };
}

/** Unique signers of all messages, in order of first appearance (the SDK's GetSigners). */
export function txSigners(tx: DecodedTx): string[] {
  const out: string[] = [];
  for (const m of tx.msgs) for (const s of m.handler.signers(m.msg)) if (!out.includes(s)) out.push(s);
  return out;
}
