// One HTTP/2 connection of the native gRPC server (RFC 9113, h2c with prior knowledge, server side), for unary
// gRPC calls: frames parsed from the socket's Buffers, a request's one length-prefixed message collected per stream,
// and answers written as one socket.write of HEADERS + DATA + trailing HEADERS whenever the peer's windows allow
// (with any PING ACKs held for it, see #holdAck).
// Protocol errors end the connection with GOAWAY and a code; nothing throws out of the socket's handlers.
import type { Socket } from "node:net";
import {
  DEFAULT_MAX_FRAME_SIZE, DEFAULT_WINDOW, Flag, FRAME_HEADER_BYTES, FrameType, frame, goawayFrame, H2ConnectionError,
  H2Error, MAX_WINDOW, PREFACE, putFrameHeader, rstStreamFrame, Setting, settingsFrame, windowUpdateFrame,
} from "./frames.ts";
import { encodeLiteral, GRPC_RESPONSE_HEADERS, HpackDecoder, HpackError, type HeaderField } from "./hpack.ts";

export interface H2Limits {
  /** Largest gRPC message accepted or sent (bytes, without the 5-byte prefix). */
  readonly maxMessageBytes: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE: decoded request headers (RFC 9113 §6.5.2 accounting). */
  readonly maxHeaderListBytes: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS: calls open at once (received and not yet answered). */
  readonly maxConcurrentStreams: number;
  /** Request bytes received and not yet answered; the connection's receive window, replenished as calls are answered. */
  readonly maxBufferedBytes: number;
  /** Output not yet taken by the kernel (socket buffer + data waiting for the peer's window): past it, reading pauses. */
  readonly maxQueuedWriteBytes: number;
  /** Time for the peer's connection preface. */
  readonly handshakeTimeoutMs: number;
}

/** One complete unary request. */
export interface H2Call {
  readonly stream: number;
  readonly path: string;
  /** The protobuf bytes (the gRPC message without its 5-byte prefix). */
  readonly message: Buffer;
}

export interface H2Handler {
  /** Whether `path` names a method; otherwise the call is answered UNIMPLEMENTED at once. */
  knows(path: string): boolean;
  /** A complete request; answer it with `respond` or `respondStatus`. Called in stream order. */
  onCall(conn: H2Connection, call: H2Call): void;
  warn(msg: string): void;
}

