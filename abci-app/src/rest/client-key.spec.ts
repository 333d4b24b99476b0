import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clientKey } from "./client-key.ts";

describe("clientKey: one client's key for the REST and registry limits", () => {
  test("IPv4 as it is, IPv4-mapped IPv6 as its IPv4", () => {
    assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
    assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
  });

  test("IPv6 in any notation is its /56: every address of one /64 (or /56) is one client", () => {
    const key = clientKey("2001:db8:1:2ff::1");
    assert.equal(key, "2001:db8:1:200:0:0:0:0/56");
    for (const same of ["2001:db8:1:2ff:ffff:ffff:ffff:ffff", "2001:0db8:0001:0200:0000:0000:0000:0000", "2001:db8:1:200::a%eth0", "2001:db8:1:2aa::1.2.3.4"]) {
      assert.equal(clientKey(same), key, same);
    }
    assert.notEqual(clientKey("2001:db8:1:300::1"), key, "the next /56 is another client");
    assert.equal(clientKey("::1"), "0:0:0:0:0:0:0:0/56");
  });

  test("no address (or garbage) is kept as given", () => {
    for (const s of ["", "unknown", "2001:db8::g", "1.2.3"]) assert.equal(clientKey(s), s);
  });
});
