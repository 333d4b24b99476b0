// Typed errors of the ABCI transport (socket and gRPC servers, framing).

/** Base class: every error the transport raises on purpose. */
export class AbciTransportError extends Error {
  override name: string = "AbciTransportError";
}

/** A length prefix whose unsigned varint runs past 10 bytes or overflows 64 bits. */
export class VarintTooLongError extends AbciTransportError {
  override name: string = "VarintTooLongError";
  readonly bytesSeen: number;
  constructor(bytesSeen: number, detail: string) {
    super(`malformed frame: the length prefix is not a valid uvarint: ${detail} (read ${bytesSeen} prefix bytes)`);
    this.bytesSeen = bytesSeen;
  }
}

/** A length prefix that announces a message larger than the configured maximum. */
export class FrameTooLargeError extends AbciTransportError {
  override name: string = "FrameTooLargeError";
  readonly length: number;
  readonly maxMessageBytes: number;
  constructor(length: number, maxMessageBytes: number) {
    super(`malformed frame: announced message length ${length} bytes exceeds maxMessageBytes ${maxMessageBytes}`);
    this.length = length;
    this.maxMessageBytes = maxMessageBytes;
  }
}

/** A listen address the transport cannot parse (expects tcp://host:port or unix:///path). */
export class InvalidAddressError extends AbciTransportError {
  override name: string = "InvalidAddressError";
  readonly address: string;
  constructor(address: string, reason: string) {
    super(`invalid ABCI address ${JSON.stringify(address)}: ${reason}`);
    this.address = address;
  }
}

/** An option of `serveAbci` that is out of range or of the wrong kind. */
export class InvalidServerOptionError extends AbciTransportError {
  override name: string = "InvalidServerOptionError";
}

/** The server could not bind its address. */
export class ListenError extends AbciTransportError {
  override name: string = "ListenError";
  readonly address: string;
  constructor(address: string, cause: unknown) {
    super(`cannot listen on ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.address = address;
  }
}
