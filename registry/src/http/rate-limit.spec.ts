// The registry's request rate limit keys a client as the REST server and the connection cap do (clientKey).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RateLimiter } from "./rate-limit.ts";

describe("RateLimiter client key", () => {
  const drained = (addresses: string[]): number => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 });
    return addresses.map((a) => limiter.take(a, 0)).at(-1) ?? 0;
  };

  test("two IPv6 addresses in one /56 share a bucket (a /64 rotated through gets no fresh one)", () => {
    assert.ok(drained(["2001:db8:1:200::1", "2001:db8:1:2ff:abcd::9"]) > 0);
  });

  test("IPv4-mapped IPv6 and the plain IPv4 share a bucket", () => {
    assert.ok(drained(["::ffff:192.0.2.7", "192.0.2.7"]) > 0);
  });

  test("different /56s and different IPv4 addresses have their own", () => {
    assert.equal(drained(["2001:db8:1:200::1", "2001:db8:1:300::1"]), 0);
    assert.equal(drained(["192.0.2.7", "192.0.2.8"]), 0);
  });
});
