import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { test } from "node:test";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { AbciConnection } from "./connection.ts";
import { encodeFrame, FrameDecoder } from "./framing.ts";
import { silentLogger } from "./logger.ts";

/** The parts of a net.Socket the connection uses; records every write. */
class FakeSocket extends EventEmitter {
  readonly writes: Buffer[] = [];
  destroyed = false;
  writable = true;
  writableNeedDrain = false;
  ended = false;
  write(buf: Buffer): boolean {
    this.writes.push(Buffer.from(buf));
    return true;
  }
  pause(): void {}
  resume(): void {}
  end(): void { this.ended = true; }
  destroySoon(): void { this.destroyed = true; }
  destroy(): void { this.destroyed = true; }
}

const frame = (r: object): Buffer => encodeFrame(Request.encode(Request.fromPartial(r as never)).finish());
const settle = (): Promise<void> => new Promise((r) => setImmediate(() => setImmediate(r)));

function responses(writes: readonly Buffer[]): Response[] {
  const d = new FrameDecoder();
  return writes.flatMap((w) => d.push(w)).map((f) => Response.decode(f));
}

test("the responses to a pipelined chunk leave in one socket write, in request order, when the Flush is answered", async () => {
  const socket = new FakeSocket();
  new AbciConnection(socket as unknown as Socket, { name: "t", app: new BaseApplication(), maxMessageBytes: 1 << 20, logger: silentLogger });
  const chunk = Buffer.concat([
    ...Array.from({ length: 50 }, (_, i) => frame({ checkTx: { tx: Uint8Array.of(i) } })),
    frame({ echo: { message: "x" } }),
    frame({ flush: {} }),
  ]);
  socket.emit("data", chunk);
  await settle();
  assert.equal(socket.writes.length, 1, `one write for 52 responses, got ${socket.writes.length}`);
  const rs = responses(socket.writes);
  assert.equal(rs.length, 52);
  assert.ok(rs.slice(0, 50).every((r) => r.checkTx !== undefined));
  assert.equal(rs[50]?.echo?.message, "x");
  assert.ok(rs[51]?.flush !== undefined);
});

test("responses without a Flush are still sent, at the end of the event-loop turn", async () => {
  const socket = new FakeSocket();
  new AbciConnection(socket as unknown as Socket, { name: "t", app: new BaseApplication(), maxMessageBytes: 1 << 20, logger: silentLogger });
  socket.emit("data", Buffer.concat([frame({ checkTx: { tx: Uint8Array.of(1) } }), frame({ checkTx: { tx: Uint8Array.of(2) } })]));
  await settle();
  assert.equal(socket.writes.length, 1);
  assert.equal(responses(socket.writes).length, 2);
  socket.emit("data", frame({ info: {} }));
  await settle();
  assert.equal(socket.writes.length, 2, "a later request gets its own write");
  assert.ok(responses(socket.writes)[2]?.info !== undefined);
});
