// The gRPC wire format over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md) as far as a unary server needs it: status
// codes, the 5-byte message prefix (compressed flag + uint32 big-endian length), and grpc-message's percent-encoding.

/** gRPC status codes (grpc/grpc doc/statuscodes.md) that this server answers with. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

/** A call that ends with a non-OK status and this message. */
export class GrpcCallError extends Error {
  override name: string = "GrpcCallError";
  readonly code: GrpcStatusCode;
  constructor(code: GrpcStatusCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const MESSAGE_PREFIX_BYTES = 5;

/** `0 ‖ uint32be(len) ‖ body`, one allocation. */
export function encodeGrpcMessage(body: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(MESSAGE_PREFIX_BYTES + body.length);
  frame[0] = 0;
  frame.writeUInt32BE(body.length, 1);
  frame.set(body, MESSAGE_PREFIX_BYTES);
  return frame;
}

/**
 * Collects the one request message of a unary call from the stream's DATA chunks. Holds at most the message it
 * assembles: a prefix that announces more than `maxMessageBytes` fails before any body byte is kept.
 */
export class UnaryMessageReader {
  readonly #maxMessageBytes: number;
  readonly #encoding: string | undefined;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Body length from the prefix, once the 5 prefix bytes are in. */
  #length = -1;

  constructor(maxMessageBytes: number, encoding: string | undefined) {
    this.#maxMessageBytes = maxMessageBytes;
    this.#encoding = encoding;
  }

  /** Takes the next DATA chunk; throws GrpcCallError when the call cannot succeed any more. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#length < 0 && this.#buffered >= MESSAGE_PREFIX_BYTES) this.#readPrefix();
    if (this.#length >= 0 && this.#buffered > MESSAGE_PREFIX_BYTES + this.#length) {
      throw new GrpcCallError(GrpcStatus.INTERNAL, "a unary call carries one request message, got more data after it");
    }
  }

  /** The request body once the peer has ended the stream; throws GrpcCallError when it is not exactly one message. */
  finish(): Uint8Array {
    if (this.#length < 0) {
      throw new GrpcCallError(GrpcStatus.INTERNAL, this.#buffered === 0
        ? "the request has no message"
        : `truncated message: the stream ended after ${this.#buffered} of 5 prefix bytes`);
    }
    if (this.#buffered < MESSAGE_PREFIX_BYTES + this.#length) {
      throw new GrpcCallError(GrpcStatus.INTERNAL,
        `truncated message: the stream ended after ${this.#buffered - MESSAGE_PREFIX_BYTES} of ${this.#length} body bytes`);
    }
    const whole = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    return whole.subarray(MESSAGE_PREFIX_BYTES);
  }

  #readPrefix(): void {
    const head = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [head];
    const flag = head[0]!;
    const length = head.readUInt32BE(1);
    if (flag === 1) {
      throw this.#encoding === undefined || this.#encoding === "identity"
        ? new GrpcCallError(GrpcStatus.INTERNAL, "the message's compressed flag is set but the request names no grpc-encoding")
        : new GrpcCallError(GrpcStatus.UNIMPLEMENTED, `grpc-encoding ${this.#encoding} is not supported: send uncompressed messages (identity)`);
    }
    if (flag !== 0) throw new GrpcCallError(GrpcStatus.INTERNAL, `malformed message prefix: compressed flag ${flag} (0 or 1 expected)`);
    if (length > this.#maxMessageBytes) {
      throw new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED,
        `request message of ${length} bytes exceeds the maximum of ${this.#maxMessageBytes} bytes`);
    }
    this.#length = length;
  }
}

/** grpc-message is percent-encoded: every byte outside printable ASCII, and `%` itself (PROTOCOL-HTTP2.md). */
export function encodeGrpcMessageHeader(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
