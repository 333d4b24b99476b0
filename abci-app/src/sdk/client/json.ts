// proto3 JSON as the Cosmos SDK's gRPC gateway writes it: snake_case names, 64-bit ints as strings, bytes base64.
import { BaseAccount, ModuleAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { formatDec } from "../dec.ts";
import { nanosFraction } from "../time.ts";

/**
 * An account Any as the gateway prints it (Account, each of Accounts): a ModuleAccount (a module account's address) as
 * moduleAccountJson does, a BaseAccount `{"@type", address, pub_key, account_number, sequence}`.
 */
export function accountJson(any: Any | undefined): unknown {
  if (!any) return null;
  if (any.typeUrl === ModuleAccount.typeUrl) return moduleAccountJson(any);
  return { "@type": any.typeUrl, ...baseAccountJson(BaseAccount.decode(any.value)) };
}

/** A BaseAccount's fields as the gateway prints them (`pub_key` `{"@type", key}` or null). */
export function baseAccountJson(a: BaseAccount): { address: string; pub_key: unknown; account_number: string; sequence: string } {
  return {
    address: a.address,
    pub_key: a.pubKey ? { "@type": a.pubKey.typeUrl, key: Buffer.from(PubKey.decode(a.pubKey.value).key).toString("base64") } : null,
    account_number: a.accountNumber.toString(),
    sequence: a.sequence.toString(),
  };
}

/** A `/cosmos.auth.v1beta1.ModuleAccount` Any: `{"@type", base_account, name, permissions}`. */
export function moduleAccountJson(any: Any): unknown {
  const m = ModuleAccount.decode(any.value);
  return { "@type": any.typeUrl, base_account: m.baseAccount ? baseAccountJson(m.baseAccount) : null, name: m.name, permissions: m.permissions };
}

export const coinJson = (c: { denom: string; amount: string } | undefined): unknown => (c ? { denom: c.denom, amount: c.amount } : null);

function plainJson(v: unknown, name: (key: string) => string): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map((x) => plainJson(x, name));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [name(k), plainJson(x, name)]));
  return v;
}

/** A TypeScript field name (camelCase, as cosmjs-types and proto-codec name them) as its proto field name. */
export const snakeCase = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Recursively: bigint → string, Uint8Array → base64, camelCase keys → snake_case. */
export const protoJson = (v: unknown): unknown => plainJson(v, snakeCase);

/**
 * The paths of the camelCase keys in a JSON document (`validators[].operatorAddress`): every CLI JSON document has
 * snake_case keys, the proto field names (docs/wallet-cli.md). A key under one of `dataMaps` (paths as returned
 * here, `[]` for any array element: "providers[].attributes") is data (attribute names, denoms), not checked.
 */
export function camelCaseKeys(v: unknown, dataMaps: readonly string[] = [], at = ""): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => camelCaseKeys(x, dataMaps, `${at}[]`));
  if (!v || typeof v !== "object" || dataMaps.includes(at)) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const path = at ? `${at}.${k}` : k;
    return [...(/[A-Z]/u.test(k) ? [path] : []), ...camelCaseKeys(x, dataMaps, path)];
  });
}

/**
 * The keys that name a 64-bit quantity on chain (heights, amounts, gas, sequences, account numbers, lease ids, blocks
 * and seconds left, voting power, sizes, nanosecond times), and any key ending in `_height`: proto3 JSON, as the
 * Cosmos SDK CLI and REST print it, writes int64/uint64 as strings and int32/uint32 (codes, tx indexes) as numbers.
 */
export const INT64_KEYS: ReadonlySet<string> = new Set([
  "height", "amount", "gas_used", "gas_wanted", "gas_limit", "sequence", "account_number", "lease_id", "balance", "deposit", "deposited",
  "paid", "refunded", "accrued", "take", "tokens", "bond", "bond_returned", "blocks_left", "seconds_left", "voting_power", "power", "size", "time", "utrust", "refund",
]);

/**
 * The paths of the JSON numbers under a key of INT64_KEYS (or a key ending in `_height`) in a JSON document
 * (`txs[].height`): every CLI JSON document prints 64-bit numbers as strings (docs/wallet-cli.md), as the REST
 * routes do; a JSON number above 2^53 loses digits in JavaScript and jq.
 */
export function int64Numbers(v: unknown, at = ""): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => int64Numbers(x, `${at}[]`));
  if (!v || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const path = at ? `${at}.${k}` : k;
    const named = INT64_KEYS.has(k) || k.endsWith("_height");
    return [...(named && typeof x === "number" ? [path] : []), ...int64Numbers(x, path)];
  });
}

/** A wire Dec (the integer scaled by 10^18) in the gateway's LegacyDec text. */
export const decText = (wire: string): string => formatDec(BigInt(wire || "0"));

/**
 * A protobuf Timestamp as proto3 JSON prints it (the gateway's jsonpb): RFC 3339 in UTC with 0, 3, 6 or 9 fractional
 * digits, as few as the nanoseconds need ("2026-12-05T03:00:00Z", "2026-12-05T03:00:00.500Z"). A time outside
 * 0001-01-01..9999-12-31, or nanos outside [0, 10^9), is not a valid Timestamp (jsonpb refuses it too): throws.
 */
export function protoTimestamp(t: { readonly seconds: bigint; readonly nanos: number }): string {
  if (!Number.isInteger(t.nanos) || t.nanos < 0 || t.nanos >= 1e9 || t.seconds < -62_135_596_800n || t.seconds > 253_402_300_799n) {
    throw new RangeError(`not a valid Timestamp: ${t.seconds}s ${t.nanos}ns`);
  }
  return `${new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19)}${nanosFraction(t.nanos)}Z`;
}

/**
 * A protobuf Duration as proto3 JSON prints it (the gateway's jsonpb, the SDK CLI's `-o json`): seconds with 0, 3, 6 or
 * 9 fractional digits, as few as the nanoseconds need, and an `s` ("1814400s", "0.500s", "600.000000001s", "-1.500s").
 * Seconds outside ±315,576,000,000 (10,000 years), nanos outside (-10^9, 10^9) or of the other sign than the seconds
 * are not a valid Duration (jsonpb refuses it too): throws.
 */
export function protoDuration(d: { readonly seconds: bigint; readonly nanos: number }): string {
  const { seconds, nanos } = d;
  if (!Number.isInteger(nanos) || nanos <= -1e9 || nanos >= 1e9 || seconds < -315_576_000_000n || seconds > 315_576_000_000n || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw new RangeError(`not a valid Duration: ${seconds}s ${nanos}ns`);
  }
  const negative = seconds < 0n || nanos < 0;
  return `${negative ? "-" : ""}${negative ? -seconds : seconds}${nanosFraction(Math.abs(nanos))}s`;
}

