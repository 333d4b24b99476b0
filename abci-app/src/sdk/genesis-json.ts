// Strict readers for a module's genesis JSON (the SDK's proto3 JSON, read strictly): every module's
// validateGenesis builds on these. `what` is the path of the value in the section ("distribution
// genesis.outstanding_rewards[0]"); every refusal is an ErrInvalidRequest naming it.
import { ErrInvalidRequest } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

/** An object. With `fields`, any other key is refused (unknown fields are an error, as in the SDK's strict JSON). */
export function readObject(v: unknown, what: string, fields?: readonly string[]): JsonObject {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw ErrInvalidRequest.wrap(`${what} must be an object`);
  if (fields) for (const k of Object.keys(v)) if (!fields.includes(k)) throw ErrInvalidRequest.wrap(`${what}: unknown field ${JSON.stringify(k)}`);
  return v as JsonObject;
}

/** A list; absent is the empty list (proto3 JSON omits empty repeated fields). */
export function readList(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw ErrInvalidRequest.wrap(`${what} must be a list`);
  return v;
}

export function readString(v: unknown, what: string): string {
  if (typeof v !== "string") throw ErrInvalidRequest.wrap(`${what} must be a string`);
  return v;
}

export function readBool(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") throw ErrInvalidRequest.wrap(`${what} must be true or false`);
  return v;
}

/** A non-negative int64 as its decimal string (the proto3 JSON form of int64). */
export function readInt64(v: unknown, what: string): bigint {
  if (typeof v !== "string" || !/^\d{1,19}$/u.test(v) || BigInt(v) >= 2n ** 63n) throw ErrInvalidRequest.wrap(`${what} must be a non-negative int64 as a decimal string`);
  return BigInt(v);
}

/** A uint64 as its decimal string (the proto3 JSON form of uint64). */
export function readUint64(v: unknown, what: string): bigint {
  if (typeof v !== "string" || !/^\d{1,20}$/u.test(v) || BigInt(v) >= 2n ** 64n) throw ErrInvalidRequest.wrap(`${what} must be a uint64 as a decimal string`);
  return BigInt(v);
}
