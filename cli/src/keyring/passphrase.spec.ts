// The no-echo prompt against a fake terminal that records what happens in which order, and getPassphrase's sources.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { getPassphrase, ttyPrompter } from "./passphrase.ts";
import { PassphraseError } from "./errors.ts";
import { CliError } from "../errors.ts";

/** A stand-in for a TTY stdin: `events` records raw-mode changes and questions in the order they happen. */
function fakeTerminal(): { input: NodeJS.ReadStream; output: NodeJS.WritableStream; events: string[]; type(s: string | Buffer): void } {
  const events: string[] = [];
  const stream = new PassThrough();
  const input = Object.assign(stream, {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      input.isRaw = mode;
      events.push(`raw=${String(mode)}`);
      return input;
    },
  }) as unknown as NodeJS.ReadStream & { isRaw: boolean };
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      events.push(`write:${chunk.toString("utf8")}`);
      cb();
    },
  });
  return { input, output, events, type: (s) => stream.write(s) };
}

describe("ttyPrompter", () => {
  test("echo is off before the question is written, and restored after the answer", async () => {
    const t = fakeTerminal();
    const prompt = ttyPrompter(t.input, t.output);
    assert.ok(prompt);
    const answer = prompt("Passphrase: ");
    // Whatever the user types once the question is visible must meet a terminal in raw (no-echo) mode.
    assert.deepEqual(t.events, ["raw=true", "write:Passphrase: "]);
    t.type("secret-one\r");
    assert.equal(await answer, "secret-one");
    assert.deepEqual(t.events.slice(2), ["raw=false", "write:\n"]);
  });

  test("backspace and Ctrl-U edit; multi-byte characters split across chunks are kept whole", async () => {
    const t = fakeTerminal();
    const answer = ttyPrompter(t.input, t.output)?.("Q: ");
    t.type("wrong\u0015ab\u007fc");
    const euro = Buffer.from("€", "utf8");
    t.type(euro.subarray(0, 1));
    t.type(Buffer.concat([euro.subarray(1), Buffer.from("\n")]));
    assert.equal(await answer, "ac€");
  });

  test("Ctrl-C cancels with exit code 130 and restores the terminal", async () => {
    const t = fakeTerminal();
    const answer = ttyPrompter(t.input, t.output)?.("Q: ");
    t.type("abc\u0003");
    await assert.rejects(answer ?? Promise.resolve(), (err: unknown) => err instanceof CliError && err.exitCode === 130);
    assert.equal(t.events.at(-2), "raw=false");
  });

  test("not a terminal: no prompter", () => {
    const input = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    assert.equal(ttyPrompter(input, new PassThrough()), undefined);
  });
});

describe("getPassphrase", () => {
  test("a new key is asked twice; differing answers or a short one write nothing and say why", async () => {
    const answers = (xs: string[]) => async () => xs.shift() ?? "";
    assert.equal(await getPassphrase({ env: {}, prompt: answers(["long-enough", "long-enough"]) }, "k", true), "long-enough");
    await assert.rejects(getPassphrase({ env: {}, prompt: answers(["long-enough", "different!"]) }, "k", true), /differ/u);
    await assert.rejects(getPassphrase({ env: {}, prompt: answers(["short"]) }, "k", true), /too short/u);
  });

  test("no file, no variable, no terminal: a PassphraseError saying how to give one", async () => {
    await assert.rejects(getPassphrase({ env: {}, prompt: null }, "k", false), (err: unknown) => err instanceof PassphraseError && /not running in a terminal/u.test(err.message));
  });
});
