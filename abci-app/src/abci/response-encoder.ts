// Encoders for the two big or frequent ABCI answers, ResponseFinalizeBlock and ResponseCheckTx, straight from the
// app's partial answer: the same bytes as cosmjs-types' `X.encode(X.fromPartial(answer)).finish()`, without the
// full-message copy of fromPartial and without BinaryWriter's one-object-per-field op list. Two passes: the first
// measures every nested message and string (pre-order, into one array), the second writes into one exact-size
// buffer. A FinalizeBlock answer of ~1,200 bank sends is ~1.5 MB with ~30,000 event attributes: cosmjs-types spent
// 25–73 ms on it (with the GC it caused), see docs/abci-transport.md "FinalizeBlock and CheckTx answers".
//
// Only the usual shape takes the fast path: strings, Uint8Array bytes, bigint gas within int64, integer codes,
// arrays, boolean `index`. Anything else (a number for a bigint, a missing array, validator or consensus-param
// updates in FinalizeBlock, which are rare and small) goes through cosmjs-types, so the bytes never differ.
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { Event, ExecTxResult as ExecTxResultCodec, ResponseCheckTx, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { utf8Length, utf8Write } from "cosmjs-types/utf8";

/** The fields ExecTxResult and ResponseCheckTx share, field for field (tags 1–8). */
type TxResultLike = Partial<ExecTxResult>;

const INT64_MIN = -(2n ** 63n);
const UINT64_END = 2n ** 64n;

const varintLength = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/** Bytes of a varint of a bigint already known to be in [0, 2^64). */
function varint64Length(v: bigint): number {
  let n = 1;
  while (v >= 0x80n) { v >>= 7n; n++; }
  return n;
}

/** Normalised view of one gas field (fromPartial: undefined/null → 0); undefined when it is not a plain int64 bigint. */
function gas(v: unknown): bigint | undefined {
  if (v === undefined || v === null) return 0n;
  if (typeof v !== "bigint" || v < INT64_MIN || v >= UINT64_END) return undefined;
  return BigInt.asUintN(64, v); // int64 on the wire: two's complement, as cosmjs-types' int64FromString
}

const isString = (s: unknown): s is string => typeof s === "string";

/**
 * The measuring pass. Records, in the order the writing pass needs them, the length of every non-empty string and
 * of every nested message; each method returns the message's own length, or -1 when the fast path does not apply.
 * A Sizer made without `lengths` only measures (the answer budget sizes each tx result: nothing to record).
 */
class Sizer {
  /** The recorded lengths, entries [0, count); a reused scratch array may hold stale entries past `count`. */
  readonly lengths: number[] | undefined;
  count = 0;

  constructor(lengths?: number[]) {
    this.lengths = lengths;
  }

  /** Reserves the next length's place (filled by `fill` once known); -1 when only measuring. */
  slot(): number {
    if (this.lengths === undefined) return -1;
    this.lengths[this.count] = 0;
    return this.count++;
  }

  fill(slot: number, n: number): void {
    if (slot >= 0) this.lengths![slot] = n;
  }

  /** A length-delimited string field, written only when non-empty: its bytes on the wire (tag included). */
  string(s: unknown): number {
    const v = s ?? "";
    if (!isString(v)) return -1;
    if (v === "") return 0;
    const n = utf8Length(v);
    this.fill(this.slot(), n);
    return 1 + varintLength(n) + n;
  }

  event(e: Partial<Event>): number {
    const slot = this.slot();
    let size = this.string(e.type);
    if (size < 0) return -1;
    const attrs = e.attributes ?? [];
    if (!Array.isArray(attrs)) return -1;
    for (const a of attrs as unknown[]) {
      if (typeof a !== "object" || a === null) return -1;
      const { key, value, index } = a as { key?: unknown; value?: unknown; index?: unknown };
      const aSlot = this.slot();
      const k = this.string(key);
      const v = this.string(value);
      if (k < 0 || v < 0 || (index !== undefined && index !== null && typeof index !== "boolean")) return -1;
      const aSize = k + v + (index === true ? 2 : 0);
      this.fill(aSlot, aSize);
      size += 1 + varintLength(aSize) + aSize;
    }
    this.fill(slot, size);
    return size;
  }

  events(list: unknown): number {
    const events = list ?? [];
    if (!Array.isArray(events)) return -1;
    let size = 0;
    for (const e of events as unknown[]) {
      if (typeof e !== "object" || e === null) return -1;
      const n = this.event(e as Partial<Event>);
      if (n < 0) return -1;
      size += 1 + varintLength(n) + n;
    }
    return size;
  }

  /** ExecTxResult / ResponseCheckTx. */
  txResult(r: TxResultLike): number {
    const code = r.code ?? 0;
    const data = r.data ?? EMPTY;
    const wanted = gas(r.gasWanted);
    const used = gas(r.gasUsed);
    if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code > 0xffffffff) return -1;
    if (!(data instanceof Uint8Array) || wanted === undefined || used === undefined) return -1;
    let size = code !== 0 ? 1 + varintLength(code) : 0;
    if (data.length !== 0) size += 1 + varintLength(data.length) + data.length;
    const log = this.string(r.log);
    const info = this.string(r.info);
    if (log < 0 || info < 0) return -1;
    size += log + info;
    if (wanted !== 0n) size += 1 + varint64Length(wanted);
    if (used !== 0n) size += 1 + varint64Length(used);
    const events = this.events(r.events);
    const codespace = this.string(r.codespace);
    if (events < 0 || codespace < 0) return -1;
    return size + events + codespace;
  }
}

