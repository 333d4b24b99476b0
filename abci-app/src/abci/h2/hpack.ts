// HPACK (RFC 7541) for the native gRPC server: a strict decoder of request header blocks (static + dynamic table,
// Huffman strings) and the few literal header fields the server sends. The encoder never indexes, so the peer's
// SETTINGS_HEADER_TABLE_SIZE does not concern it. Strings are decoded as latin1 (one char per octet), so a
// string's length is its size in octets.

/** A header block the decoder refuses: the connection must end with COMPRESSION_ERROR. */
export class HpackError extends Error {
  override readonly name = "HpackError";
}

/** RFC 7541 Appendix A. Index 1 is STATIC[0]. */
const STATIC: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"], [":path", "/index.html"],
  [":scheme", "http"], [":scheme", "https"], [":status", "200"], [":status", "204"], [":status", "206"],
  [":status", "304"], [":status", "400"], [":status", "404"], [":status", "500"], ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"], ["accept-language", ""], ["accept-ranges", ""], ["accept", ""],
  ["access-control-allow-origin", ""], ["age", ""], ["allow", ""], ["authorization", ""], ["cache-control", ""],
  ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""], ["date", ""], ["etag", ""],
  ["expect", ""], ["expires", ""], ["from", ""], ["host", ""], ["if-match", ""], ["if-modified-since", ""],
  ["if-none-match", ""], ["if-range", ""], ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""],
  ["location", ""], ["max-forwards", ""], ["proxy-authenticate", ""], ["proxy-authorization", ""], ["range", ""],
  ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""],
  ["www-authenticate", ""],
];

/**
 * Code length in bits of each of the 257 Huffman symbols (RFC 7541 Appendix B; 256 = EOS). The code is canonical
 * (codes assigned in order of length, then symbol), so the lengths define it; hpack.spec.ts checks RFC examples.
 */
const HUFFMAN_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28,
  28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6,
  5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23,
  22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22,
  23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26,
  20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27,
  27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27,
  27, 27, 27, 26, 30,
];
const EOS = 256;

/** Canonical decoding tables: per length, the first code, how many codes, and where its symbols start. */
const HUFF = (() => {
  const symbols = HUFFMAN_LENGTHS.map((len, sym) => ({ len, sym })).sort((a, b) => a.len - b.len || a.sym - b.sym);
  const first = new Array<number>(31).fill(0);
  const count = new Array<number>(31).fill(0);
  const offset = new Array<number>(31).fill(0);
  for (const { len } of symbols) count[len] = (count[len] ?? 0) + 1;
  let code = 0;
  let at = 0;
  for (let len = 1; len <= 30; len++) {
    first[len] = code;
    offset[len] = at;
    code = (code + (count[len] ?? 0)) * 2;
    at += count[len] ?? 0;
  }
  return { first, count, offset, sorted: symbols.map((s) => s.sym) };
})();

/** Decodes a Huffman string (RFC 7541 §5.2): EOS inside, padding over 7 bits or not all ones are errors. */
export function huffmanDecode(src: Uint8Array): string {
  const out: number[] = [];
  let code = 0;
  let len = 0;
  for (const byte of src) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      len += 1;
      const idx = code - (HUFF.first[len] ?? 0);
      if (idx >= 0 && idx < (HUFF.count[len] ?? 0)) {
        const sym = HUFF.sorted[(HUFF.offset[len] ?? 0) + idx] ?? EOS;
        if (sym === EOS) throw new HpackError("Huffman string contains EOS");
        out.push(sym);
        code = 0;
        len = 0;
      } else if (len >= 30) {
        throw new HpackError("invalid Huffman code");
      }
    }
  }
  if (len > 7 || code !== 2 ** len - 1) throw new HpackError("invalid Huffman padding");
  return Buffer.from(out).toString("latin1");
}

export interface HeaderField { readonly name: string; readonly value: string }

/** One connection's decoder state: the dynamic table of request header blocks. */
export class HpackDecoder {
  #table: HeaderField[] = []; // newest first
  #size = 0;
  #maxSize: number;
  readonly #limit: number;

  /** `maxTableSize`: what this side announced as SETTINGS_HEADER_TABLE_SIZE (4096 by default). */
  constructor(maxTableSize = 4096) {
    this.#maxSize = maxTableSize;
    this.#limit = maxTableSize;
  }

