// Strict, iterative protobuf pre-scan for untrusted bytes (txs, query request data). It runs before any generated
// decoder, so those decoders only ever see well-formed input of bounded depth with no groups and no unknown
// fields (except a tx body's non-critical ones, which they skip without recursing).
//
// The rules are the Cosmos SDK's unknown-field rules (codec/unknownproto, x/auth/tx's decoder, ADR-020 and
// ADR-027), without recursion: a work list of (schema, byte range, depth) frames replaces the call stack.

import { isUtf8 } from "node:buffer";

/** How a field is encoded. "any" is a google.protobuf.Any whose value is checked against its type's schema. */
export type FieldKind = "varint" | "fixed64" | "fixed32" | "bytes" | "string" | "message" | "any";

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
  /** For kind "message"; a function so that schemas may refer to themselves (ModeInfo.Multi). */
  readonly message?: () => MessageSchema;
}

export interface MessageSchema {
  /** The full protobuf name, e.g. "cosmos.tx.v1beta1.TxBody" (for error messages). */
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldSpec>;
}

export interface ScanOptions {
  /** Accept unknown fields whose number has bit 11 set (n & 1024): the SDK's non-critical fields (TxBody only). */
  readonly allowNonCritical?: boolean;
  /** The schema of an Any's value by type URL; undefined = unknown type, rejected. */
  readonly resolveAny?: (typeUrl: string) => MessageSchema | undefined;
  /** ADR-027 canonical form (TxRaw): fields in ascending order, minimal varints. */
  readonly canonical?: boolean;
  /** Nesting cap; the default is 100, as Google's protobuf and the SDK (GO-2024-3339). */
  readonly maxDepth?: number;
}

/** The bytes are not an acceptable encoding of the schema; `message` says where and why. */
export class ProtoScanError extends Error {
  override readonly name = "ProtoScanError";
}

