// A message Any as the Cosmos SDK's proto3 JSON (the gateway's, with EmitDefaults): the one decoder of a tx's
// messages and of their `<Msg>Response`s, used by REST (tx-json.ts: /cosmos/tx/v1beta1/txs, the block routes, the
// explorer, simulate's msg_responses) and the CLI (`trustnet tx <hash>`). Out of block execution: it never decides
// what a tx does.
import { MsgMultiSendResponse, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import {
  MsgSetWithdrawAddressResponse, MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgUnjailResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import {
  MsgBeginRedelegateResponse, MsgCancelUnbondingDelegationResponse, MsgCreateValidatorResponse, MsgDelegateResponse, MsgEditValidatorResponse,
  MsgUndelegateResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { trustnetRegistry } from "../client/sign-direct.ts";
import { leasingMsgResponseTypes } from "../modules/leasing/types.ts";
import { registryMsgResponseTypes } from "../modules/registry/types.ts";
import { decText, protoJson, protoTimestamp, snakeCase } from "../sdk/client/json.ts";

/** The public key types a tx carries (signer keys, a validator's consensus key): `{"@type", "key": base64}`. */
const PUBKEYS: ReadonlyMap<string, { decode(b: Uint8Array): { key: Uint8Array } }> = new Map([
  ["/cosmos.crypto.ed25519.PubKey", Ed25519PubKey],
  ["/cosmos.crypto.secp256k1.PubKey", Secp256k1PubKey],
]);

/**
 * Every message the app routes (bank, staking, distribution, slashing, registry, leasing) and the `<Msg>Response` each
 * answers (TxMsgData.msg_responses, simulate's msg_responses): msg-json.spec.ts checks both lists against the app.
 * And a multisig signer's key (LegacyAminoPubKey: `{"@type", "threshold", "public_keys": [{"@type", "key"}…]}`).
 */
const registry = trustnetRegistry();
for (const t of [
  MsgSendResponse, MsgMultiSendResponse,
  MsgCreateValidatorResponse, MsgEditValidatorResponse, MsgDelegateResponse, MsgUndelegateResponse, MsgBeginRedelegateResponse, MsgCancelUnbondingDelegationResponse,
  MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommissionResponse, MsgSetWithdrawAddressResponse,
  MsgUnjailResponse, ...registryMsgResponseTypes, ...leasingMsgResponseTypes, LegacyAminoPubKey,
]) registry.register(t.typeUrl, t as never);

type Fields = Record<string, unknown>;

/** A wire LegacyDec (the integer scaled by 10^18; "" is a nil one, zero) as the SDK prints it ("0.100000000000000000"). */
const dec = (v: unknown): unknown => (typeof v === "string" && /^-?\d{0,80}$/u.test(v) ? decText(v) : v);
/** A non-nullable math.Int the wire left out (""): the SDK prints a nil Int as "0". */
const int = (v: unknown): unknown => (v === "" ? "0" : v);
/** A nullable customtype (gogoproto `nullable`), "" on the wire when unset: null, as the gateway prints a nil one. */
const orNull = (v: unknown): unknown => (v === "" ? null : v);
/** A Timestamp (as fieldsJson left it: seconds a string) as the gateway prints it, RFC 3339 in UTC (protoTimestamp). */
const time = (v: unknown): unknown => {
  const t = v as { seconds?: unknown; nanos?: unknown } | null;
  return t && typeof t.seconds === "string" && typeof t.nanos === "number" ? protoTimestamp({ seconds: BigInt(t.seconds), nanos: t.nanos }) : v;
};

/**
 * The fields whose proto3 JSON the generic walk gets wrong: LegacyDec (cosmjs-types keeps the wire integer), the
 * SDK's customtypes (nullable ones, MsgEditValidator: "" = not changed, are null in the gateway, non-nullable ones
 * zero) and Timestamps (an RFC 3339 string, not {seconds, nanos}).
 */
const FIXES: ReadonlyMap<string, (f: Fields) => Fields> = new Map<string, (f: Fields) => Fields>([
  ["/cosmos.staking.v1beta1.MsgCreateValidator", (f: Fields) => {
    const c = f.commission as Fields | null;
    return { ...f, commission: c && { ...c, rate: dec(c.rate), max_rate: dec(c.max_rate), max_change_rate: dec(c.max_change_rate) }, min_self_delegation: int(f.min_self_delegation) };
  }],
  ["/cosmos.staking.v1beta1.MsgEditValidator", (f: Fields) => ({ ...f, commission_rate: dec(orNull(f.commission_rate)), min_self_delegation: orNull(f.min_self_delegation) })],
  ["/cosmos.staking.v1beta1.MsgUndelegateResponse", (f: Fields) => ({ ...f, completion_time: time(f.completion_time) })],
  ["/cosmos.staking.v1beta1.MsgBeginRedelegateResponse", (f: Fields) => ({ ...f, completion_time: time(f.completion_time) })],
]);

const fallback = (a: Any): Fields & { "@type": string } => ({ "@type": a.typeUrl, value: Buffer.from(a.value).toString("base64") });

/**
 * How deep Anys inside Anys are decoded: the SDK's MaxUnpackAnyRecursionDepth. A deeper one keeps its bytes, so a
 * hostile tx of nested Anys (a committed tx that failed) cannot make one REST answer decode its bytes again at every level.
 */
const MAX_ANY_DEPTH = 10;

/** A decoded message's fields: nested Anys (a consensus key) as anyJson, unset messages null, the rest protoJson. */
function fieldsJson(v: unknown, depth: number): unknown {
  if (v === undefined) return null;
  if (v instanceof Uint8Array || typeof v !== "object" || v === null) return protoJson(v);
  if (Array.isArray(v)) return v.map((x) => fieldsJson(x, depth));
  const o = v as Fields;
  if (typeof o.typeUrl === "string" && o.value instanceof Uint8Array && Object.keys(o).length === 2) return anyJson(o as unknown as Any, depth + 1);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [snakeCase(k), fieldsJson(x, depth)]));
}

function anyJson(a: Any, depth: number): Fields & { "@type": string } {
  try {
    const key = PUBKEYS.get(a.typeUrl);
    if (key) return { "@type": a.typeUrl, key: Buffer.from(key.decode(a.value).key).toString("base64") };
    if (depth > MAX_ANY_DEPTH || !registry.lookupType(a.typeUrl)) return fallback(a);
    const fields = fieldsJson(registry.decode(a), depth) as Fields;
    return { "@type": a.typeUrl, ...(FIXES.get(a.typeUrl)?.(fields) ?? fields) };
  } catch {
    return fallback(a);
  }
}

/**
 * A message Any as the SDK's proto3 JSON: `{"@type": type URL, ...fields}` with the proto field names (snake_case),
 * 64-bit integers as strings, bytes base64, zero values present, unset messages null, LegacyDec as decimal text and a
 * nested Any (a public key: `{"@type", "key"}`) inlined. A type this chain does not route, bytes that do not decode,
 * or an Any nested deeper than MAX_ANY_DEPTH keep their bytes: `{"@type", "value": base64}`. null for a missing Any.
 */
export const messageJson = (a: Any | undefined): (Fields & { "@type": string }) | null => (a ? anyJson(a, 1) : null);
