// abciEchoes against a real ABCI server and against listeners that are not ABCI apps (plain net servers).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { BaseApplication } from "./base-application.ts";
import { encodeFrame, encodeUvarint } from "./framing.ts";
import { abciEchoes } from "./probe.ts";
import { serveAbci } from "./server.ts";

async function listener(answer: (s: Socket) => void): Promise<{ address: string; server: Server }> {
  const server = createServer((s) => { s.on("error", () => undefined); s.on("data", () => answer(s)); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { address: `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe("abciEchoes (socket)", () => {
  test("true for an ABCI app, false once it is gone", async () => {
    const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket" });
    assert.equal(await abciEchoes(server.address, "socket"), true);
    await server.close();
    assert.equal(await abciEchoes(server.address, "socket"), false);
  });

  for (const [label, reply] of [
    ["a frame that is not a protobuf Response", encodeFrame(Uint8Array.of(0xff, 0xff))],
    ["a length prefix of 1 GiB", encodeUvarint(2 ** 30)],
    ["an HTTP answer", Buffer.from(`HTTP/1.1 400 Bad Request\r\ncontent-length: 200\r\n\r\n${"x".repeat(200)}`)],
  ] as const) {
    test(`false, without throwing or crashing, for a listener answering ${label}`, { timeout: 10_000 }, async () => {
      const l = await listener((s) => s.end(reply));
      try {
        assert.equal(await abciEchoes(l.address, "socket", 2000), false);
      } finally {
        l.server.close();
      }
    });
  }
});
