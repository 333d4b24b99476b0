// The SDK's tx JSON (what tx-json.ts prints, what `tx sign --generate-only` writes) read back into its proto: the
// inverse of txJson/messageJson, for the CLI's `tx sign` and `tx broadcast`. Strict, as the SDK's JSON unmarshal is:
// after reading, the tx is printed again with the writer and every key and value of the input must be present and
// equal there (fields left out are defaults), so an unknown or misspelt field, a wrong type or a non-canonical value
// is an error naming its path (`body.messages[0].amont: unknown field`). The input is first put in the writer's forms
// where the SDK's protojson and Dec parser take another too: a 64-bit integer as a JSON number (200000 for
// "200000"), a LegacyDec with fewer than 18 fraction digits ("0.1"). Out of block execution.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode, signModeFromJSON } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, Tx, TxBody, type SignerInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { trustnetRegistry } from "../client/sign-direct.ts";
import { MAX_TX_BYTES } from "../sdk/tx/decode.ts";
import { txJson } from "./tx-json.ts";

/** The largest tx JSON read: a MAX_TX_BYTES tx's bytes base64-encoded, with room for the field names around them. */
export const MAX_TX_JSON_BYTES = 4 * MAX_TX_BYTES;
/** How deep the JSON may nest (objects and arrays): a tx of the routed messages needs 7; nested Anys a few more. */
const MAX_JSON_DEPTH = 24;
/** How deep Anys inside Anys are read (msg-json.ts' MAX_ANY_DEPTH, the SDK's MaxUnpackAnyRecursionDepth). */
const MAX_ANY_DEPTH = 10;

/** A tx JSON that is not one: the message names the path of the first problem. */
export class TxJsonError extends Error {
  override readonly name = "TxJsonError";
}

type Fields = Record<string, unknown>;

const registry = trustnetRegistry();

const PUBKEYS: ReadonlyMap<string, { encode(m: { key: Uint8Array }): { finish(): Uint8Array } }> = new Map([
  ["/cosmos.crypto.ed25519.PubKey", Ed25519PubKey],
  ["/cosmos.crypto.secp256k1.PubKey", Secp256k1PubKey],
]);

const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const at = (path: string, key: string | number): string => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const camelCase = (k: string): string => k.replace(/_([a-z0-9])/gu, (_, c: string) => c.toUpperCase());

