// A minimal ABCI socket client: sends framed Requests, reads framed Responses in order. Production code uses it (the
// launchers' Echo probe, probe.ts), and so do the specs, the e2e tests and the benchmarks.
import { connect, type Socket } from "node:net";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { parseListenAddress } from "./address.ts";
import { encodeFrame, FrameDecoder } from "./framing.ts";

export class AbciSocketClient {
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  readonly #ready: Response[] = [];
  readonly #waiting: ((r: Response | Error) => void)[] = [];
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) {
        const resp = Response.decode(frame);
        const w = this.#waiting.shift();
        if (w) w(resp);
        else this.#ready.push(resp);
      }
    });
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        for (const w of this.#waiting.splice(0)) w(new Error("connection closed before a response arrived"));
        resolve();
      });
    });
  }

  /** Connects to `tcp://host:port` or `unix:///path`. */
  static connect(address: string): Promise<AbciSocketClient> {
    const a = parseListenAddress(address);
    return new Promise((resolve, reject) => {
      const s = a.kind === "unix" ? connect(a.path) : connect(a.port, a.host);
      s.once("error", reject);
      s.once("connect", () => { s.off("error", reject); resolve(new AbciSocketClient(s)); });
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

  /** The next response, in arrival order. Rejects if the connection closes first. */
  next(): Promise<Response> {
    const r = this.#ready.shift();
    if (r) return Promise.resolve(r);
    if (this.#socket.destroyed) return Promise.reject(new Error("connection closed before a response arrived"));
    return new Promise((resolve, reject) => {
      this.#waiting.push((x) => { if (x instanceof Error) reject(x); else resolve(x); });
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
}