const EMPTY = new Uint8Array();

/** The writing pass: consumes the Sizer's lengths in the same order. */
class Writer {
  #i = 0;
  pos = 0;
  readonly buf: Uint8Array;
  readonly lengths: readonly number[];
  constructor(buf: Uint8Array, lengths: readonly number[]) {
    this.buf = buf;
    this.lengths = lengths;
  }

  byte(b: number): void { this.buf[this.pos++] = b; }

  varint(n: number): void {
    while (n >= 0x80) { this.buf[this.pos++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128); }
    this.buf[this.pos++] = n;
  }

  varint64(v: bigint): void {
    while (v >= 0x80n) { this.buf[this.pos++] = Number(v & 0x7fn) | 0x80; v >>= 7n; }
    this.buf[this.pos++] = Number(v);
  }

  /** The next recorded length (a nested message's or a string's). */
  next(): number { return this.lengths[this.#i++]!; }

  string(tag: number, s: string | null | undefined): void {
    if (s === undefined || s === null || s === "") return;
    this.byte(tag);
    this.varint(this.next());
    this.pos += utf8Write(s, this.buf, this.pos);
  }

  bytes(tag: number, b: Uint8Array): void {
    if (b.length === 0) return;
    this.byte(tag);
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  event(tag: number, e: Partial<Event>): void {
    this.byte(tag);
    this.varint(this.next());
    this.string(10, e.type);
    for (const a of e.attributes ?? []) {
      this.byte(18);
      this.varint(this.next());
      this.string(10, a.key);
      this.string(18, a.value);
      if (a.index === true) { this.byte(24); this.byte(1); }
    }
  }

  txResult(r: TxResultLike): void {
    const code = r.code ?? 0;
    if (code !== 0) { this.byte(8); this.varint(code); }
    this.bytes(18, r.data ?? EMPTY);
    this.string(26, r.log);
    this.string(34, r.info);
    const wanted = gas(r.gasWanted)!;
    const used = gas(r.gasUsed)!;
    if (wanted !== 0n) { this.byte(40); this.varint64(wanted); }
    if (used !== 0n) { this.byte(48); this.varint64(used); }
    for (const e of r.events ?? []) this.event(58, e);
    this.string(66, r.codespace);
  }
}

function finish(size: number, lengths: readonly number[], write: (w: Writer) => void): Buffer {
  const w = new Writer(Buffer.allocUnsafe(size), lengths);
  write(w);
  if (w.pos !== size) throw new Error(`response encoder wrote ${w.pos} bytes, measured ${size}`);
  return w.buf as Buffer;
}

const view = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The bytes one tx result takes in a ResponseFinalizeBlock (its tag and length included), without encoding it. */
export function txResultFieldBytes(result: ExecTxResult): number {
  const n = new Sizer().txResult(result); // measures only
  const size = n >= 0 ? n : ExecTxResultCodec.encode(ExecTxResultCodec.fromPartial(result)).finish().length;
  return 1 + varintLength(size) + size;
}

/** The bytes block events take in a ResponseFinalizeBlock (each event's tag and length included). */
export function eventsFieldBytes(events: readonly Event[]): number {
  const n = new Sizer().events(events); // measures only
  if (n >= 0) return n;
  return events.reduce((sum, e) => {
    const size = Event.encode(Event.fromPartial(e)).finish().length;
    return sum + 1 + varintLength(size) + size;
  }, 0);
}

/** ResponseCheckTx bytes of an app's (partial) answer; identical to cosmjs-types' encode(fromPartial(answer)). */
export function encodeCheckTxAnswer(answer: Partial<ResponseCheckTx>): Buffer {
  const s = new Sizer([]);
  const size = s.txResult(answer);
  if (size < 0) return view(ResponseCheckTx.encode(ResponseCheckTx.fromPartial(answer)).finish());
  return finish(size, s.lengths!, (w) => w.txResult(answer));
}

/**
 * The lengths array of FinalizeBlock's encoder, reused from block to block: a block of ~1,250 sends records ~125,000
 * lengths, and growing a fresh array to that size every block was ~2 KB of garbage per tx. Entries past the ones an
 * encode records are stale and never read (the writer reads exactly what the sizer recorded, in order). Kept up to
 * BLOCK_LENGTHS_KEPT entries (~2 MB); a larger block's array is used once and dropped.
 */
let scratchLengths: number[] = [];
const BLOCK_LENGTHS_KEPT = 1 << 18;
function blockLengths(): number[] {
  if (scratchLengths.length > BLOCK_LENGTHS_KEPT) scratchLengths = [];
  return scratchLengths;
}

/** ResponseFinalizeBlock bytes of an app's (partial) answer; identical to cosmjs-types' encode(fromPartial(answer)). */
export function encodeFinalizeBlockAnswer(answer: Partial<ResponseFinalizeBlock>): Buffer {
  const fallback = (): Buffer => view(ResponseFinalizeBlock.encode(ResponseFinalizeBlock.fromPartial(answer)).finish());
  const { txResults = [], appHash = EMPTY, validatorUpdates, consensusParamUpdates } = answer;
  if ((validatorUpdates !== undefined && validatorUpdates !== null && validatorUpdates.length !== 0)
    || (consensusParamUpdates !== undefined && consensusParamUpdates !== null)) return fallback();
  if (!Array.isArray(txResults) || !(appHash instanceof Uint8Array)) return fallback();
  const s = new Sizer(blockLengths());
  let size = s.events(answer.events);
  if (size < 0) return fallback();
  for (const r of txResults as unknown[]) {
    if (typeof r !== "object" || r === null) return fallback();
    const slot = s.slot();
    const n = s.txResult(r as TxResultLike);
    if (n < 0) return fallback();
    s.fill(slot, n);
    size += 1 + varintLength(n) + n;
  }
  if (appHash.length !== 0) size += 1 + varintLength(appHash.length) + appHash.length;
  return finish(size, s.lengths!, (w) => {
    for (const e of answer.events ?? []) w.event(10, e);
    for (const r of txResults) {
      w.byte(18);
      w.varint(w.next());
      w.txResult(r);
    }
    w.bytes(42, appHash);
  });
}
