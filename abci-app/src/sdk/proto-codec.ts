import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { type FieldSpec, type MessageSchema, schema } from "./proto-scan.ts";

/**
 * A protobuf message codec in the shape cosmjs' Registry expects (encode/decode/fromPartial), for TrustNet's own
 * messages (proto/trustnet/…). Encoding is canonical: fields in number order, defaults omitted, as protoc does.
 */
export interface MessageCodec<T> {
  readonly typeUrl: string;
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: Partial<T>): T;
  /** The strict-scan schema of the message (proto-scan.ts), checked before `decode` on untrusted bytes. */
  readonly schema: MessageSchema;
}

type Field =
  | { readonly name: string; readonly no: number; readonly kind: "string" | "uint64" | "bool" | "bytes" | "strings" }
  | { readonly name: string; readonly no: number; readonly kind: "repeated"; readonly codec: MessageCodec<unknown> };

export const str = (name: string, no: number): Field => ({ name, no, kind: "string" });
export const u64 = (name: string, no: number): Field => ({ name, no, kind: "uint64" });
/** A proto3 bool: false (the default) is omitted, so a bool added to a record adds no bytes until it is set. */
export const bool = (name: string, no: number): Field => ({ name, no, kind: "bool" });
export const strings = (name: string, no: number): Field => ({ name, no, kind: "strings" });
export const bytes = (name: string, no: number): Field => ({ name, no, kind: "bytes" });
export const repeated = (name: string, no: number, codec: MessageCodec<never>): Field => ({ name, no, kind: "repeated", codec: codec as MessageCodec<unknown> });

const defaults = { string: "", uint64: 0n, bool: false, bytes: new Uint8Array() } as const;

export function messageCodec<T>(typeUrl: string, fields: readonly Field[]): MessageCodec<T> {
  const sorted = [...fields].sort((a, b) => a.no - b.no);
  const byNo = new Map(sorted.map((f) => [f.no, f]));
  const empty = (): Record<string, unknown> => Object.fromEntries(sorted.map((f) => [f.name, f.kind === "repeated" || f.kind === "strings" ? [] : defaults[f.kind]]));
  const specs = sorted.map((f): [number, FieldSpec] => {
    switch (f.kind) {
      case "string": return [f.no, { name: f.name, kind: "string" }];
      case "uint64": return [f.no, { name: f.name, kind: "varint" }];
      case "bool": return [f.no, { name: f.name, kind: "varint" }];
      case "bytes": return [f.no, { name: f.name, kind: "bytes" }];
      case "strings": return [f.no, { name: f.name, kind: "string", repeated: true }];
      case "repeated": return [f.no, { name: f.name, kind: "message", repeated: true, message: () => f.codec.schema }];
    }
  });
  const codec: MessageCodec<T> = {
    typeUrl,
    schema: schema(typeUrl.replace(/^\//, ""), specs),
    encode(message, writer = BinaryWriter.create()) {
      const m = message as Record<string, unknown>;
      for (const f of sorted) {
        const v = m[f.name];
        if (f.kind === "string" && typeof v === "string" && v !== "") writer.uint32((f.no << 3) | 2).string(v);
        else if (f.kind === "uint64" && typeof v === "bigint" && v !== 0n) writer.uint32(f.no << 3).uint64(v);
        else if (f.kind === "bool" && v === true) writer.uint32(f.no << 3).bool(true);
        else if (f.kind === "bytes" && v instanceof Uint8Array && v.length > 0) writer.uint32((f.no << 3) | 2).bytes(v);
        else if (f.kind === "strings" && Array.isArray(v)) for (const item of v as string[]) writer.uint32((f.no << 3) | 2).string(item);
        else if (f.kind === "repeated" && Array.isArray(v)) for (const item of v) f.codec.encode(item, writer.uint32((f.no << 3) | 2).fork()).ldelim();
      }
      return writer;
    },
    decode(input, length) {
      const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
      const end = length === undefined ? reader.len : reader.pos + length;
      const m = empty();
      while (reader.pos < end) {
        const tag = reader.uint32();
        const f = byNo.get(tag >>> 3);
        if (!f) {
          reader.skipType(tag & 7);
          continue;
        }
        if (f.kind === "string") m[f.name] = reader.string();
        else if (f.kind === "uint64") m[f.name] = reader.uint64();
        else if (f.kind === "bool") m[f.name] = reader.bool();
        else if (f.kind === "bytes") m[f.name] = reader.bytes();
        else if (f.kind === "strings") (m[f.name] as string[]).push(reader.string());
        else if (f.kind === "repeated") (m[f.name] as unknown[]).push(f.codec.decode(reader, reader.uint32()));
      }
      return m as T;
    },
    fromPartial(object) {
      const m = empty();
      for (const f of sorted) {
        const v = (object as Record<string, unknown>)[f.name];
        if (v === undefined || v === null) continue;
        if (f.kind === "uint64") m[f.name] = BigInt(v as bigint | number | string);
        else if (f.kind === "bool") {
          // "false" or 1 would be kept as given and encoded as false: refuse anything but a boolean
          if (typeof v !== "boolean") throw new TypeError(`${f.name} must be true or false, not ${JSON.stringify(v)}`);
          m[f.name] = v;
        }
        else if (f.kind === "repeated") m[f.name] = (v as Partial<unknown>[]).map((x) => f.codec.fromPartial(x as never));
        else if (f.kind === "strings") m[f.name] = [...(v as string[])];
        else m[f.name] = v;
      }
      return m as T;
    },
  };
  return codec;
}
