// Chain strings reach the terminal in text mode: their control characters must be shown, not obeyed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePrinter } from "./output.ts";
import { singleLineValues, terminalSafe, terminalSafeField } from "./terminal-text.ts";
import { startFakeNode, runCli, type FakeNode } from "./testing/fake-node.ts";

const ESC = "\x1b";
// Erase the line, move up, rewrite it, and set the window title: what a hostile moniker or memo could carry.
const EVIL = `${ESC}[2K${ESC}[1A\rSent 1 TRUST to trust1attacker${ESC}]0;pwned\x07\u202etxt.exe\u2066\x9b`;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/u; // eslint-disable-line no-control-regex

function captured() {
  const s = new PassThrough();
  let text = "";
  s.on("data", (c: Buffer) => (text += c.toString()));
  return { stream: s, text: () => text };
}

describe("terminalSafe", () => {
  test("ESC, CSI, OSC, CR, BEL, C1 and bidi controls are shown escaped; newlines and tabs are kept", () => {
    assert.equal(terminalSafe(EVIL), "\\x1b[2K\\x1b[1A\\x0dSent 1 TRUST to trust1attacker\\x1b]0;pwned\\x07\\u202etxt.exe\\u2066\\x9b");
    assert.equal(terminalSafe("a\tb\nc ü €"), "a\tb\nc ü €");
    assert.equal(terminalSafeField("a\nb\tc"), "a\\x0ab\\x09c");
  });

  test("the printer escapes text results and notes, and leaves JSON as it is", () => {
    const out = captured();
    const err = captured();
    makePrinter("text", out.stream, err.stream).result({ memo: EVIL }, () => `memo:   ${EVIL}\nnext line`);
    makePrinter("text", out.stream, err.stream).info(`Sending with memo ${EVIL}`);
    assert.doesNotMatch(out.text(), CONTROL);
    assert.match(out.text(), /^memo: {3}\\x1b\[2K.*\nnext line\n$/u);
    assert.doesNotMatch(err.text(), CONTROL);
    const json = captured();
    makePrinter("json", json.stream).result({ memo: EVIL });
    assert.deepEqual(JSON.parse(json.text()), { memo: EVIL });
  });
});

describe("chain strings stay on one line in text", () => {
  test("every string of the result the text shows: its newlines and tabs escaped, longest first", () => {
    const data = { validators: [{ moniker: "v\nFAKE LINE", website: "a\tb" }], tags: { "t\n1": "x" }, memo: "v\nFAKE LINE\nmore" };
    const text = "moniker  v\nFAKE LINE\nsite     a\tb\ntag      t\n1\nmemo     v\nFAKE LINE\nmore";
    assert.equal(singleLineValues(text, data), "moniker  v\\x0aFAKE LINE\nsite     a\\x09b\ntag      t\\x0a1\nmemo     v\\x0aFAKE LINE\\x0amore");
  });

  test("the printer: a moniker with a newline is one line in text and unchanged in JSON", () => {
    const out = captured();
    const v = { moniker: "node0\nFAKE LINE", tokens: 10n };
    makePrinter("text", out.stream).result({ validators: [v] }, () => `${v.moniker.padEnd(20)} ${v.tokens}\nnext validator`);
    assert.deepEqual(out.text().split("\n"), ["node0\\x0aFAKE LINE      10", "next validator", ""]);
    const json = captured();
    makePrinter("json", json.stream).result({ validators: [v] });
    assert.equal((JSON.parse(json.text()) as { validators: { moniker: string }[] }).validators[0]?.moniker, "node0\nFAKE LINE");
  });
});

describe("chain strings through the real CLI", () => {
  let node: FakeNode;
  let home: string;
  before(async () => {
    node = await startFakeNode({ moniker: EVIL, memo: EVIL });
    home = await mkdtemp(join(tmpdir(), "tn-term-"));
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"]);

  test("a validator's moniker is escaped in text mode and unchanged in JSON", async () => {
    const text = await cli("query", "staking", "validators");
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, CONTROL, JSON.stringify(text.stdout));
    assert.match(text.stdout, /\\x1b\[2K\\x1b\[1A\\x0dSent 1 TRUST/u);
    const json = await cli("query", "staking", "validators", "-o", "json");
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { validators: { description: { moniker: string } }[] }).validators[0]?.description.moniker, EVIL);
  });

  test("a moniker with a newline cannot forge a line of `query staking validators`", async () => {
    const n = await startFakeNode({ moniker: "node0\nFAKE LINE" });
    try {
      const run = (...extra: string[]) => runCli(["query", "staking", "validators", ...extra, "--home", home, "--node", n.url, "--chain-id", "trustnet-local-1"]);
      const text = await run();
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.split("\n");
      assert.ok(!lines.some((l) => l.startsWith("FAKE LINE")), JSON.stringify(text.stdout));
      assert.ok(lines.some((l) => l.includes("node0\\x0aFAKE LINE")), JSON.stringify(text.stdout));
      const json = await run("-o", "json");
      assert.equal((JSON.parse(json.stdout) as { validators: { description: { moniker: string } }[] }).validators[0]?.description.moniker, "node0\nFAKE LINE");
    } finally {
      await n.close();
    }
  });

  test("a tx's memo is escaped in text mode and unchanged in JSON", async () => {
    const text = await cli("tx", node.txHash);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, CONTROL, JSON.stringify(text.stdout));
    assert.match(text.stdout, /memo: {3}\\x1b\[2K/u);
    const lines = await (async () => {
      const n = await startFakeNode({ memo: "hi\nfee:    0utrust" });
      try {
        return (await runCli(["tx", n.txHash, "--home", home, "--node", n.url, "--chain-id", "trustnet-local-1"])).stdout.split("\n");
      } finally {
        await n.close();
      }
    })();
    assert.ok(lines.includes("memo:   hi\\x0afee:    0utrust"), "a newline in a memo does not start a line of its own");
    const json = await cli("tx", node.txHash, "-o", "json");
    assert.equal((JSON.parse(json.stdout) as { memo: string }).memo, EVIL);
  });
});
