// A minimal ABCI socket client: sends framed Requests, reads framed Responses in order. Production code uses it (the
// launchers' Echo probe, probe.ts), and so do the specs, the e2e tests and the benchmarks. Whatever the peer sends,
// it buffers at most about two maxMessageBytes, never waits without end, and closes the connection on the first
// thing it cannot read: the peer may not be an ABCI app at all.
import { connect, type Socket } from "node:net";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { parseListenAddress } from "./address.ts";
import { AbciTransportError } from "./errors.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, encodeFrame, FrameDecoder } from "./framing.ts";

/** How long a connect, and each awaited response, may take by default. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 30_000;

export interface AbciSocketClientOptions {
  /** The largest response accepted (default 64 MiB, as the server): a longer length prefix closes the connection. */
  readonly maxMessageBytes?: number;
  /** How long `connect` may take (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** How long each response may take to arrive once awaited (`next`, each response of `call`; default 30 s). */
  readonly requestTimeoutMs?: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function timeoutOption(name: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_CLIENT_TIMEOUT_MS;
  if (!Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) throw new RangeError(`${name} must be a number of ms above 0 and at most ${MAX_TIMER_MS}, got ${value}`);
  return value;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class AbciSocketClient {
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #requestTimeoutMs: number;
  readonly #ready: { response: Response; bytes: number }[] = [];
  #readyBytes = 0;
  readonly #waiting: ((r: Response | Error) => void)[] = [];
  #failure: Error | undefined;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, decoder: FrameDecoder, requestTimeoutMs: number) {
    this.#socket = socket;
    this.#decoder = decoder;
    this.#requestTimeoutMs = requestTimeoutMs;
    socket.on("data", (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) {
        let response: Response;
        try {
          response = Response.decode(frame);
        } catch (err) {
          this.#fail(new AbciTransportError(`undecodable tendermint.abci.Response (${frame.length} bytes): ${messageOf(err)}`));
          return;
        }
        this.#deliver(response, frame.length);
      }
      if (this.#decoder.error) this.#fail(this.#decoder.error);
    });
    socket.on("error", (err) => { this.#failure ??= err; });
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        for (const w of this.#waiting.splice(0)) w(this.#closedError());
        resolve();
      });
    });
  }

  /** Connects to `tcp://host:port` or `unix:///path`; rejects after `connectTimeoutMs`. */
  static connect(address: string, options: AbciSocketClientOptions = {}): Promise<AbciSocketClient> {
    const a = parseListenAddress(address);
    const decoder = new FrameDecoder(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    const connectTimeoutMs = timeoutOption("connectTimeoutMs", options.connectTimeoutMs);
    const requestTimeoutMs = timeoutOption("requestTimeoutMs", options.requestTimeoutMs);
    return new Promise((resolve, reject) => {
      const s = a.kind === "unix" ? connect(a.path) : connect(a.port, a.host);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new AbciTransportError(`cannot connect to ${address}: no connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      const refused = (err: Error): void => { clearTimeout(timer); reject(err); };
      s.once("error", refused);
      s.once("connect", () => {
        clearTimeout(timer);
        s.off("error", refused);
        resolve(new AbciSocketClient(s, decoder, requestTimeoutMs));
      });
    });
  }

  /** Writes one or more framed requests in a single socket write. */
  send(...requests: Partial<Request>[]): void {
    this.sendRaw(Buffer.concat(requests.map((r) => encodeFrame(Request.encode(Request.fromPartial(r)).finish()))));
  }

  /** Bytes written but not yet taken by the kernel (the server is not reading). */
  get unsentBytes(): number {
    return this.#socket.writableLength;
  }

  sendRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /**
   * The next response, in arrival order. Rejects if the connection closes first, and closes it (rejecting every
   * later call too) when none arrives within `requestTimeoutMs`: responses come in order, so a late one would
   * answer the wrong request.
   */
  next(): Promise<Response> {
    const r = this.#ready.shift();
    if (r) {
      this.#readyBytes -= r.bytes;
      if (this.#socket.isPaused() && this.#readyBytes <= this.#decoder.maxMessageBytes) this.#socket.resume();
      return Promise.resolve(r.response);
    }
    if (this.#socket.destroyed) return Promise.reject(this.#closedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new AbciTransportError(`no ABCI response within ${this.#requestTimeoutMs} ms`)), this.#requestTimeoutMs);
      this.#waiting.push((x) => {
        clearTimeout(timer);
        if (x instanceof Error) reject(x);
        else resolve(x);
      });
    });
  }

  /** Sends the requests followed by a Flush and returns all responses up to and including the flush. */
  async call(...requests: Partial<Request>[]): Promise<Response[]> {
    this.send(...requests, { flush: {} });
    const out: Response[] = [];
    for (let i = 0; i <= requests.length; i += 1) out.push(await this.next());
    return out;
  }

  /** Half-closes (FIN) after what was written. */
  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /** Hands a response to the oldest waiting `next`, or keeps it; stops reading while more than maxMessageBytes wait unread. */
  #deliver(response: Response, bytes: number): void {
    const w = this.#waiting.shift();
    if (w) {
      w(response);
      return;
    }
    this.#ready.push({ response, bytes });
    this.#readyBytes += bytes;
    if (this.#readyBytes > this.#decoder.maxMessageBytes) this.#socket.pause();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#socket.destroy();
  }

  #closedError(): Error {
    const why = this.#failure;
    return why ? new AbciTransportError(`ABCI connection closed: ${why.message}`, { cause: why }) : new AbciTransportError("connection closed before a response arrived");
  }
}
