import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { splitArgs } from "./split-args.ts";

describe("splitArgs", () => {
  test("splits on whitespace and honours quotes and escapes", () => {
    assert.deepEqual(splitArgs("  keys   list  "), ["keys", "list"]);
    assert.deepEqual(splitArgs(`send bob 1TRUST --memo "rent for May"`), ["send", "bob", "1TRUST", "--memo", "rent for May"]);
    assert.deepEqual(splitArgs(`send bob 1TRUST --memo 'it''s' x`), ["send", "bob", "1TRUST", "--memo", "its", "x"]);
    assert.deepEqual(splitArgs(`a "q\\"uote" b\\ c ""`), ["a", `q"uote`, "b c", ""]);
    assert.deepEqual(splitArgs(""), []);
  });
  test("rejects unterminated quotes and a trailing backslash", () => {
    assert.throws(() => splitArgs(`send "bob`), /unterminated " quote/u);
    assert.throws(() => splitArgs("send 'bob"), /unterminated ' quote/u);
    assert.throws(() => splitArgs("send \\"), /backslash/u);
  });
});
