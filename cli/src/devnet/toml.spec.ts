import assert from "node:assert/strict";
import { test } from "node:test";
import { getTomlString, setTomlKey } from "./toml.ts";

const sample = `proxy_app = "tcp://127.0.0.1:26658"\nmoniker = "x"\n\n[rpc]\nladdr = "tcp://127.0.0.1:26657"\n\n[p2p]\nladdr = "tcp://0.0.0.0:26656"\n`;

test("setTomlKey replaces a key in the right section only", () => {
  const out = setTomlKey(sample, "p2p", "laddr", "tcp://127.0.0.1:1");
  assert.match(out, /\[p2p\]\nladdr = "tcp:\/\/127.0.0.1:1"/);
  assert.match(out, /\[rpc\]\nladdr = "tcp:\/\/127.0.0.1:26657"/);
  assert.equal(setTomlKey(sample, "", "proxy_app", "tcp://127.0.0.1:9").split("\n")[0], `proxy_app = "tcp://127.0.0.1:9"`);
});

test("setTomlKey refuses a key that does not exist", () => {
  assert.throws(() => setTomlKey(sample, "rpc", "nope", 1), /no key rpc.nope/);
});

test("getTomlString reads a quoted value from the right section", () => {
  assert.equal(getTomlString(sample, "p2p", "laddr"), "tcp://0.0.0.0:26656");
  assert.equal(getTomlString(sample, "rpc", "laddr"), "tcp://127.0.0.1:26657");
  assert.equal(getTomlString(sample, "", "moniker"), "x");
  assert.equal(getTomlString(sample, "rpc", "moniker"), undefined);
  assert.equal(getTomlString(`[a]\nk = 3\nq = "x\\"y" # note\n`, "a", "q"), `x"y`);
  assert.equal(getTomlString(`[a]\nk = 3\n`, "a", "k"), undefined);
});
