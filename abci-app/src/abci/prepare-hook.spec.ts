// The early-work hook (Application.prepareCheckTx / prepareFinalizeBlock) on both transports (and both gRPC servers): started as a request
// arrives when it will wait behind others, awaited before the request's own turn, never for a CheckTx alone.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import { ExecTxResult, RequestFinalizeBlock, type RequestCheckTx, type ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";
import { abciServiceDefinition } from "./grpc-server.ts";
import { grpcCall } from "./grpc-test-call.ts";
import { silentLogger } from "./logger.ts";
import { serveAbci } from "./server.ts";
import { AbciSocketClient } from "./socket-client.ts";

/** CheckTx of tx [i] sleeps i ms-ish; prepare records the tx and settles later; CheckTx records whether it had. */
class App extends BaseApplication {
  readonly prepared: number[] = [];
  readonly settled = new Set<number>();
  readonly sawSettled: boolean[] = [];
  prepareCheckTx(req: RequestCheckTx): Promise<void> {
    const i = req.tx[0] ?? 0;
    this.prepared.push(i);
    return sleep(5).then(() => { this.settled.add(i); });
  }
  prepareFinalizeBlock(req: RequestFinalizeBlock): Promise<void> {
    this.prepared.push(1000 + req.txs.length);
    return Promise.reject(new Error("a rejecting hook is ignored"));
  }
  override async checkTx(req: RequestCheckTx): Promise<Partial<ResponseCheckTx>> {
    const i = req.tx[0] ?? 0;
    this.sawSettled[i] = this.prepared.includes(i) ? this.settled.has(i) : true;
    await sleep(2);
    return { code: 0, log: `tx ${i}` };
  }
  override finalizeBlock(req: RequestFinalizeBlock) {
    return { txResults: req.txs.map(() => ExecTxResult.fromPartial({ code: 0 })), appHash: new Uint8Array(32) };
  }
}

describe("the early-work hook", () => {
  for (const grpcServer of ["grpc-js", "native"] as const) test(`gRPC (${grpcServer}): a lone CheckTx is not prepared; queued ones are, and run only after their preparation settled`, async () => {
    const app = new App();
    const server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "grpc", grpcServer, logger: silentLogger });
    const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
    const client = new Ctor(server.address, credentials.createInsecure());
    try {
      const lone = await grpcCall<{ log: string }>(client, "CheckTx", { tx: Uint8Array.of(1), type: 0 });
      assert.equal(lone.log, "tx 1");
      assert.equal(app.prepared.length, 0, "alone, a CheckTx is verified inline: nothing prepared");
      const answers = await Promise.all([2, 3, 4, 5, 6].map((i) => grpcCall<{ log: string }>(client, "CheckTx", { tx: Uint8Array.of(i), type: 0 })));
      assert.deepEqual(answers.map((a) => a.log), ["tx 2", "tx 3", "tx 4", "tx 5", "tx 6"]);
      assert.ok(app.prepared.length >= 3, `queued CheckTxs are prepared (${app.prepared.join(",")})`);
      assert.ok(app.sawSettled.every((x) => x), "every prepared CheckTx ran after its preparation settled");
      const fb = await grpcCall<{ txResults: unknown[] }>(client, "FinalizeBlock", RequestFinalizeBlock.fromPartial({ txs: [Uint8Array.of(9), Uint8Array.of(9)], height: 1n }));
      assert.equal(fb.txResults.length, 2, "a rejecting prepareFinalizeBlock changes nothing");
      assert.ok(app.prepared.includes(1002), "a FinalizeBlock is always prepared");
    } finally {
      client.close();
      await server.close();
    }
  });

  test("socket: pipelined CheckTxs behind the first are prepared and answered in order", async () => {
    const app = new App();
    const server = await serveAbci({ app, address: "tcp://127.0.0.1:0", transport: "socket", logger: silentLogger });
    const c = await AbciSocketClient.connect(server.address);
    try {
      const resps = await c.call(...[10, 11, 12, 13].map((i) => ({ checkTx: { tx: Uint8Array.of(i), type: 0 } })));
      assert.deepEqual(resps.slice(0, 4).map((r) => r.checkTx?.log), ["tx 10", "tx 11", "tx 12", "tx 13"]);
      assert.deepEqual(app.prepared, [11, 12, 13], "the first found nothing ahead of it; the rest waited");
      assert.ok(app.sawSettled.every((x) => x));
    } finally {
      c.destroy();
      await server.close();
    }
  });
});
