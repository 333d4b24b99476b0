// The provider text view: attributes whose values hold spaces still read back one by one.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Provider } from "../types.ts";
import { attributesText, providerText } from "./view.ts";

/** The attributes `attributesText` shows, read back: bare words, or JSON strings. */
const readBack = (line: string): string[] => [...line.matchAll(/"(?:[^"\\]|\\.)*"|\S+/gu)].map(([t]) => (t.startsWith("\"") ? JSON.parse(t) as string : t));

describe("provider text view", () => {
  test("an attribute value with a space is quoted, so `a=b c=d` and `a=b` + `c=d` show differently", () => {
    const one = ["a=b c=d"];
    const two = ["a=b", "c=d"];
    assert.notEqual(attributesText(one), attributesText(two));
    for (const attrs of [one, two, ["gpu=nvidia a100", "tier=gold"], ["q=say \"hi\"", "b=back\\slash", "e=", "nb=x\u00a0y"]]) {
      assert.deepEqual(readBack(attributesText(attrs)), attrs, attrs.join(" | "));
    }
    assert.equal(attributesText(["tier=gold", "region/zone=eu-1"]), "tier=gold region/zone=eu-1", "plain ones stay bare");
  });

  test("providerText shows them so", () => {
    const p = Provider.fromPartial({ owner: "trust1o", endpoint: "ssh://h:22", region: "eu", images: ["alpine-3.22"], attributes: ["gpu=nvidia a100", "tier=gold"] });
    assert.match(providerText(p), /^ {2}images {5}alpine-3\.22 {3}attributes "gpu=nvidia a100" tier=gold$/mu);
  });
});
