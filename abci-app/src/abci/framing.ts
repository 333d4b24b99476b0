// Socket framing of ABCI 0.37+: every message is uvarint(len(protobuf)) ‖ protobuf.
// The length is an UNSIGNED varint (Go binary.PutUvarint); the pre-0.37 zigzag framing is not spoken here.
import { FrameTooLargeError, VarintTooLongError } from "./errors.ts";

/**
 * Default cap on one message, in either direction: 64 MiB.
 * CometBFT's default block is at most 21 MiB (block.max_bytes 22020096), so a FinalizeBlock or PrepareProposal
 * of a full block fits with room to spare. CometBFT itself reads up to 2 GiB; raise `maxMessageBytes` if the chain
 * raises block.max_bytes (or sets it to -1, which hands PrepareProposal the whole mempool).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A uvarint is at most 10 bytes (64 bits in 7-bit groups). */
export const MAX_VARINT_BYTES = 10;

/** Encodes a non-negative safe integer as an unsigned protobuf varint. */
export function encodeUvarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`uvarint needs a non-negative safe integer, got ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Returns uvarint(len(payload)) ‖ payload as one buffer. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const prefix = encodeUvarint(payload.length);
  const out = Buffer.allocUnsafe(prefix.length + payload.length);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

/** The typed errors a FrameDecoder can fail with. */
export type FramingError = VarintTooLongError | FrameTooLargeError;

/**
 * Incremental decoder: push arbitrary chunks, get back every frame completed so far.
 * Frames may span chunk boundaries and one chunk may hold many frames. It never buffers more than the frame being
 * assembled (≤ maxMessageBytes) plus at most 10 prefix bytes.
 * A bad length prefix does not throw: `push` still returns the good frames that preceded it in the chunk, and sets
 * `error`; from then on the decoder stays failed and returns nothing. Check `error` after every push.
 */
export class FrameDecoder {
  readonly maxMessageBytes: number;
  #prefixValue = 0;
  #prefixBytes = 0;
  #bodyLength = -1; // -1: reading the length prefix
  #bodyParts: Uint8Array[] = [];
  #bodyReceived = 0;
  #failure: FramingError | undefined;

  constructor(maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES) {
    if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1) {
      throw new RangeError(`maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Why the stream is unusable (set by push), or undefined while it is fine. */
  get error(): FramingError | undefined {
    return this.#failure;
  }

  /** True while part of a frame (prefix or body) has been received but not completed. */
  get hasPartialFrame(): boolean {
    return this.#prefixBytes > 0 || this.#bodyLength >= 0;
  }

  /** Human-readable state of an incomplete frame, for the "truncated at EOF" log line. */
  describePartial(): string {
    if (this.#bodyLength >= 0) return `got ${this.#bodyReceived} of ${this.#bodyLength} body bytes`;
    if (this.#prefixBytes > 0) return `got ${this.#prefixBytes} bytes of an unfinished length prefix`;
    return "no partial frame";
  }

  /** Feeds one chunk; returns the frames it completed, in order (see `error`). */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    if (this.#failure) return frames;
    try {
      this.#consume(chunk, frames);
    } catch (err) {
      if (err !== this.#failure) throw err;
    }
    return frames;
  }

  #consume(chunk: Uint8Array, frames: Uint8Array[]): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#bodyLength < 0) {
        pos = this.#readPrefix(chunk, pos);
        if (this.#bodyLength < 0) break; // prefix still incomplete: chunk exhausted
        if (this.#bodyLength === 0) {
          frames.push(new Uint8Array(0));
          this.#bodyLength = -1;
        }
        continue;
      }
      const want = this.#bodyLength - this.#bodyReceived;
      const take = Math.min(want, chunk.length - pos);
      const piece = chunk.subarray(pos, pos + take);
      pos += take;
      if (this.#bodyReceived === 0 && take === want) {
        frames.push(piece); // whole body inside this chunk: no copy
      } else {
        this.#bodyParts.push(piece);
        this.#bodyReceived += take;
        if (this.#bodyReceived < this.#bodyLength) break;
        frames.push(Buffer.concat(this.#bodyParts, this.#bodyLength));
        this.#bodyParts = [];
      }
      this.#bodyLength = -1;
      this.#bodyReceived = 0;
    }
  }

  #readPrefix(chunk: Uint8Array, start: number): number {
    let pos = start;
    while (pos < chunk.length) {
      const byte = chunk[pos] as number;
      pos += 1;
      const index = this.#prefixBytes;
      this.#prefixBytes += 1;
      if (index === MAX_VARINT_BYTES - 1) {
        // The 10th byte must end the varint and may only carry the 64th bit.
        if ((byte & 0x80) !== 0) this.#fail(new VarintTooLongError(this.#prefixBytes, "it is longer than 10 bytes"));
        if (byte > 1) this.#fail(new VarintTooLongError(this.#prefixBytes, "its value overflows 64 bits"));
      }
      this.#prefixValue += (byte & 0x7f) * 2 ** (7 * index);
      if ((byte & 0x80) === 0) {
        const length = this.#prefixValue;
        this.#prefixValue = 0;
        this.#prefixBytes = 0;
        if (length > this.maxMessageBytes) this.#fail(new FrameTooLargeError(length, this.maxMessageBytes));
        this.#bodyLength = length;
        return pos;
      }
    }
    return pos;
  }

  #fail(error: FramingError): never {
    this.#failure = error;
    this.#bodyParts = [];
    this.#bodyLength = -1;
    this.#prefixBytes = 0;
    throw error;
  }
}
