// One socket connection from CometBFT: frames in, requests handled strictly one after another, responses out in
// request order. CometBFT opens four of these (query, snapshot, mempool, consensus) and they run independently.
// Responses are coalesced: those produced in one event-loop turn leave in one socket write, sent when a Flush is
// answered (CometBFT waits for that one) or at the end of the turn (setImmediate). One write per response cost 18 %
// of the app's CPU under the send benchmark (docs/ARCHITECTURE.md, "Performance").
import type { Socket } from "node:net";
import { Request } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application.ts";
import { ABCI_METHODS, dispatchRequest, encodeResponse, exceptionResponse, prepareRequest, type DispatchResult } from "./dispatch.ts";
import { encodeFrame, FrameDecoder } from "./framing.ts";
import { errorMessage, type AbciLogger } from "./logger.ts";
import type { SerialQueue } from "./serial-queue.ts";

/**
 * Reading pauses while this many requests of one connection wait for their turn (backpressure), or while they hold
 * more than maxMessageBytes of frames: by count alone, 1024 requests of up to 64 MiB each could park 64 GiB.
 */
const MAX_QUEUED_REQUESTS = 1024;

export interface ConnectionOptions {
  /** For logs, e.g. "conn#3 (127.0.0.1:50122)". */
  readonly name: string;
  readonly app: Application;
  readonly maxMessageBytes: number;
  readonly logger: AbciLogger;
  /** Shared by all connections when app calls are serialized globally. */
  readonly appQueue?: SerialQueue | undefined;
}

export class AbciConnection {
  readonly name: string;
  readonly #socket: Socket;
  readonly #app: Application;
  readonly #logger: AbciLogger;
  readonly #decoder: FrameDecoder;
  readonly #appQueue: SerialQueue | undefined;
  readonly #maxQueuedBytes: number;
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;
  /** Frame bytes of the queued requests. */
  #queuedBytes = 0;
  #readingPaused = false;
  #closing = false;
  /** Encoded responses waiting for the coalesced write. */
  #out: Buffer[] = [];
  #outScheduled = false;
  /** Frames received so far: the stall sweep tells a new partial frame from the one it saw before. */
  #framesIn = 0;
  /** The partial frame the last stall sweep saw: since when, and #framesIn then. */
  #stall: { readonly since: number; readonly framesIn: number } | undefined;

