// Strict-scan schemas (proto-scan.ts) of the Cosmos SDK messages TrustNet accepts from untrusted bytes: the tx
// envelope (cosmos/tx/v1beta1/tx.proto), the Msg types inside its Anys and the query requests. Field numbers and
// kinds follow the .proto files; a field missing here is an unknown field, rejected as the SDK does.
import type { FieldSpec, MessageSchema } from "../proto-scan.ts";
import { schema } from "../proto-scan.ts";

const str = (name: string, repeated = false): FieldSpec => ({ name, kind: "string", repeated });
const bytes = (name: string, repeated = false): FieldSpec => ({ name, kind: "bytes", repeated });
const varint = (name: string, repeated = false): FieldSpec => ({ name, kind: "varint", repeated });
const msg = (name: string, message: () => MessageSchema, repeated = false): FieldSpec => ({ name, kind: "message", message, repeated });
const any = (name: string, repeated = false): FieldSpec => ({ name, kind: "any", repeated });

export const Coin = schema("cosmos.base.v1beta1.Coin", [[1, str("denom")], [2, str("amount")]]);
export const Timestamp = schema("google.protobuf.Timestamp", [[1, varint("seconds")], [2, varint("nanos")]]);

export const TxRaw = schema("cosmos.tx.v1beta1.TxRaw", [[1, bytes("body_bytes")], [2, bytes("auth_info_bytes")], [3, bytes("signatures", true)]]);

export const TxBody = schema("cosmos.tx.v1beta1.TxBody", [
  [1, any("messages", true)], [2, str("memo")], [3, varint("timeout_height")], [4, varint("unordered")],
  [5, msg("timeout_timestamp", () => Timestamp)], [1023, any("extension_options", true)],
  [2047, any("non_critical_extension_options", true)],
]);

const CompactBitArray = schema("cosmos.crypto.multisig.v1beta1.CompactBitArray", [[1, varint("extra_bits_stored")], [2, bytes("elems")]]);
const ModeInfoSingle = schema("cosmos.tx.v1beta1.ModeInfo.Single", [[1, varint("mode")]]);
const ModeInfoMulti: MessageSchema = schema("cosmos.tx.v1beta1.ModeInfo.Multi", [
  [1, msg("bitarray", () => CompactBitArray)], [2, msg("mode_infos", () => ModeInfo, true)],
]);
const ModeInfo: MessageSchema = schema("cosmos.tx.v1beta1.ModeInfo", [[1, msg("single", () => ModeInfoSingle)], [2, msg("multi", () => ModeInfoMulti)]]);
const SignerInfo = schema("cosmos.tx.v1beta1.SignerInfo", [[1, any("public_key")], [2, msg("mode_info", () => ModeInfo)], [3, varint("sequence")]]);
const Fee = schema("cosmos.tx.v1beta1.Fee", [[1, msg("amount", () => Coin, true)], [2, varint("gas_limit")], [3, str("payer")], [4, str("granter")]]);
const Tip = schema("cosmos.tx.v1beta1.Tip", [[1, msg("amount", () => Coin, true)], [2, str("tipper")]]);
export const AuthInfo = schema("cosmos.tx.v1beta1.AuthInfo", [[1, msg("signer_infos", () => SignerInfo, true)], [2, msg("fee", () => Fee)], [3, msg("tip", () => Tip)]]);

/** cosmos.tx.v1beta1.Tx: wire-identical to TxRaw but with embedded messages (the deprecated Simulate `tx`). */
export const Tx = schema("cosmos.tx.v1beta1.Tx", [[1, msg("body", () => TxBody)], [2, msg("auth_info", () => AuthInfo)], [3, bytes("signatures", true)]]);
/** SimulateRequest with `tx` opaque: the query router's first pass; the simulate handler then scans it in full. */
export const SimulateRequestEnvelope = schema("cosmos.tx.v1beta1.SimulateRequest", [[1, bytes("tx")], [2, bytes("tx_bytes")]]);
export const SimulateRequest = schema("cosmos.tx.v1beta1.SimulateRequest", [[1, msg("tx", () => Tx)], [2, bytes("tx_bytes")]]);

/** Public key types a SignerInfo may carry (only secp256k1 is accepted later, in the ante checks). */
export const PUBKEY_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  ["/cosmos.crypto.secp256k1.PubKey", schema("cosmos.crypto.secp256k1.PubKey", [[1, bytes("key")]])],
  ["/cosmos.crypto.ed25519.PubKey", schema("cosmos.crypto.ed25519.PubKey", [[1, bytes("key")]])],
]);

const Input = schema("cosmos.bank.v1beta1.Input", [[1, str("address")], [2, msg("coins", () => Coin, true)]]);
const Output = schema("cosmos.bank.v1beta1.Output", [[1, str("address")], [2, msg("coins", () => Coin, true)]]);
export const MsgSend = schema("cosmos.bank.v1beta1.MsgSend", [[1, str("from_address")], [2, str("to_address")], [3, msg("amount", () => Coin, true)]]);
export const MsgMultiSend = schema("cosmos.bank.v1beta1.MsgMultiSend", [[1, msg("inputs", () => Input, true)], [2, msg("outputs", () => Output, true)]]);

export const PageRequest = schema("cosmos.base.query.v1beta1.PageRequest", [
  [1, bytes("key")], [2, varint("offset")], [3, varint("limit")], [4, varint("count_total")], [5, varint("reverse")],
]);
export const Empty = (name: string): MessageSchema => schema(name, []);
