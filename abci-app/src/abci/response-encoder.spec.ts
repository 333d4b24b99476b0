import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Response, type ResponseCheckTx, ResponseFinalizeBlock, type Event } from "cosmjs-types/tendermint/abci/types";
import { callMethod, encodeResponse } from "./dispatch.ts";
import { BaseApplication } from "./base-application.ts";
import { encodeCheckTxAnswer, encodeFinalizeBlockAnswer } from "./response-encoder.ts";
import { answersEncodeAsCosmjs, cosmjsCheckTx, cosmjsFinalizeBlock } from "./encoding-check.ts";

/** A deterministic sequence in [0, 1) (a linear congruential generator), so a failure names a reproducible case. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

// Strings that stress the UTF-8 writer: empty, ASCII, 2-, 3- and 4-byte characters, a lone surrogate (cosmjs-types
// writes it as three bytes, TextEncoder would not), long ones whose length needs a 2-byte varint.
const STRINGS = ["", "a", "transfer", "coin_received", "ü", "€uro", "😀", "\ud800x", "x\udc00", "1000utrust", "k".repeat(200), "é".repeat(5000)];
const GAS = [0n, 1n, 127n, 128n, 100_000n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -(2n ** 63n), 2n ** 64n - 1n];
const CODES = [0, 1, 5, 127, 128, 2 ** 31, 2 ** 32 - 1];

function randomAnswers(seed: number, n: number): { finalize: Partial<ResponseFinalizeBlock>[]; check: Partial<ResponseCheckTx>[] } {
  const r = lcg(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T): T | undefined => (r() < 0.2 ? undefined : v);
  const bytes = (): Uint8Array => Uint8Array.from({ length: pick([0, 1, 32, 200]) }, () => Math.floor(r() * 256));
  const event = (): Partial<Event> => ({
    type: pick(STRINGS),
    attributes: Array.from({ length: pick([0, 1, 3, 8]) }, () => ({ key: pick(STRINGS), value: pick(STRINGS), index: pick([true, false, undefined]) } as never)),
  });
  const result = () => ({
    code: maybe(pick(CODES)), data: maybe(bytes()), log: maybe(pick(STRINGS)), info: maybe(pick(STRINGS)),
    gasWanted: maybe(pick(GAS)), gasUsed: maybe(pick(GAS)), events: maybe(Array.from({ length: pick([0, 1, 4]) }, event)), codespace: maybe(pick(STRINGS)),
  });
  // Nested messages are partial too (fromPartial takes them so): typed loosely on purpose.
  return {
    finalize: Array.from({ length: n }, () => ({
      events: maybe(Array.from({ length: pick([0, 2]) }, event)), txResults: maybe(Array.from({ length: pick([0, 1, 5, 40]) }, result)),
      appHash: maybe(bytes()),
    })) as Partial<ResponseFinalizeBlock>[],
    check: Array.from({ length: n }, result) as Partial<ResponseCheckTx>[],
  };
}

describe("response encoder", () => {
  test("FinalizeBlock and CheckTx answers encode exactly as cosmjs-types' encode(fromPartial(answer))", () => {
    const { finalize, check } = randomAnswers(7, 400);
    assert.equal(answersEncodeAsCosmjs(encodeFinalizeBlockAnswer, cosmjsFinalizeBlock, finalize), 400);
    assert.equal(answersEncodeAsCosmjs(encodeCheckTxAnswer, cosmjsCheckTx, check), 400);
  });

  test("FinalizeBlock's reused lengths array: a huge answer (past the array kept between blocks), then small ones", () => {
    // 3,000 results × 10 events × 3 attributes record ~333,000 lengths, more than the 2^18 kept for the next block.
    const attrs = (i: number) => Array.from({ length: 3 }, (_, j) => ({ key: `k${j}`, value: "v".repeat((i + j) % 7), index: j !== 1 }));
    const huge: Partial<ResponseFinalizeBlock> = {
      txResults: Array.from({ length: 3_000 }, (_, i) => ({ code: i % 3, gasUsed: BigInt(i), events: Array.from({ length: 10 }, (_, e) => ({ type: `t${e}`, attributes: attrs(i + e) })) })) as never,
      appHash: new Uint8Array(32).fill(7),
    };
    const { finalize } = randomAnswers(11, 30);
    // Small after huge, huge again after small: every encode reads only the lengths it recorded itself.
    assert.equal(answersEncodeAsCosmjs(encodeFinalizeBlockAnswer, cosmjsFinalizeBlock, [...finalize.slice(0, 10), huge, ...finalize.slice(10), huge]), 32);
  });

  test("shapes the fast path does not take go through cosmjs-types: the same bytes", () => {
    const pubKey = { ed25519: new Uint8Array(32).fill(7) };
    const odd: Partial<ResponseFinalizeBlock>[] = [
      {},
      { validatorUpdates: [{ pubKey, power: 10n }], txResults: [{ code: 0, gasUsed: 5n } as never] },
      { consensusParamUpdates: { block: { maxBytes: 1000n, maxGas: -1n } } as never },
      { txResults: [{ gasWanted: 5 as never, gasUsed: "7" as never, code: 0 } as never] }, // numbers and strings for bigints
      { txResults: [{ gasWanted: 2n ** 64n } as never] }, // outside int64: cosmjs-types' own wrapping
      { txResults: [{ code: 1.5 } as never] },
      { events: [{ type: "t", attributes: [{ key: "k", value: "v", index: 1 as never }] }] },
      { events: null as never, txResults: null as never, appHash: null as never },
    ];
    assert.equal(answersEncodeAsCosmjs(encodeFinalizeBlockAnswer, cosmjsFinalizeBlock, odd), odd.length);
    const oddCheck: Partial<ResponseCheckTx>[] = [{}, { gasWanted: 3 as never }, { log: null as never, data: null as never }, { events: [{ type: "e" } as never] }];
    assert.equal(answersEncodeAsCosmjs(encodeCheckTxAnswer, cosmjsCheckTx, oddCheck), oddCheck.length);
  });

  test("the comparison fails on a deliberately wrong encoder", () => {
    const { finalize } = randomAnswers(11, 50);
    // Wrong in one detail each: drops `index`, writes gasUsed into gasWanted, or leaves the app hash out.
    const dropsIndex = (a: Partial<ResponseFinalizeBlock>) => encodeFinalizeBlockAnswer({
      ...a, txResults: a.txResults?.map((t) => ({ ...t, events: t.events?.map((e) => ({ ...e, attributes: e.attributes?.map((x) => ({ ...x, index: false })) })) })),
    });
    const swapsGas = (a: Partial<ResponseFinalizeBlock>) => encodeFinalizeBlockAnswer({ ...a, txResults: a.txResults?.map((t) => ({ ...t, gasWanted: t.gasUsed })) });
    const noAppHash = (a: Partial<ResponseFinalizeBlock>) => encodeFinalizeBlockAnswer({ ...a, appHash: undefined });
    for (const wrong of [dropsIndex, swapsGas, noAppHash]) {
      assert.throws(() => answersEncodeAsCosmjs(wrong, cosmjsFinalizeBlock, finalize), /encodes differently from cosmjs-types/);
    }
    const truncates = (a: Partial<ResponseCheckTx>) => encodeCheckTxAnswer(a).subarray(1);
    assert.throws(() => answersEncodeAsCosmjs(truncates, cosmjsCheckTx, [{ code: 3, log: "x" }]), /answer 0 encodes differently/);
  });

  test("the socket transport wraps the pre-encoded answers into the Response oneof as cosmjs-types does", async () => {
    const { finalize, check } = randomAnswers(3, 20);
    class App extends BaseApplication {
      i = 0;
      override finalizeBlock(): Partial<ResponseFinalizeBlock> { return finalize[this.i++]!; }
      override checkTx(): Partial<ResponseCheckTx> { return check[this.i++]!; }
    }
    for (const [key, answers] of [["finalizeBlock", finalize], ["checkTx", check]] as const) {
      const app = new App();
      for (const answer of answers) {
        const r = await callMethod(app, key, {} as never);
        assert.ok(r.ok && r.encoded);
        const want = Response.encode(Response.fromPartial({ [key]: answer } as Parameters<typeof Response.fromPartial>[0])).finish();
        assert.deepEqual(Buffer.from(encodeResponse(r.response, r.encoded).bytes), Buffer.from(want));
        assert.deepEqual(Buffer.from(encodeResponse(r.response).bytes), Buffer.from(want), "without the bytes: encoded again, the same");
      }
    }
  });

  test("the answer is not modified and the result is a Buffer grpc-js can frame", () => {
    const answer: Partial<ResponseFinalizeBlock> = { txResults: [{ code: 0, data: Uint8Array.of(1), log: "", info: "", gasWanted: 9n, gasUsed: 8n, events: [], codespace: "" }], appHash: Uint8Array.of(2) };
    const copy = structuredClone(answer);
    const bytes = encodeFinalizeBlockAnswer(answer);
    assert.deepEqual(answer, copy);
    assert.ok(Buffer.isBuffer(bytes));
    assert.deepEqual(ResponseFinalizeBlock.decode(bytes), ResponseFinalizeBlock.fromPartial(answer));
  });
});