  constructor(socket: Socket, opts: ConnectionOptions) {
    const { name, logger } = opts;
    this.name = name;
    this.#socket = socket;
    this.#app = opts.app;
    this.#logger = logger;
    this.#appQueue = opts.appQueue;
    this.#decoder = new FrameDecoder(opts.maxMessageBytes);
    this.#maxQueuedBytes = opts.maxMessageBytes;
    socket.on("data", (chunk: Buffer) => { this.#onData(chunk); });
    socket.on("end", () => { this.#onEnd(); });
    socket.on("error", (err) => { this.#logger.warn({ conn: name, err: errorMessage(err) }, `ABCI ${name}: socket error`); });
  }

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    for (const frame of this.#decoder.push(chunk)) {
      this.#framesIn += 1;
      let request: Request;
      try {
        request = Request.decode(frame);
      } catch (err) {
        this.#malformed(`malformed frame: undecodable tendermint.abci.Request (${frame.length} bytes): ${errorMessage(err)}`);
        return;
      }
      this.#enqueue(request, frame.length);
    }
    if (this.#decoder.error) this.#malformed(this.#decoder.error.message);
  }

  #enqueue(request: Request, bytes: number): void {
    this.#queued += 1;
    this.#queuedBytes += bytes;
    this.#backpressure();
    // Early work (signatures on the pool) for a request that waits behind others on this connection or the app queue.
    const prepared = prepareRequest(this.#app, request, this.#queued > 1 || (this.#appQueue?.pending ?? 0) > 0);
    this.#chain(async () => {
      if (prepared !== undefined) await prepared;
      await this.#answer(request);
      this.#queued -= 1;
      this.#queuedBytes -= bytes;
      this.#backpressure();
    });
  }

  /** Pauses reading while the queue is over its limits (count or bytes), resumes once it is back within them. */
  #backpressure(): void {
    const over = this.#queued >= MAX_QUEUED_REQUESTS || this.#queuedBytes > this.#maxQueuedBytes;
    if (over && !this.#readingPaused) {
      this.#readingPaused = true;
      this.#socket.pause();
    } else if (!over && this.#readingPaused && !this.#closing) {
      this.#readingPaused = false;
      this.#socket.resume();
    }
  }

  /**
   * Called by the server's one sweep timer (connection-guard.ts): closes this connection once the same partial frame
   * has waited `timeoutMs` for its remaining bytes. An idle connection between frames is never closed, and the clock
   * stops while reading is paused (the wait is then this server's, not the peer's).
   */
  checkStalled(now: number, timeoutMs: number): void {
    if (this.#closing || this.#readingPaused || !this.#decoder.hasPartialFrame) {
      this.#stall = undefined;
      return;
    }
    if (this.#stall?.framesIn !== this.#framesIn) {
      this.#stall = { since: now, framesIn: this.#framesIn };
      return;
    }
    if (now - this.#stall.since < timeoutMs) return;
    this.#closing = true;
    this.#logger.warn(
      { conn: this.name },
      `ABCI ${this.name}: a frame has stayed incomplete for over ${timeoutMs} ms (${this.#decoder.describePartial()}); closing this connection`,
    );
    this.#socket.destroy();
  }

  async #answer(request: Request): Promise<void> {
    if (this.#socket.destroyed) return;
    const run = (): Promise<DispatchResult> => dispatchRequest(this.#app, request);
    const needsApp = request.echo === undefined && request.flush === undefined;
    const result = this.#appQueue && needsApp ? await this.#appQueue.run(run) : await run();
    let response;
    let preEncoded: Uint8Array | undefined;
    if (result.ok) {
      response = result.response;
      preEncoded = result.encoded;
      if (result.recovered) {
        this.#logger.error(
          { conn: this.name, method: ABCI_METHODS[result.key].name, err: result.recovered.cause ?? result.recovered.error },
          `ABCI ${this.name}: ${result.recovered.error}; answered with a refusal, not an exception`,
        );
      }
    } else {
      const method = result.key ? ABCI_METHODS[result.key].name : undefined;
      this.#logger.error(
        { conn: this.name, method, err: result.cause ?? result.error },
        `ABCI ${this.name}: answering with an exception: ${result.error}`,
      );
      response = exceptionResponse(result.error);
    }
    const encoded = encodeResponse(response, preEncoded);
    if (encoded.error !== undefined) {
      this.#logger.error({ conn: this.name }, `ABCI ${this.name}: answering with an exception: ${encoded.error}`);
    }
    await this.#write(encodeFrame(encoded.bytes), request.flush !== undefined);
  }

  /** A framing or protobuf error: report it, answer with an exception after the earlier responses, close. */
  #malformed(problem: string): void {
    this.#closing = true;
    this.#socket.pause();
    this.#logger.error({ conn: this.name }, `ABCI ${this.name}: ${problem}; closing this connection`);
    this.#chain(async () => {
      await this.#write(encodeFrame(encodeResponse(exceptionResponse(problem)).bytes), true);
      this.#socket.end();
      this.#socket.destroySoon();
    });
  }

  #onEnd(): void {
    if (!this.#closing && this.#decoder.hasPartialFrame) {
      this.#logger.warn(
        { conn: this.name },
        `ABCI ${this.name}: connection closed by peer in the middle of a frame (truncated frame: ${this.#decoder.describePartial()}); discarding it`,
      );
    }
    this.#closing = true;
    this.#chain(() => {
      this.#sendOut();
      if (!this.#socket.destroyed) this.#socket.end();
    });
  }

  /** Runs `step` after everything queued before it on this connection. */
  #chain(step: () => Promise<void> | void): void {
    this.#tail = this.#tail.then(step).catch((err: unknown) => {
      this.#logger.error({ conn: this.name, err }, `ABCI ${this.name}: internal error, closing: ${errorMessage(err)}`);
      this.#socket.destroy();
    });
  }

  /**
   * Queues `buf` for the coalesced write (sent now when `now`, else at the end of this event-loop turn). Resolves at
   * once unless the socket's buffer is full, then on drain, so a slow reader slows this connection's requests.
   */
  #write(buf: Buffer, now = false): Promise<void> {
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable) return Promise.resolve();
    this.#out.push(buf);
    if (now) this.#sendOut();
    else if (!this.#outScheduled) {
      this.#outScheduled = true;
      setImmediate(() => { this.#sendOut(); });
    }
    if (!socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        socket.off("drain", done);
        socket.off("close", done);
        resolve();
      };
      socket.on("drain", done);
      socket.on("close", done);
    });
  }

  /** Writes every queued response in one socket write. */
  #sendOut(): void {
    this.#outScheduled = false;
    const out = this.#out;
    if (out.length === 0) return;
    this.#out = [];
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable) return;
    socket.write(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out));
  }
}