export const MAX_PROTO_DEPTH = 100;
/** Field numbers with this bit set are non-critical (ADR-020): a TxBody may carry them unknown. */
export const NON_CRITICAL_BIT = 1024;
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** Builds a schema from `[number, spec]` pairs. */
export function schema(name: string, fields: readonly (readonly [number, FieldSpec])[]): MessageSchema {
  return { name, fields: new Map(fields) };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface Frame {
  readonly schema: MessageSchema;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly path: string;
}

class Cursor {
  pos: number;
  readonly buf: Uint8Array;
  readonly end: number;
  readonly canonical: boolean;
  readonly where: () => string;

  constructor(buf: Uint8Array, start: number, end: number, canonical: boolean, where: () => string) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.canonical = canonical;
    this.where = where;
  }

  fail(msg: string): never {
    throw new ProtoScanError(`${this.where()}: ${msg}`);
  }

  /** A varint as a number; exact up to 2^53, larger values only compare as "huge" (> any length here). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail("truncated varint");
      const b = this.buf[this.pos++] as number;
      if (i === 9 && b > 1) this.fail("varint overflows 64 bits");
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        if (this.canonical && i > 0 && b === 0) this.fail("varint is not minimally encoded");
        return value;
      }
    }
    return this.fail("varint longer than 10 bytes");
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail("field runs past the end of its message");
    this.pos += n;
  }
}

function wireOk(spec: FieldSpec, wire: number): boolean {
  switch (spec.kind) {
    case "varint": return wire === 0 || (spec.repeated === true && wire === 2);
    case "fixed64": return wire === 1 || (spec.repeated === true && wire === 2);
    case "fixed32": return wire === 5 || (spec.repeated === true && wire === 2);
    default: return wire === 2;
  }
}

/** Scans an Any (flat: two scalar fields) and answers its type URL and value range. */
function scanAny(buf: Uint8Array, start: number, end: number, where: () => string): { typeUrl: string; vStart: number; vEnd: number } {
  const c: Cursor = new Cursor(buf, start, end, false, where);
  let typeUrl: string | undefined;
  let vStart = start;
  let vEnd = start;
  let seenValue = false;
  while (c.pos < end) {
    const tag = c.varint();
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    if ((no !== 1 && no !== 2) || wire !== 2) c.fail(`google.protobuf.Any: unexpected field ${no} (wire type ${wire})`);
    const len = c.varint();
    const s = c.pos;
    c.skip(len);
    if (no === 1) {
      if (typeUrl !== undefined) c.fail("google.protobuf.Any: type_url repeated");
      try {
        typeUrl = utf8.decode(buf.subarray(s, c.pos));
      } catch {
        c.fail("google.protobuf.Any: type_url is not valid UTF-8");
      }
    } else {
      if (seenValue) c.fail("google.protobuf.Any: value repeated");
      seenValue = true;
      vStart = s;
      vEnd = c.pos;
    }
  }
  return { typeUrl: typeUrl ?? "", vStart, vEnd };
}

/**
 * Checks that `bytes` is a strict encoding of `root`: every field known (or non-critical where allowed) with its
 * declared wire type, no groups (wire types 3/4) anywhere, no repeated non-repeated field, valid UTF-8 strings,
 * every Any's type known and its value checked the same way, nesting ≤ maxDepth. Never recurses; O(bytes).
 * Throws ProtoScanError.
 */
export function scanMessage(bytes: Uint8Array, root: MessageSchema, opts: ScanOptions = {}): void {
  const maxDepth = opts.maxDepth ?? MAX_PROTO_DEPTH;
  const work: Frame[] = [{ schema: root, start: 0, end: bytes.length, depth: 1, path: root.name }];
  for (let frame = work.pop(); frame !== undefined; frame = work.pop()) {
    const f = frame;
    const c: Cursor = new Cursor(bytes, f.start, f.end, opts.canonical === true && f.depth === 1, () => f.path);
    // Non-repeated fields seen so far: numbers below 32 in a bit mask (no Set per message), larger ones in a Set.
    let seenLow = 0;
    let seenHigh: Set<number> | undefined;
    let last = 0;
    while (c.pos < f.end) {
      const tag = c.varint();
      const no = Math.floor(tag / 8);
      const wire = tag % 8;
      if (wire === 3 || wire === 4) c.fail(`field ${no} is a group (wire type ${wire}); groups are not accepted`);
      if (wire > 5) c.fail(`invalid wire type ${wire} (field ${no})`);
      if (no < 1 || no > MAX_FIELD_NUMBER) c.fail(`invalid field number ${no}`);
      const spec = f.schema.fields.get(no);
      if (c.canonical) {
        if (no < last) c.fail(`field ${no} after field ${last}: fields must be in ascending order (ADR-027)`);
        last = no;
      }
      if (!spec) {
        if (!(opts.allowNonCritical === true && (no & NON_CRITICAL_BIT) !== 0)) {
          c.fail(`unknown field ${no} (wire type ${wire}) in ${f.schema.name}`);
        }
        if (wire === 0) c.varint();
        else if (wire === 1) c.skip(8);
        else if (wire === 5) c.skip(4);
        else c.skip(c.varint());
        continue;
      }
      if (!wireOk(spec, wire)) c.fail(`field ${no} (${spec.name}) has wire type ${wire}, expected ${spec.kind}`);
      if (spec.repeated !== true) {
        const twice = no < 32 ? (seenLow & (1 << no)) !== 0 : (seenHigh ??= new Set()).has(no);
        if (twice) c.fail(`field ${no} (${spec.name}) appears twice but is not repeated`);
        if (no < 32) seenLow |= 1 << no;
        else seenHigh!.add(no);
      }
      if (wire === 0) {
        c.varint();
        continue;
      }
      if (wire === 1) {
        c.skip(8);
        continue;
      }
      if (wire === 5) {
        c.skip(4);
        continue;
      }
      const len = c.varint();
      const s = c.pos;
      c.skip(len);
      const e = c.pos;
      switch (spec.kind) {
        case "varint": {
          const packed: Cursor = new Cursor(bytes, s, e, false, () => `${f.path}.${spec.name}`);
          while (packed.pos < e) packed.varint();
          break;
        }
        case "fixed64":
        case "fixed32":
          if (len % (spec.kind === "fixed64" ? 8 : 4) !== 0) c.fail(`packed field ${no} (${spec.name}) has a partial element`);
          break;
        case "string":
          // Validated without building the string (the decode that follows builds it once).
          if (!isUtf8(bytes.subarray(s, e))) c.fail(`field ${no} (${spec.name}) is not valid UTF-8`);
          break;
        case "bytes":
          break;
        case "message": {
          const sub = spec.message?.();
          if (!sub) c.fail(`field ${no} (${spec.name}) has no schema`);
          if (f.depth + 1 > maxDepth) c.fail(`messages nested deeper than ${maxDepth}`);
          work.push({ schema: sub, start: s, end: e, depth: f.depth + 1, path: `${f.path}.${spec.name}` });
          break;
        }
        case "any": {
          const here = `${f.path}.${spec.name}`;
          if (f.depth + 2 > maxDepth) c.fail(`messages nested deeper than ${maxDepth}`);
          const { typeUrl, vStart, vEnd } = scanAny(bytes, s, e, () => here);
          const sub = opts.resolveAny?.(typeUrl);
          if (!sub) c.fail(`unable to resolve type URL ${JSON.stringify(typeUrl.slice(0, 200))}`);
          work.push({ schema: sub, start: vStart, end: vEnd, depth: f.depth + 2, path: `${here}[${sub.name}]` });
          break;
        }
      }
    }
  }
}
