import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ErrInvalidRequest, ErrTxDecode, ErrTxTooLarge, AppError } from "../errors.ts";
import type { MsgHandler } from "../module.ts";
import { type MessageSchema, ProtoScanError, type ScanOptions, scanMessage } from "../proto-scan.ts";
import * as S from "./schemas.ts";
import { protoReader } from "../proto-reader.ts";

/** The largest tx the app accepts: CometBFT's default mempool.max_tx_bytes, enforced again in block execution. */
export const MAX_TX_BYTES = 1024 * 1024;
/**
 * The largest HTTP body that must be accepted to broadcast a MAX_TX_BYTES tx as JSON: the tx base64-encoded (REST
 * `tx_bytes`, CometBFT's JSON-RPC `broadcast_tx_*` params) plus room for the envelope. CometBFT's own RPC default
 * (rpc.max_body_bytes = 1,000,000) is smaller than a ~750 KB tx needs; the generated config.toml and the REST
 * server use this.
 */
export const MAX_TX_JSON_BODY_BYTES = Math.ceil(MAX_TX_BYTES / 3) * 4 + 64 * 1024;
/** The most messages one tx may carry (a consensus rule: CheckTx, simulate and FinalizeBlock all enforce it). */
export const MAX_MSGS_PER_TX = 100;
/** google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z. */
const MIN_TIMESTAMP_SECONDS = -62_135_596_800n;
const MAX_TIMESTAMP_SECONDS = 253_402_300_799n;

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

/** Message handlers by type URL; a handler's `schema` is what the strict scan checks its Any values against. */
export type MsgRouter = ReadonlyMap<string, MsgHandler<unknown>>;

function decodeOr<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw ErrTxDecode.wrap(`cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The strict, non-recursive scan (proto-scan.ts) as an AppError: code 2, "tx parse error". */
export function scanOrReject(bytes: Uint8Array, schema: MessageSchema, opts: ScanOptions = {}): void {
  try {
    scanMessage(bytes, schema, opts);
  } catch (err) {
    if (err instanceof ProtoScanError) throw ErrTxDecode.wrap(err.message);
    throw err;
  }
}

/**
 * TxRaw must be in ADR-027 canonical form with no unknown fields: one byte string per tx (no hash malleability).
 * Read in place (ProtoReader): its byte fields, and so every field decoded from them, are views into `bytes`, which
 * the caller must not change while the decode lives (DecodeCache hands in its own copy of each tx).
 */
export function decodeTxRaw(bytes: Uint8Array): TxRaw {
  scanOrReject(bytes, S.TxRaw, { canonical: true });
  return TxRaw.decode(protoReader(bytes));
}

/** AuthInfo rejects unknown fields (critical or not); the public key Any must be a known key type. */
export function decodeAuthInfo(bytes: Uint8Array): AuthInfo {
  scanOrReject(bytes, S.AuthInfo, { resolveAny: (url) => S.PUBKEY_SCHEMAS.get(url) });
  return AuthInfo.decode(protoReader(bytes));
}

/**
 * One decode of a tx's bytes, everything every phase needs from it: whether the TxRaw is well-formed (PrepareProposal
 * never proposes one that is not), the gas it declares (the block gas meter), and the decoded tx or the AppError
 * that refuses it. Deterministic in the bytes (and the message router), so it may be cached by tx hash.
 */
export interface TxDecodeResult {
  /** The TxRaw passed the strict canonical scan. */
  readonly rawOk: boolean;
  /** The gas limit the tx declares, or 0 when its TxRaw or AuthInfo is not strictly well-formed. */
  readonly gasWanted: bigint;
  readonly tx?: DecodedTx;
  /**
   * Set when `tx` is not: why the tx is refused (an AppError: code 2 parse error, 21 too large, 18 invalid
   * request …), or the bug a message's decode or validateBasic threw (anything else: runTx treats it as before,
   * an internal error that halts FinalizeBlock; such a result is never cached).
   */
  readonly error?: unknown;
}

/** Runs a decode step; an AppError is returned rather than thrown, anything else (a bug) is thrown. */
function tryDecode<T>(f: () => T): T | AppError {
  try {
    return f();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

/**
 * Decodes a tx once for every use (see TxDecodeResult): the same checks, in the same order, as `decodeTx`, with
 * the declared gas read from the TxRaw and AuthInfo of that decode (0 when either is not well-formed).
 */
export function decodeTxOnce(bytes: Uint8Array, router: MsgRouter): TxDecodeResult {
  const raw = tryDecode(() => decodeOr("TxRaw", () => decodeTxRaw(bytes)));
  if (raw instanceof AppError) {
    const error = bytes.length === 0 ? ErrTxDecode.wrap("empty tx") : bytes.length > MAX_TX_BYTES ? tooLarge(bytes) : raw;
    return { rawOk: false, gasWanted: 0n, error };
  }
  const authInfo = tryDecode(() => decodeOr("AuthInfo", () => decodeAuthInfo(raw.authInfoBytes)));
  const gasWanted = authInfo instanceof AppError ? 0n : (authInfo.fee?.gasLimit ?? 0n);
  try {
    return { rawOk: true, gasWanted, tx: decodeDecoded(bytes, raw, authInfo, router) };
  } catch (error) {
    return { rawOk: true, gasWanted, error };
  }
}

const tooLarge = (bytes: Uint8Array): AppError => ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`);

