// cosmjs-types' protobuf reader with two changes:
// - strings are decoded by TextDecoder (native) instead of cosmjs-types' utf8Read, which builds an array of char
//   codes per string and copied it twice (18 % of a CheckTx's allocations: ~9.5 KB per bank send in the memo, type
//   URLs, addresses, denoms and amounts);
// - the input is read where it lies, not copied first: BinaryReader's constructor copies its input into a new
//   ArrayBuffer (an off-heap allocation for anything over 64 bytes, ~0.4 µs plus its GC), which for a bank send was
//   four copies in CheckTx (AuthInfo, TxBody, the message, the account) and more in FinalizeBlock.
// cosmjs-types' decode functions take a reader as well as bytes, and nested messages share it, so one reader decodes
// a whole message. Byte fields of the result are views into the input, as they were views into the copy.
import { BinaryReader } from "cosmjs-types/binary";

// ignoreBOM: a leading U+FEFF is part of the string, as utf8Read keeps it (by default TextDecoder drops it).
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * The strings of valid UTF-8, which is all that reaches it on the app's paths (tx bytes pass the strict scan, which
 * rejects invalid UTF-8, and state values are the app's own encodings), decode to exactly what utf8Read gives
 * (proto-reader.spec.ts compares them). Invalid UTF-8 becomes U+FFFD here, where utf8Read gave garbage code units.
 */
export class ProtoReader extends BinaryReader {
  /**
   * Reads `bytes` in place. So the caller must own bytes nobody will change while the result lives: on the app's
   * paths they are a decoded tx's own copy (DecodeCache copies each tx; its TxRaw, body, AuthInfo and messages are
   * read in place from that copy), or a state value (never mutated: Branch copies on set, SQLite answers fresh
   * buffers).
   */
  constructor(bytes: Uint8Array) {
    super(); // an empty reader (no copy), then pointed at the caller's bytes
    this.buf = bytes;
    this.len = bytes.length;
  }

  override string(): string {
    return utf8.decode(this.bytes());
  }
}

/** A reader over `bytes` for cosmjs-types' `decode`. */
export function protoReader(bytes: Uint8Array): ProtoReader {
  return new ProtoReader(bytes);
}