/** gRPC status codes used here. */
export const GrpcStatus = { OK: 0, UNKNOWN: 2, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

/** What a connection holds, for tests and diagnostics. */
export interface H2ConnectionStats {
  readonly openStreams: number;
  readonly bufferedBytes: number;
  readonly queuedWriteBytes: number;
  readonly readingPaused: boolean;
  /** New calls are refused (REFUSED_STREAM) until the answers waiting for the peer's windows drain. */
  readonly refusingCalls: boolean;
}

interface Stream {
  readonly id: number;
  readonly path: string;
  remoteEnded: boolean;
  /** Answered (or refused): nothing more is collected and no other answer is written. */
  answered: boolean;
  /**
   * Reset by the peer while its call was with the app: it still counts as open (and holds its request bytes) until the
   * app answers, and that answer is dropped. Otherwise request + RST_STREAM, repeated, would queue any number of calls
   * behind a slow one (the "rapid reset" attack, CVE-2023-44487).
   */
  reset: boolean;
  chunks: Buffer[];
  received: number;
  /** Request bytes of this stream counted in the connection's buffered bytes. */
  held: number;
  sendWindow: number;
  recvWindow: number;
  /** When the stall sweep first saw this request incomplete (-1: not seen so). */
  stallSince: number;
}

/** Data waiting for the peer's flow-control windows. */
interface Pending { readonly stream: Stream; readonly data: Buffer; offset: number; readonly trailers: Buffer }

const EMPTY = Buffer.alloc(0);
/**
 * How long a PING ACK may wait for the next frame to ride with. RFC 9113 §6.7: every PING MUST be ACKed, and ACKs
 * SHOULD go ahead of other frames (a held ACK goes first in the write that carries it). A few ms matter to no peer
 * that times round trips with PINGs: grpc-go's keepalive waits 20 s for an ACK, and its BDP estimator only sends
 * its next PING after the ACK, so it pings less often.
 */
const PING_ACK_HOLD_MS = 5;
/** More PINGs than this unanswered are ACKed at once (a peer flooding PINGs gets its ACKs without delay). */
const MAX_HELD_ACKS = 16;
const OK_TRAILERS = encodeLiteral("grpc-status", "0");
/**
 * CONTINUATION frames one header block may take. Its bytes are capped too (2 × the header list limit), but empty
 * frames add no bytes: without a count, a peer could send them forever (the 2024 "CONTINUATION flood"). A real
 * client needs at most a few (grpc-go: none); nghttp2 allows 8.
 */
const MAX_CONTINUATION_FRAMES = 8;

/** Percent-encodes a grpc-message value (gRPC HTTP/2 protocol: bytes outside 0x20–0x7E, and '%', as %XX). */
export function encodeGrpcMessage(msg: string): string {
  let out = "";
  for (const b of Buffer.from(msg, "utf8")) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export class H2Connection {
  readonly #socket: Socket;
  readonly #limits: H2Limits;
  readonly #handler: H2Handler;
  readonly #hpack = new HpackDecoder();
  readonly #streams = new Map<number, Stream>();
  readonly #initialRecvWindow: number;
  #buf: Buffer = EMPTY;
  #prefaceSeen = false;
  #settingsSeen = false;
  #lastStream = 0;
  /** HEADERS without END_HEADERS: the CONTINUATION frames that must follow. */
  #headerBlock: { stream: number; flags: number; parts: Buffer[]; bytes: number; stallSince: number } | undefined;
  /** Frames parsed so far: the stall sweep tells a new partial frame in #buf from the one it saw before. */
  #framesIn = 0;
  /** The partial frame in #buf the last stall sweep saw: since when, and #framesIn then. */
  #partialFrame: { readonly since: number; readonly framesIn: number } | undefined;
  #peerInitialWindow = DEFAULT_WINDOW;
  #peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  #sendWindow = DEFAULT_WINDOW;
  #recvCredit = 0;
  /** What is left of the connection window this server granted (its SETTINGS and WINDOW_UPDATEs): never below 0. */
  #recvWindowLeft = DEFAULT_WINDOW;
  #buffered = 0;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #paused = false;
  /** Answers waiting for the peer's flow-control windows passed the limit: no new call, no window credit given. */
  #pressured = false;
  #closing = false;
  #peerEnded = false;
  readonly #handshakeTimer: NodeJS.Timeout;
  /** PING ACKs not yet written: they go out with the next write, or when #ackTimer fires (see PING_ACK_HOLD_MS). */
  #acks: Buffer[] = [];
  readonly #ackTimer: NodeJS.Timeout;

  constructor(socket: Socket, limits: H2Limits, handler: H2Handler) {
    this.#socket = socket;
    this.#limits = limits;
    this.#handler = handler;
    this.#initialRecvWindow = Math.min(MAX_WINDOW, limits.maxMessageBytes + 5);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => { this.#onData(chunk); });
    socket.on("drain", () => { this.#checkPressure(); });
    socket.on("end", () => { this.#peerEnded = true; this.#maybeEnd(); });
    socket.on("error", (err) => { this.#handler.warn(`socket error: ${err.message}`); });
    socket.on("close", () => { clearTimeout(this.#handshakeTimer); clearTimeout(this.#ackTimer); this.#acks = []; this.#closing = true; this.#streams.clear(); this.#pending = []; });
    this.#handshakeTimer = setTimeout(() => {
      if (!this.#settingsSeen) this.#fail(new H2ConnectionError(H2Error.SETTINGS_TIMEOUT, "no HTTP/2 preface in time"));
    }, limits.handshakeTimeoutMs);
    this.#handshakeTimer.unref();
    this.#ackTimer = setTimeout(() => { this.#flushAcks(); }, PING_ACK_HOLD_MS);
    this.#ackTimer.unref(); // armed by refresh() when an ACK is held; a fire with none held does nothing
    const connWindow = Math.min(MAX_WINDOW, limits.maxBufferedBytes);
    this.#recvWindowLeft = Math.max(connWindow, DEFAULT_WINDOW);
    socket.write(Buffer.concat([
      settingsFrame([
        [Setting.ENABLE_PUSH, 0],
        [Setting.MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams],
        [Setting.INITIAL_WINDOW_SIZE, this.#initialRecvWindow],
        [Setting.MAX_HEADER_LIST_SIZE, limits.maxHeaderListBytes],
      ]),
      ...(connWindow > DEFAULT_WINDOW ? [windowUpdateFrame(0, connWindow - DEFAULT_WINDOW)] : []),
    ]));
  }

  get stats(): H2ConnectionStats {
    return {
      openStreams: this.#streams.size, bufferedBytes: this.#buffered,
      queuedWriteBytes: this.#pendingBytes + this.#socket.writableLength, readingPaused: this.#paused, refusingCalls: this.#pressured,
    };
  }

  /** Answers a call with one message and grpc-status 0. */
  respond(streamId: number, message: Uint8Array): void {
    const s = this.#streams.get(streamId);
    if (!s || s.answered) return;
    if (s.reset) { this.#dropReset(s); return; }
    if (message.length > this.#limits.maxMessageBytes) {
      this.respondStatus(streamId, GrpcStatus.RESOURCE_EXHAUSTED, `response of ${message.length} bytes exceeds the limit of ${this.#limits.maxMessageBytes}`);
      return;
    }
    this.#release(s);
    const need = 5 + message.length;
    const headersLen = FRAME_HEADER_BYTES + GRPC_RESPONSE_HEADERS.length;
    const trailersLen = FRAME_HEADER_BYTES + OK_TRAILERS.length;
    if (this.#pending.length === 0 && need <= this.#sendWindow && need <= s.sendWindow) {
      // The common case: everything fits the windows, one buffer, one write.
      const frames = Math.max(1, Math.ceil(need / this.#peerMaxFrame));
      const out = Buffer.allocUnsafe(headersLen + frames * FRAME_HEADER_BYTES + need + trailersLen);
      putFrameHeader(out, 0, GRPC_RESPONSE_HEADERS.length, FrameType.HEADERS, Flag.END_HEADERS, s.id);
      GRPC_RESPONSE_HEADERS.copy(out, FRAME_HEADER_BYTES);
      let at = headersLen;
      let done = 0;
      for (let i = 0; i < frames; i++) {
        const n = Math.min(this.#peerMaxFrame, need - done);
        putFrameHeader(out, at, n, FrameType.DATA, 0, s.id);
        at += FRAME_HEADER_BYTES;
        if (i === 0) {
          out[at] = 0;
          out.writeUInt32BE(message.length, at + 1);
          out.set(message.subarray(0, n - 5), at + 5);
        } else {
          out.set(message.subarray(done - 5, done - 5 + n), at);
        }
        at += n;
        done += n;
      }
      putFrameHeader(out, at, OK_TRAILERS.length, FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, s.id);
      OK_TRAILERS.copy(out, at + FRAME_HEADER_BYTES);
      this.#sendWindow -= need;
      s.sendWindow -= need;
      this.#write(out);
      this.#finish(s);
      return;
    }
    const data = Buffer.allocUnsafe(need);
    data[0] = 0;
    data.writeUInt32BE(message.length, 1);
    data.set(message, 5);
    this.#write(frame(FrameType.HEADERS, Flag.END_HEADERS, s.id, GRPC_RESPONSE_HEADERS));
    this.#pending.push({ stream: s, data, offset: 0, trailers: OK_TRAILERS });
    this.#pendingBytes += need;
    this.#pump();
  }

  /** Answers a call with a status and no message (trailers-only). Ignored if the call was already answered. */
  respondStatus(streamId: number, code: number, message: string): void {
    const s = this.#streams.get(streamId);
    if (!s || s.answered) return;
    if (s.reset) { this.#dropReset(s); return; }
    this.#release(s);
    const block = Buffer.concat([
      GRPC_RESPONSE_HEADERS, encodeLiteral("grpc-status", String(code)),
      encodeLiteral("grpc-message", encodeGrpcMessage(message.slice(0, 1000))),
    ]);
    this.#write(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, s.id, block));
    this.#finish(s);
  }

  /** Ends the connection: GOAWAY(NO_ERROR) after what was written, then close. */
  close(): void {
    this.#goaway(H2Error.NO_ERROR, "server closing");
  }

  /**
   * Called by the server's one sweep timer (connection-guard.ts): ends the connection (GOAWAY ENHANCE_YOUR_CALM) once
   * the same partial frame, header block or request stream has waited `timeoutMs` to be completed. A connection idle
   * between calls is never closed. The clock stops while the wait may be this server's: reading paused, new calls
   * refused (#pressured), or a complete call of this connection still with the app (its bytes hold window credit).
   */
  checkStalled(now: number, timeoutMs: number): void {
    if (this.#closing || !this.#settingsSeen) return; // before SETTINGS the handshake timeout applies
    let withApp = false;
    for (const s of this.#streams.values()) if (s.remoteEnded && !s.answered) { withApp = true; break; }
    const frozen = this.#paused || this.#pressured || withApp;
    let stalled: string | undefined;
    const hb = this.#headerBlock;
    if (hb) {
      if (frozen || hb.stallSince < 0) hb.stallSince = now;
      else if (now - hb.stallSince >= timeoutMs) stalled = `the header block of stream ${hb.stream}`;
    }
    if (this.#buf.length === 0 || frozen) this.#partialFrame = undefined;
    else if (this.#partialFrame?.framesIn !== this.#framesIn) this.#partialFrame = { since: now, framesIn: this.#framesIn };
    else if (now - this.#partialFrame.since >= timeoutMs) stalled ??= `a frame (${this.#buf.length} bytes received)`;
    for (const s of this.#streams.values()) {
      if (s.remoteEnded) continue;
      if (frozen || s.stallSince < 0) s.stallSince = now;
      else if (now - s.stallSince >= timeoutMs) stalled ??= `the request on stream ${s.id} (${s.received} bytes received)`;
    }
    if (stalled === undefined) return;
    this.#handler.warn(`${stalled} has stayed incomplete for over ${timeoutMs} ms; closing the connection`);
    this.#goaway(H2Error.ENHANCE_YOUR_CALM, "request not completed in time");
  }

  // ---- input ----

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    try {
      let buf = this.#buf.length > 0 ? Buffer.concat([this.#buf, chunk]) : chunk;
      let pos = 0;
      if (!this.#prefaceSeen) {
        const n = Math.min(buf.length, PREFACE.length);
        if (!buf.subarray(0, n).equals(PREFACE.subarray(0, n))) {
          throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "not an HTTP/2 connection preface");
        }
        if (buf.length < PREFACE.length) { this.#buf = buf; return; }
        this.#prefaceSeen = true;
        pos = PREFACE.length;
      }
      while (buf.length - pos >= FRAME_HEADER_BYTES) {
        const len = ((buf[pos] ?? 0) << 16) | ((buf[pos + 1] ?? 0) << 8) | (buf[pos + 2] ?? 0);
        if (len > DEFAULT_MAX_FRAME_SIZE) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, `frame of ${len} bytes exceeds SETTINGS_MAX_FRAME_SIZE ${DEFAULT_MAX_FRAME_SIZE}`);
        if (buf.length - pos < FRAME_HEADER_BYTES + len) break;
        const type = buf[pos + 3] ?? 0;
        const flags = buf[pos + 4] ?? 0;
        const stream = buf.readUInt32BE(pos + 5) & 0x7fffffff;
        const payload = buf.subarray(pos + FRAME_HEADER_BYTES, pos + FRAME_HEADER_BYTES + len);
        pos += FRAME_HEADER_BYTES + len;
        this.#framesIn += 1;
        this.#frame(type, flags, stream, payload);
        if (this.#closing) return;
      }
      if (pos < buf.length) buf = buf.subarray(pos);
      else buf = EMPTY;
      this.#buf = buf;
      this.#flushCredit();
      // What this read made us write (PING and SETTINGS ACKs, refusals) counts too: a peer that floods PINGs and never
      // reads would otherwise grow the socket's buffer without end.
      this.#checkPressure();
    } catch (err) {
      this.#fail(err);
    }
  }

  #frame(type: number, flags: number, id: number, p: Buffer): void {
    if (!this.#settingsSeen && (type !== FrameType.SETTINGS || (flags & Flag.ACK) !== 0)) {
      throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "the first frame must be SETTINGS");
    }
    if (this.#headerBlock && type !== FrameType.CONTINUATION) {
      throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `frame type ${type} inside a header block (CONTINUATION expected)`);
    }
    switch (type) {
      case FrameType.DATA: this.#onDataFrame(flags, id, p); break;
      case FrameType.HEADERS: this.#onHeaders(flags, id, p); break;
      case FrameType.PRIORITY:
        if (id === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (p.length !== 5) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "PRIORITY frame is not 5 bytes");
        break;
      case FrameType.RST_STREAM: this.#onRst(id, p); break;
      case FrameType.SETTINGS: this.#onSettings(flags, id, p); break;
      case FrameType.PUSH_PROMISE: throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      case FrameType.PING:
        if (id !== 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "PING on a stream");
        if (p.length !== 8) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "PING frame is not 8 bytes");
        if ((flags & Flag.ACK) === 0) this.#holdAck(frame(FrameType.PING, Flag.ACK, 0, p));
        break;
      case FrameType.GOAWAY:
        if (id !== 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "GOAWAY on a stream");
        if (p.length < 8) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "GOAWAY frame shorter than 8 bytes");
        this.#peerEnded = true; // the peer starts no new call: the connection ends once its calls are answered
        this.#maybeEnd();
        break;
      case FrameType.WINDOW_UPDATE: this.#onWindowUpdate(id, p); break;
      case FrameType.CONTINUATION: this.#onContinuation(flags, id, p); break;
      default: break; // unknown frame types are ignored (RFC 9113 §5.5)
    }
  }

  #onSettings(flags: number, id: number, p: Buffer): void {
    if (id !== 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & Flag.ACK) {
      if (p.length !== 0) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      return;
    }
    if (p.length % 6 !== 0) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "SETTINGS length is not a multiple of 6");
    for (let at = 0; at < p.length; at += 6) {
      const key = p.readUInt16BE(at);
      const v = p.readUInt32BE(at + 2);
      if (key === Setting.ENABLE_PUSH && v > 1) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH not 0 or 1");
      if (key === Setting.INITIAL_WINDOW_SIZE) {
        if (v > MAX_WINDOW) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
        const delta = v - this.#peerInitialWindow;
        this.#peerInitialWindow = v;
        for (const s of this.#streams.values()) {
          s.sendWindow += delta;
          if (s.sendWindow > MAX_WINDOW) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
        }
      }
      if (key === Setting.MAX_FRAME_SIZE) {
        if (v < DEFAULT_MAX_FRAME_SIZE || v > 2 ** 24 - 1) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `SETTINGS_MAX_FRAME_SIZE ${v} out of range`);
        this.#peerMaxFrame = v;
      }
      // HEADER_TABLE_SIZE: our encoder uses no dynamic table. MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE: a
      // server opens no streams and sends two small header blocks per call. Unknown settings are ignored.
    }
    this.#settingsSeen = true;
    this.#write(frame(FrameType.SETTINGS, Flag.ACK, 0));
    this.#pump();
  }

  #onHeaders(flags: number, id: number, p: Buffer): void {
    if (id === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "HEADERS on stream 0");
    let start = 0;
    let end = p.length;
    if (flags & Flag.PADDED) {
      const pad = p[0] ?? 0;
      start = 1;
      end -= pad;
    }
    if (flags & Flag.PRIORITY) start += 5;
    if (start > end) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "HEADERS padding exceeds the payload");
    const part = p.subarray(start, end);
    if (flags & Flag.END_HEADERS) this.#onHeaderBlock(id, flags, part);
    else this.#headerBlock = { stream: id, flags, parts: [part], bytes: part.length, stallSince: -1 };
  }

  #onContinuation(flags: number, id: number, p: Buffer): void {
    const hb = this.#headerBlock;
    if (!hb || hb.stream !== id) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "CONTINUATION without a header block on that stream");
    hb.parts.push(p);
    hb.bytes += p.length;
    if (hb.parts.length > 1 + MAX_CONTINUATION_FRAMES) throw new H2ConnectionError(H2Error.ENHANCE_YOUR_CALM, `header block in more than ${MAX_CONTINUATION_FRAMES} CONTINUATION frames`);
    if (hb.bytes > 2 * this.#limits.maxHeaderListBytes) throw new H2ConnectionError(H2Error.ENHANCE_YOUR_CALM, `header block over ${2 * this.#limits.maxHeaderListBytes} bytes`);
    if (flags & Flag.END_HEADERS) {
      this.#headerBlock = undefined;
      this.#onHeaderBlock(id, hb.flags, Buffer.concat(hb.parts));
    }
  }

  #onHeaderBlock(id: number, flags: number, block: Buffer): void {
    let decoded: { headers: HeaderField[]; tooLarge: boolean };
    try {
      decoded = this.#hpack.decode(block, this.#limits.maxHeaderListBytes);
    } catch (err) {
      if (err instanceof HpackError) throw new H2ConnectionError(H2Error.COMPRESSION_ERROR, `HPACK: ${err.message}`);
      throw err;
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    const found = this.#streams.get(id);
    const existing = found?.reset ? undefined : found;
    if (existing || id <= this.#lastStream) {
      // Trailers of a request (gRPC clients send none, but they are legal) must end the stream.
      if (!existing) return; // a stream already answered and closed on our side: ignore
      if (!endStream || existing.remoteEnded) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `second HEADERS on stream ${id} without END_STREAM`);
      this.#endOfRequest(existing);
      return;
    }
    if (id % 2 === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `client stream ${id} is even`);
    this.#lastStream = id;
    if (this.#peerEnded) { this.#write(rstStreamFrame(id, H2Error.REFUSED_STREAM)); return; }
    if (this.#pressured || this.#streams.size >= this.#limits.maxConcurrentStreams) {
      this.#write(rstStreamFrame(id, H2Error.REFUSED_STREAM)); // grpc-go retries a refused stream
      return;
    }
    let method = "";
    let path = "";
    let contentType = "";
    for (const h of decoded.headers) {
      if (h.name === ":method") method = h.value;
      else if (h.name === ":path") path = h.value;
      else if (h.name === "content-type") contentType = h.value;
    }
    const s: Stream = {
      id, path, remoteEnded: false, answered: false, reset: false, chunks: [], received: 0, held: 0,
      sendWindow: this.#peerInitialWindow, recvWindow: this.#initialRecvWindow, stallSince: -1,
    };
    this.#streams.set(id, s);
    if (method !== "POST" || path === "" || !(contentType === "application/grpc" || contentType.startsWith("application/grpc+") || contentType.startsWith("application/grpc;"))) {
      this.#streams.delete(id);
      this.#write(rstStreamFrame(id, H2Error.PROTOCOL_ERROR));
      this.#handler.warn(`stream ${id}: not a gRPC request (:method ${method}, content-type ${contentType})`);
      return;
    }
    if (decoded.tooLarge) this.respondStatus(id, GrpcStatus.RESOURCE_EXHAUSTED, `request headers exceed ${this.#limits.maxHeaderListBytes} bytes`);
    else if (!this.#handler.knows(path)) this.respondStatus(id, GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
    if (endStream) this.#endOfRequest(s);
  }

  #onDataFrame(flags: number, id: number, p: Buffer): void {
    if (id === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "DATA on stream 0");
    let data = p;
    if (flags & Flag.PADDED) {
      const pad = p[0] ?? 0;
      if (pad >= p.length) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "DATA padding exceeds the payload");
      data = p.subarray(1, p.length - pad);
    }
    // The whole frame counts against the connection window (RFC 9113 §6.9.1): what was granted, and what is held.
    this.#recvWindowLeft -= p.length;
    if (this.#recvWindowLeft < 0) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, "peer sent past the connection window it was given");
    this.#buffered += p.length;
    if (this.#buffered > this.#limits.maxBufferedBytes) {
      throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, `peer sent past the connection window (${this.#buffered} bytes unanswered)`);
    }
    const s = this.#streams.get(id);
    if (!s || s.reset) {
      if (id > this.#lastStream) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      this.#unhold(p.length); // a stream we answered or reset: its data is dropped, and its window returned
      return;
    }
    if (s.remoteEnded) throw new H2ConnectionError(H2Error.STREAM_CLOSED, `DATA after END_STREAM on stream ${id}`);
    s.recvWindow -= p.length;
    if (s.recvWindow < 0) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, `stream ${id} sent past its window`);
    if (s.answered) {
      this.#unhold(p.length);
    } else {
      s.held += p.length;
      this.#collect(s, data);
    }
    if (flags & Flag.END_STREAM) this.#endOfRequest(s);
  }

  #collect(s: Stream, data: Buffer): void {
    if (data.length === 0) return;
    s.chunks.push(data);
    s.received += data.length;
    if (s.received >= 5) {
      const head = s.chunks.length === 1 || (s.chunks[0]?.length ?? 0) >= 5 ? (s.chunks[0] ?? EMPTY) : Buffer.concat(s.chunks);
      const compressed = head[0] ?? 0;
      const len = head.readUInt32BE(1);
      if (compressed !== 0) {
        this.respondStatus(s.id, compressed === 1 ? GrpcStatus.UNIMPLEMENTED : GrpcStatus.INTERNAL,
          compressed === 1 ? "compressed messages are not accepted (grpc-encoding identity only)" : `invalid gRPC message flag ${compressed}`);
      } else if (len > this.#limits.maxMessageBytes) {
        this.respondStatus(s.id, GrpcStatus.RESOURCE_EXHAUSTED, `request message of ${len} bytes exceeds the limit of ${this.#limits.maxMessageBytes}`);
      } else if (s.received > 5 + len) {
        this.respondStatus(s.id, GrpcStatus.INTERNAL, "a unary call carries exactly one message; got more");
      }
    }
  }

  #endOfRequest(s: Stream): void {
    s.remoteEnded = true;
    if (s.answered) {
      this.#streams.delete(s.id);
      this.#maybeEnd();
      return;
    }
    const body = s.chunks.length === 1 ? (s.chunks[0] ?? EMPTY) : Buffer.concat(s.chunks);
    s.chunks = [];
    if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) {
      this.respondStatus(s.id, GrpcStatus.INTERNAL, body.length === 0 ? "a unary call carries exactly one message; got none" : "the request ended inside its message");
      return;
    }
    this.#handler.onCall(this, { stream: s.id, path: s.path, message: body.subarray(5) });
  }

  #onRst(id: number, p: Buffer): void {
    if (id === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "RST_STREAM on stream 0");
    if (p.length !== 4) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "RST_STREAM frame is not 4 bytes");
    if (id > this.#lastStream) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `RST_STREAM on idle stream ${id}`);
    const s = this.#streams.get(id);
    if (!s || s.reset) return;
    if (s.remoteEnded && !s.answered) {
      s.reset = true; // with the app: it stays open until the app answers (see Stream.reset)
      return;
    }
    this.#release(s);
    s.answered = true; // the app's answer, when it comes, is dropped
    this.#streams.delete(id);
    this.#pending = this.#pending.filter((q) => {
      if (q.stream !== s) return true;
      this.#pendingBytes -= q.data.length - q.offset;
      return false;
    });
    this.#maybeEnd();
  }

  #onWindowUpdate(id: number, p: Buffer): void {
    if (p.length !== 4) throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "WINDOW_UPDATE frame is not 4 bytes");
    const inc = p.readUInt32BE(0) & 0x7fffffff;
    if (inc === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `WINDOW_UPDATE of 0 on stream ${id}`);
    if (id === 0) {
      this.#sendWindow += inc;
      if (this.#sendWindow > MAX_WINDOW) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
    } else {
      if (id > this.#lastStream) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, `WINDOW_UPDATE on idle stream ${id}`);
      const s = this.#streams.get(id);
      if (!s) return;
      s.sendWindow += inc;
      if (s.sendWindow > MAX_WINDOW) throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, `stream ${id} window above 2^31-1`);
    }
    this.#pump();
  }

  // ---- output ----

  /** Every frame goes out through here, preceded by the PING ACKs held so far. */
  #write(b: Buffer): void {
    if (this.#acks.length === 0) {
      this.#socket.write(b);
      return;
    }
    if (b.length <= 16 * 1024) {
      this.#acks.push(b);
      this.#flushAcks();
      return;
    }
    // A large frame is not copied behind the ACKs: both go out in one writev.
    this.#socket.cork();
    this.#flushAcks();
    this.#socket.write(b);
    this.#socket.uncork();
  }

  /**
   * A PING's ACK waits for the next frame this connection writes, or PING_ACK_HOLD_MS. grpc-go's client pings after
   * every answer it reads (its BDP estimator), so an immediate ACK cost a write on each side per call.
   */
  #holdAck(ack: Buffer): void {
    this.#acks.push(ack);
    if (this.#acks.length >= MAX_HELD_ACKS) this.#flushAcks();
    else if (this.#acks.length === 1) this.#ackTimer.refresh();
  }

  #flushAcks(): void {
    if (this.#acks.length === 0) return;
    const out = this.#acks.length === 1 ? (this.#acks[0] ?? EMPTY) : Buffer.concat(this.#acks);
    this.#acks = [];
    if (!this.#socket.destroyed && !this.#socket.writableEnded) this.#socket.write(out);
  }

  /** Sends what the windows allow of the data waiting, in order. */
  #pump(): void {
    if (this.#pending.length > 0) {
      this.#socket.cork(); // the frames of one pass go out in one write
      process.nextTick(() => { this.#socket.uncork(); });
    }
    while (this.#pending.length > 0) {
      const q = this.#pending[0];
      if (!q) break;
      const left = q.data.length - q.offset;
      const n = Math.min(left, this.#sendWindow, q.stream.sendWindow, this.#peerMaxFrame);
      if (n <= 0 && left > 0) break;
      const last = n === left;
      const out = [frame(FrameType.DATA, 0, q.stream.id, q.data.subarray(q.offset, q.offset + n))];
      q.offset += n;
      this.#sendWindow -= n;
      q.stream.sendWindow -= n;
      this.#pendingBytes -= n;
      if (last) {
        out.push(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, q.stream.id, q.trailers));
        this.#pending.shift();
      }
      this.#write(out.length === 1 ? (out[0] ?? EMPTY) : Buffer.concat(out));
      if (last) this.#finish(q.stream);
    }
    this.#checkPressure();
  }

  /** The answer is written (or queued): the stream ends on our side. */
  #finish(s: Stream): void {
    if (!s.answered) this.#release(s);
    s.answered = true;
    const queued = this.#pending.some((q) => q.stream === s);
    if (queued) return;
    if (s.remoteEnded) {
      this.#streams.delete(s.id);
    } else {
      // Answered before the request ended (an early refusal): tell the peer to stop sending (RFC 9113 §8.1).
      this.#write(rstStreamFrame(s.id, H2Error.NO_ERROR));
      this.#streams.delete(s.id);
    }
    this.#checkPressure();
    this.#maybeEnd();
  }

  /** The app answered a call the peer had reset: nothing is written, the stream and its request bytes are freed. */
  #dropReset(s: Stream): void {
    this.#release(s);
    this.#streams.delete(s.id);
    this.#checkPressure();
    this.#maybeEnd();
  }

  /** The call no longer holds its request bytes: they leave the buffered count and return to the peer's window. */
  #release(s: Stream): void {
    if (s.answered) return;
    s.answered = true;
    s.chunks = [];
    this.#unhold(s.held);
    s.held = 0;
  }

  #unhold(bytes: number): void {
    this.#buffered -= bytes;
    this.#recvCredit += bytes;
    this.#flushCredit();
  }

  /** Returns consumed bytes to the peer's connection window in batches (a quarter of the window at a time). */
  #flushCredit(): void {
    if (this.#closing || this.#pressured || this.#recvCredit < Math.min(MAX_WINDOW, this.#limits.maxBufferedBytes) / 4) return;
    this.#write(windowUpdateFrame(0, this.#recvCredit));
    this.#recvWindowLeft += this.#recvCredit;
    this.#recvCredit = 0;
  }

  /**
   * Two kinds of output wait, and they are held back differently:
   * - bytes written to a socket the peer does not read (`writableLength`): reading pauses, and resumes once half of
   *   them drained;
   * - answers waiting for the peer's flow-control windows (`#pendingBytes`): reading must go on, since the peer's
   *   WINDOW_UPDATE frames are what sends them (pausing here stopped a connection for good once ~65 MiB of query
   *   answers piled up). Instead, new calls are refused and no window credit is returned for request data until half
   *   of them are sent, which bounds both what waits and what the peer may still send.
   */
  #checkPressure(): void {
    if (this.#closing) return;
    const limit = this.#limits.maxQueuedWriteBytes;
    const unsent = this.#socket.writableLength;
    if (!this.#paused && unsent > limit) {
      this.#paused = true;
      this.#socket.pause();
    } else if (this.#paused && unsent <= limit / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    if (!this.#pressured && this.#pendingBytes > limit) {
      this.#pressured = true;
    } else if (this.#pressured && this.#pendingBytes <= limit / 2) {
      this.#pressured = false;
      this.#flushCredit();
    }
  }

  #maybeEnd(): void {
    if (this.#peerEnded && this.#streams.size === 0 && !this.#closing) {
      this.#closing = true;
      this.#socket.end();
    }
  }

  #fail(err: unknown): void {
    if (err instanceof H2ConnectionError) {
      this.#handler.warn(`protocol error, closing the connection: ${err.message}`);
      this.#goaway(err.code, err.message);
    } else {
      this.#handler.warn(`internal error, closing the connection: ${err instanceof Error ? err.message : String(err)}`);
      this.#goaway(H2Error.INTERNAL_ERROR, "internal error");
    }
  }

  #goaway(code: number, debug: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#streams.clear();
    this.#pending = [];
    this.#socket.end(goawayFrame(this.#lastStream, code, debug));
    setTimeout(() => { this.#socket.destroy(); }, 1000).unref();
  }
}
