import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { validateProviderAttributes } from "./validate.ts";

/** Why `attributes` is refused (the error's message), or undefined when it passes. */
function refusal(attributes: string[]): string | undefined {
  try {
    validateProviderAttributes(attributes);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("provider attribute values: no look-alikes", () => {
  test("every non-ASCII space (Zs but U+0020) is refused, naming the attribute and the code point", () => {
    const spaces: [string, string][] = [
      ["\u00a0", "U+00A0"], ["\u1680", "U+1680"], ["\u2000", "U+2000"], ["\u2007", "U+2007"], ["\u2009", "U+2009"], ["\u200a", "U+200A"],
      ["\u202f", "U+202F"], ["\u205f", "U+205F"], ["\u3000", "U+3000"],
    ];
    for (const [ch, cp] of spaces) {
      const why = refusal(["arch=arm64", `name=acme${ch}cloud`]);
      assert.ok(why !== undefined, `${cp} passed`);
      assert.match(why, new RegExp(`^attribute "name=acme\\\\u\\{${parseInt(cp.slice(2), 16).toString(16)}\\}cloud" holds ${cp.replace("+", "\\+")}: a value may not hold control, bidi, invisible format or non-ASCII space characters \\(a space is U\\+0020\\)`), cp);
    }
  });

  test("a space at either end of a value is refused; inside, empty and printable Unicode pass", () => {
    for (const a of ["tier= gold", "tier=gold ", "tier= ", "tier=  gold  "]) {
      assert.match(refusal([a]) ?? "passed", new RegExp(`^attribute ${JSON.stringify(a).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: the value starts or ends with a space \\(U\\+0020\\)`), a);
    }
    assert.equal(refusal(["tier=gold", "note=café 日本 🚀 ok", "k=", "two=a  b"]), undefined);
  });

  // The rule is written out as code-point ranges (a consensus rule must not move with Node's Unicode tables); this
  // checks that list against the running Node's \p{Cc} \p{Cf} \p{Zl} \p{Zp} \p{Zs} (Unicode 17.0 in Node 24), so a
  // Node with newer tables fails here, and the list is reviewed, instead of nodes silently disagreeing.
  test("the written-out list is exactly Cc, Cf, Zl, Zp and Zs but U+0020 of the running Node's Unicode tables", () => {
    const unicode = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]/u;
    const differ: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogates: refused too, checked below
      const ch = String.fromCodePoint(c);
      const expected = c !== 0x20 && unicode.test(ch);
      if (expected !== (refusal([`k=a${ch}b`]) !== undefined)) differ.push(`U+${c.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    assert.deepEqual(differ, [], `Unicode ${process.versions.unicode}: the code points where the rule and Node's tables differ`);
    assert.match(refusal(["k=a\ud800b"]) ?? "", /holds U\+D800/);
    assert.match(refusal(["k=a\udfffb"]) ?? "", /holds U\+DFFF/);
  });
});