  /**
   * Decodes one complete header block. `maxListSize` bounds the decoded list (RFC 9113 §6.5.2: octets of names and
   * values plus 32 per field); past it the block is still decoded (the table must stay in step), then rejected.
   */
  decode(block: Uint8Array, maxListSize: number): { headers: HeaderField[]; tooLarge: boolean } {
    const headers: HeaderField[] = [];
    let listSize = 0;
    let pos = 0;
    let sizeUpdateAllowed = true;
    const int = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      let v = (block[pos++] ?? 0) & mask;
      if (v < mask) return v;
      let shift = 0;
      for (;;) {
        if (pos >= block.length) throw new HpackError("truncated integer");
        const b = block[pos++] ?? 0;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (v > 2 ** 31) throw new HpackError("integer too large");
        if ((b & 0x80) === 0) return v;
      }
    };
    const str = (): string => {
      if (pos >= block.length) throw new HpackError("truncated string");
      const huffman = ((block[pos] ?? 0) & 0x80) !== 0;
      const n = int(7);
      if (pos + n > block.length) throw new HpackError("truncated string");
      const bytes = block.subarray(pos, pos + n);
      pos += n;
      return huffman ? huffmanDecode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, n).toString("latin1");
    };
    const entry = (index: number): HeaderField => {
      if (index === 0) throw new HpackError("index 0");
      if (index <= STATIC.length) {
        const [name, value] = STATIC[index - 1] ?? ["", ""];
        return { name, value };
      }
      const e = this.#table[index - STATIC.length - 1];
      if (!e) throw new HpackError(`index ${index} is outside the tables`);
      return e;
    };
    while (pos < block.length) {
      const b = block[pos] ?? 0;
      let field: HeaderField;
      if (b & 0x80) {
        field = entry(int(7));
      } else if (b & 0x40) {
        const idx = int(6);
        const name = idx === 0 ? str() : entry(idx).name;
        field = { name, value: str() };
        this.#insert(field);
      } else if (b & 0x20) {
        if (!sizeUpdateAllowed) throw new HpackError("dynamic table size update after a header field");
        const size = int(5);
        if (size > this.#limit) throw new HpackError(`dynamic table size ${size} above the announced ${this.#limit}`);
        this.#maxSize = size;
        this.#evict(0);
        continue;
      } else {
        const idx = int(4); // literal without indexing (0000) or never indexed (0001)
        const name = idx === 0 ? str() : entry(idx).name;
        field = { name, value: str() };
      }
      sizeUpdateAllowed = false;
      listSize += field.name.length + field.value.length + 32;
      if (listSize <= maxListSize) headers.push(field);
    }
    return { headers, tooLarge: listSize > maxListSize };
  }

  #insert(f: HeaderField): void {
    const size = f.name.length + f.value.length + 32;
    this.#evict(size);
    if (size <= this.#maxSize) {
      this.#table.unshift(f);
      this.#size += size;
    }
  }

  #evict(room: number): void {
    while (this.#size + room > this.#maxSize && this.#table.length > 0) {
      const e = this.#table.pop();
      if (e) this.#size -= e.name.length + e.value.length + 32;
    }
    if (room > this.#maxSize) { this.#table = []; this.#size = 0; }
  }

  /** Entries in the dynamic table (tests). */
  get tableLength(): number {
    return this.#table.length;
  }
}

function encodeInt(value: number, prefixBits: number, first: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [first | value];
  const out = [first | max];
  let v = value - max;
  while (v >= 128) { out.push((v % 128) + 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}

/** A literal header field without indexing, new name, no Huffman (RFC 7541 §6.2.2). */
export function encodeLiteral(name: string, value: string): Buffer {
  const n = Buffer.from(name, "latin1");
  const v = Buffer.from(value, "latin1");
  return Buffer.concat([Buffer.of(0, ...encodeInt(n.length, 7, 0)), n, Buffer.from(encodeInt(v.length, 7, 0)), v]);
}

/** `:status: 200` (static index 8) and `content-type: application/grpc` (static name 31, literal, not indexed). */
export const GRPC_RESPONSE_HEADERS: Buffer = Buffer.concat([
  Buffer.of(0x88, ...encodeInt(31, 4, 0)), Buffer.from(encodeInt(16, 7, 0)), Buffer.from("application/grpc", "latin1"),
]);