/** Refuses JSON nested deeper than MAX_JSON_DEPTH before anything walks it (the walks below then recurse boundedly). */
function checkDepth(v: unknown, depth: number, path: string): void {
  if (typeof v !== "object" || v === null) return;
  if (depth > MAX_JSON_DEPTH) throw new TxJsonError(`${path || "tx"}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(v)) v.forEach((x, i) => checkDepth(x, depth + 1, at(path, i)));
  else for (const [k, x] of Object.entries(v)) checkDepth(x, depth + 1, at(path, k));
}

/**
 * LegacyDec text as the SDK's parser (LegacyNewDecFromStr) reads it: digits, then up to 18 fraction digits after a
 * point ("0.1", "1", "0.100000000000000000"; not ".5", "5." or more than 18 digits).
 */
const DEC_TEXT = /^(-?)(\d{1,60})(?:\.(\d{1,18}))?$/u;

/** LegacyDec text as its wire integer (the value × 10^18). */
function decWire(v: unknown, path: string): unknown {
  if (typeof v !== "string" || v === "") return v;
  const m = DEC_TEXT.exec(v);
  if (!m) throw new TxJsonError(`${path}: ${JSON.stringify(v.slice(0, 100))} is not a decimal with at most 18 fraction digits ("0.1", "0.100000000000000000")`);
  return (BigInt(`${m[2]}${(m[3] ?? "").padEnd(18, "0")}`) * (m[1] ? -1n : 1n)).toString();
}
/** LegacyDec text in the writer's form, 18 fraction digits ("0.1" → "0.100000000000000000"); anything else as it is. */
function decText(v: unknown): unknown {
  const m = typeof v === "string" ? DEC_TEXT.exec(v) : null;
  return m ? `${m[1]}${m[2]}.${(m[3] ?? "").padEnd(18, "0")}` : v;
}
/** A nullable customtype printed null (unset): "" on the wire. */
const nullToEmpty = (v: unknown): unknown => (v === null ? "" : v);

/** Inverses of msg-json.ts' FIXES on the messages a tx carries (the Responses, with Timestamps, are never read). */
const UNFIXES: ReadonlyMap<string, (f: Fields, path: string) => Fields> = new Map<string, (f: Fields, path: string) => Fields>([
  ["/cosmos.staking.v1beta1.MsgCreateValidator", (f, path) => {
    const c = f.commission;
    const p = at(path, "commission");
    return isObject(c) ? { ...f, commission: { ...c, rate: decWire(c.rate, at(p, "rate")), max_rate: decWire(c.max_rate, at(p, "max_rate")), max_change_rate: decWire(c.max_change_rate, at(p, "max_change_rate")) } } : f;
  }],
  ["/cosmos.staking.v1beta1.MsgEditValidator", (f, path) => ({ ...f, commission_rate: decWire(nullToEmpty(f.commission_rate), at(path, "commission_rate")), min_self_delegation: nullToEmpty(f.min_self_delegation) })],
]);

/** A message's fields with camelCase names for cosmjs-types' fromJSON (and proto-codec's fromPartial); nested Anys read. */
function camelFields(v: unknown, path: string, anyDepth: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => camelFields(x, at(path, i), anyDepth));
  if (!isObject(v)) return v;
  if ("@type" in v) {
    const a = readAny(v, path, anyDepth + 1);
    return { typeUrl: a.typeUrl, value: Buffer.from(a.value).toString("base64") };
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [camelCase(k), camelFields(x, at(path, k), anyDepth)]));
}

function base64(v: unknown, path: string): Uint8Array {
  if (typeof v !== "string") throw new TxJsonError(`${path}: expected base64 text, got ${JSON.stringify(v)}`);
  return Buffer.from(v, "base64");
}

/** `{"@type", ...fields}` (messageJson's form) as an Any: a public key `{"@type", key}`, or a message the registry knows. */
function readAny(v: unknown, path: string, depth: number): Any {
  if (!isObject(v)) throw new TxJsonError(`${path}: expected an object with "@type", got ${JSON.stringify(v)}`);
  const { "@type": typeUrl, ...fields } = v;
  if (typeof typeUrl !== "string") throw new TxJsonError(`${at(path, "@type")}: expected a type URL, got ${JSON.stringify(typeUrl)}`);
  if (depth > MAX_ANY_DEPTH) throw new TxJsonError(`${path}: Anys nested deeper than ${MAX_ANY_DEPTH}`);
  const key = PUBKEYS.get(typeUrl);
  if (key) return { typeUrl, value: key.encode({ key: base64(fields.key, at(path, "key")) }).finish() };
  const type = registry.lookupType(typeUrl) as { fromJSON?: (o: unknown) => unknown; fromPartial(o: unknown): unknown } | undefined;
  if (!type) throw new TxJsonError(`${at(path, "@type")}: unknown message type ${JSON.stringify(typeUrl.slice(0, 200))}`);
  try {
    const camel = camelFields(UNFIXES.get(typeUrl)?.(fields, path) ?? fields, path, depth);
    const value = type.fromJSON ? type.fromJSON(camel) : type.fromPartial(camel);
    return { typeUrl, value: registry.encode({ typeUrl, value }) };
  } catch (err) {
    if (err instanceof TxJsonError) throw err;
    throw new TxJsonError(`${path}: not a valid ${typeUrl}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function str(v: unknown, path: string): string {
  if (v === undefined) return "";
  if (typeof v !== "string") throw new TxJsonError(`${path}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}
/**
 * A JSON number where a 64-bit integer is read, as the SDK's protojson takes one: its decimal string. Only a whole
 * number JSON.parse holds exactly (2^53 − 1 at most); a fraction or a larger one is refused, naming the string form.
 */
function wholeNumberText(v: number, path: string): string {
  if (!Number.isSafeInteger(v)) throw new TxJsonError(`${path}: ${JSON.stringify(v)} is not a whole number that a JSON number holds exactly (at most 2^53 - 1); write a 64-bit integer as a decimal string`);
  return String(v);
}
/** A uint64 as proto3 JSON prints it (a decimal string) or as protojson also reads it (a JSON number). */
function u64(v: unknown, path: string): bigint {
  if (v === undefined) return 0n;
  const text = typeof v === "number" && v >= 0 ? wholeNumberText(v, path) : v;
  if (typeof text !== "string" || !/^\d{1,20}$/u.test(text) || BigInt(text) >= 2n ** 64n) throw new TxJsonError(`${path}: expected a uint64 (a decimal string or a whole number), got ${JSON.stringify(v)}`);
  return BigInt(text);
}
function list(v: unknown, path: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TxJsonError(`${path}: expected an array, got ${JSON.stringify(v)}`);
  return v;
}
function obj(v: unknown, path: string): Fields | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new TxJsonError(`${path}: expected an object, got ${JSON.stringify(v)}`);
  return v;
}

function readSignerInfo(v: unknown, path: string): SignerInfo {
  const s = obj(v, path) ?? {};
  const pk = s.public_key;
  const mode = obj(s.mode_info, at(path, "mode_info"));
  if (mode && "multi" in mode) throw new TxJsonError(`${at(path, "mode_info")}: a multisig signer is not supported`);
  const single = obj(mode?.single, at(at(path, "mode_info"), "single"));
  const modeName = single?.mode;
  const signMode = modeName === undefined ? SignMode.SIGN_MODE_UNSPECIFIED : signModeFromJSON(modeName);
  if (signMode === SignMode.UNRECOGNIZED) throw new TxJsonError(`${path}.mode_info.single.mode: unknown sign mode ${JSON.stringify(modeName)}`);
  return {
    publicKey: pk === undefined || pk === null ? undefined : readAny(pk, at(path, "public_key"), 1),
    modeInfo: mode ? { single: { mode: signMode } } : undefined,
    sequence: u64(s.sequence, at(path, "sequence")),
  };
}

/** LegacyDec fields of the messages a tx carries, by path under the message (msg-json.ts' FIXES print them with 18 digits). */
const DEC_FIELDS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
  ["/cosmos.staking.v1beta1.MsgCreateValidator", [["commission", "rate"], ["commission", "max_rate"], ["commission", "max_change_rate"]]],
  ["/cosmos.staking.v1beta1.MsgEditValidator", [["commission_rate"]]],
]);

function withDecText(f: Fields, keys: readonly string[]): Fields {
  const [k, ...rest] = keys;
  if (k === undefined || !Object.hasOwn(f, k)) return f;
  const x = f[k];
  if (rest.length === 0) return { ...f, [k]: decText(x) };
  return isObject(x) ? { ...f, [k]: withDecText(x, rest) } : f;
}

/**
 * A message's JSON (as read: `any` is what it read as) in the writer's forms, where the SDK's protojson also takes
 * another: a JSON number where the message holds a 64-bit integer (a bigint once decoded) becomes its decimal string,
 * a LegacyDec with fewer than 18 fraction digits gets them. Nothing else changes, so the comparison with the writer's
 * print still refuses an unknown field, or a number where a string (an address, an Int amount) belongs.
 */
function canonicalAny(v: unknown, any: Any, path: string): unknown {
  if (!isObject(v) || PUBKEYS.has(any.typeUrl)) return v;
  const decoded = registry.decode(any) as unknown;
  const { "@type": typeUrl, ...fields } = v;
  const canonical = canonicalFields(fields, decoded, path) as Fields;
  return { "@type": typeUrl, ...(DEC_FIELDS.get(any.typeUrl) ?? []).reduce(withDecText, canonical) };
}

function canonicalFields(v: unknown, decoded: unknown, path: string): unknown {
  if (typeof v === "number" && typeof decoded === "bigint") return wholeNumberText(v, path);
  if (Array.isArray(v)) return Array.isArray(decoded) ? v.map((x, i) => canonicalFields(x, decoded[i], at(path, i))) : v;
  if (!isObject(v) || !isObject(decoded)) return v;
  if ("@type" in v && typeof decoded.typeUrl === "string" && decoded.value instanceof Uint8Array) return canonicalAny(v, decoded as unknown as Any, path);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonicalFields(x, decoded[camelCase(k)], at(path, k))]));
}

/** `f` with the 64-bit integer at `key` (if given as a JSON number) as its decimal string. */
function u64Text(f: Fields, key: string): Fields {
  return typeof f[key] === "number" ? { ...f, [key]: String(f[key]) } : f;
}

/** The tx JSON as read (`tx`), in the writer's forms (canonicalAny's): what is compared with the writer's print. */
function canonicalTx(input: Fields, tx: Tx): Fields {
  const out: Fields = { ...input };
  const anys = (v: unknown, read: readonly Any[], path: string): unknown => (Array.isArray(v) ? v.map((m, i) => (read[i] ? canonicalAny(m, read[i], at(path, i)) : m)) : v);
  if (isObject(input.body) && tx.body) {
    const b = u64Text(input.body, "timeout_height");
    out.body = {
      ...b,
      ...("messages" in b ? { messages: anys(b.messages, tx.body.messages, "body.messages") } : {}),
      ...("extension_options" in b ? { extension_options: anys(b.extension_options, tx.body.extensionOptions, "body.extension_options") } : {}),
      ...("non_critical_extension_options" in b ? { non_critical_extension_options: anys(b.non_critical_extension_options, tx.body.nonCriticalExtensionOptions, "body.non_critical_extension_options") } : {}),
    };
  }
  if (isObject(input.auth_info)) {
    const ai: Fields = { ...input.auth_info };
    if (Array.isArray(ai.signer_infos)) ai.signer_infos = ai.signer_infos.map((s: unknown) => (isObject(s) ? u64Text(s, "sequence") : s));
    if (isObject(ai.fee)) ai.fee = u64Text(ai.fee, "gas_limit");
    out.auth_info = ai;
  }
  return out;
}

/** The first key or value of `input` that is not in `rendered` (the writer's print of what was read): its path. */
function notRenderedAs(input: unknown, rendered: unknown, path: string): string | undefined {
  if (Array.isArray(input)) {
    if (!Array.isArray(rendered) || rendered.length !== input.length) return `${path || "tx"}: reads as ${JSON.stringify(rendered)?.slice(0, 200)}`;
    for (let i = 0; i < input.length; i++) {
      const bad = notRenderedAs(input[i], rendered[i], at(path, i));
      if (bad) return bad;
    }
    return undefined;
  }
  if (isObject(input)) {
    if (!isObject(rendered)) return `${path || "tx"}: reads as ${JSON.stringify(rendered)?.slice(0, 200)}`;
    for (const [k, x] of Object.entries(input)) {
      if (!Object.hasOwn(rendered, k)) return `${at(path, k)}: unknown field`;
      const bad = notRenderedAs(x, rendered[k], at(path, k));
      if (bad) return bad;
    }
    return undefined;
  }
  return input === rendered ? undefined : `${path}: ${JSON.stringify(input)?.slice(0, 200)} is not valid here (it reads as ${JSON.stringify(rendered)?.slice(0, 200)})`;
}

export interface TxFromJson {
  readonly tx: Tx;
  /** TxRaw's parts: the body and AuthInfo encoded as a signer signs them. */
  readonly bodyBytes: Uint8Array;
  readonly authInfoBytes: Uint8Array;
  readonly signatures: readonly Uint8Array[];
}

/**
 * A parsed tx JSON (the SDK's `Tx`: `{"body", "auth_info", "signatures"}`, as txJson prints it) as its proto. Throws
 * TxJsonError naming the path of an unknown field, a value of the wrong type or form, a message type the registry
 * does not know, a multisig signer, or JSON nested too deep.
 */
export function txFromJson(input: unknown): TxFromJson {
  checkDepth(input, 1, "");
  const t = obj(input, "tx");
  if (!t) throw new TxJsonError(`tx: expected an object {"body", "auth_info", "signatures"}, got ${JSON.stringify(input)?.slice(0, 100)}`);
  const b = obj(t.body, "body") ?? {};
  const body: TxBody = TxBody.fromPartial({
    messages: list(b.messages, "body.messages").map((m, i) => readAny(m, `body.messages[${i}]`, 1)),
    memo: str(b.memo, "body.memo"),
    timeoutHeight: u64(b.timeout_height, "body.timeout_height"),
    extensionOptions: list(b.extension_options, "body.extension_options").map((m, i) => readAny(m, `body.extension_options[${i}]`, 1)),
    nonCriticalExtensionOptions: list(b.non_critical_extension_options, "body.non_critical_extension_options").map((m, i) => readAny(m, `body.non_critical_extension_options[${i}]`, 1)),
  });
  const ai = obj(t.auth_info, "auth_info") ?? {};
  const fee = obj(ai.fee, "auth_info.fee");
  const authInfo: AuthInfo = AuthInfo.fromPartial({
    signerInfos: list(ai.signer_infos, "auth_info.signer_infos").map((s, i) => readSignerInfo(s, `auth_info.signer_infos[${i}]`)),
    fee: fee && {
      amount: list(fee.amount, "auth_info.fee.amount").map((c, i) => {
        const coin = obj(c, `auth_info.fee.amount[${i}]`) ?? {};
        return { denom: str(coin.denom, `auth_info.fee.amount[${i}].denom`), amount: str(coin.amount, `auth_info.fee.amount[${i}].amount`) };
      }),
      gasLimit: u64(fee.gas_limit, "auth_info.fee.gas_limit"),
      payer: str(fee.payer, "auth_info.fee.payer"),
      granter: str(fee.granter, "auth_info.fee.granter"),
    },
  });
  const signatures = list(t.signatures, "signatures").map((s, i) => base64(s, `signatures[${i}]`));
  // A body or auth_info printed null (a tx without one) reads as left out, as the writer prints it.
  const tx: Tx = { body: t.body === null ? undefined : body, authInfo: t.auth_info === null ? undefined : authInfo, signatures };
  const rendered = txJson(Tx.encode(tx).finish());
  const bad = notRenderedAs(canonicalTx(t, tx), rendered, "");
  if (bad) throw new TxJsonError(bad);
  return { tx, bodyBytes: TxBody.encode(body).finish(), authInfoBytes: AuthInfo.encode(authInfo).finish(), signatures };
}

/** txFromJson of a JSON text (a file, stdin, a request body), refused above MAX_TX_JSON_BYTES before it is parsed. */
export function txFromJsonText(text: string): TxFromJson {
  if (Buffer.byteLength(text) > MAX_TX_JSON_BYTES) throw new TxJsonError(`tx JSON is larger than ${MAX_TX_JSON_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TxJsonError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return txFromJson(parsed);
}