function checkTimeoutTimestamp(body: TxBody): void {
  const t = body.timeoutTimestamp;
  if (!t) return;
  if (t.seconds < MIN_TIMESTAMP_SECONDS || t.seconds > MAX_TIMESTAMP_SECONDS || t.nanos < 0 || t.nanos > 999_999_999) {
    throw ErrInvalidRequest.wrap(`timeout timestamp out of range (seconds ${t.seconds}, nanos ${t.nanos}); it must lie in 0001-01-01..9999-12-31`);
  }
}

/**
 * Decodes TxRaw → TxBody, AuthInfo and each message; runs every message's stateless validateBasic. Every byte string
 * passes the strict scan first (the SDK's x/auth/tx decoder rules): TxRaw and AuthInfo reject unknown fields, the
 * TxBody and the messages in its Anys accept only non-critical unknown fields (number with bit 11 set); groups,
 * duplicated non-repeated fields and nesting deeper than 100 are rejected everywhere.
 */
export function decodeTx(bytes: Uint8Array, router: MsgRouter, opts: { readonly validateBasic?: boolean } = {}): DecodedTx {
  if (bytes.length === 0) throw ErrTxDecode.wrap("empty tx");
  if (bytes.length > MAX_TX_BYTES) throw tooLarge(bytes);
  const raw = decodeOr("TxRaw", () => decodeTxRaw(bytes));
  return decodeDecoded(bytes, raw, tryDecode(() => decodeOr("AuthInfo", () => decodeAuthInfo(raw.authInfoBytes))), router, opts.validateBasic ?? true);
}

/**
 * The rest of decodeTx once the TxRaw is decoded; `authInfo` is its decoded AuthInfo or why that failed.
 * `validateBasic` false (TxDecode, a person inspecting bytes; never the tx path) skips the messages' stateless checks.
 */
function decodeDecoded(bytes: Uint8Array, raw: TxRaw, authInfo: AuthInfo | AppError, router: MsgRouter, validateBasic = true): DecodedTx {
  if (bytes.length === 0) throw ErrTxDecode.wrap("empty tx");
  if (bytes.length > MAX_TX_BYTES) throw tooLarge(bytes);
  if (raw.bodyBytes.length === 0 || raw.authInfoBytes.length === 0) throw ErrTxDecode.wrap("tx has no body or auth info");
  // Anys: the body's messages resolve to their handlers' schemas; an Any inside a message (a validator's consensus
  // pubkey) to the public key schemas.
  scanOrReject(raw.bodyBytes, S.TxBody, { allowNonCritical: true, resolveAny: (url) => router.get(url)?.schema ?? S.PUBKEY_SCHEMAS.get(url) });
  const body = decodeOr("TxBody", () => TxBody.decode(protoReader(raw.bodyBytes)));
  if (authInfo instanceof AppError) throw authInfo;
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw ErrInvalidRequest.wrap("extension options are not supported");
  }
  if (body.unordered) throw ErrInvalidRequest.wrap("unordered transactions are not supported");
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap("must contain at least one message");
  if (body.messages.length > MAX_MSGS_PER_TX) throw ErrInvalidRequest.wrap(`tx has ${body.messages.length} messages; the limit is ${MAX_MSGS_PER_TX}`);
  checkTimeoutTimestamp(body);
  const msgs = body.messages.map((any, i) => {
    const handler = router.get(any.typeUrl);
    if (!handler) throw ErrTxDecode.wrap(`unable to resolve type URL ${JSON.stringify(any.typeUrl.slice(0, 200))} (message ${i})`);
    const msg = decodeOr(any.typeUrl, () => handler.decode(any.value));
    if (validateBasic) handler.validateBasic(msg);
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
