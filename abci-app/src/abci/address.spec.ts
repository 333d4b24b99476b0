import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatListenAddress, parseListenAddress } from "./address.ts";
import { InvalidAddressError } from "./errors.ts";

describe("parseListenAddress", () => {
  test("accepts CometBFT proxy_app forms", () => {
    assert.deepEqual(parseListenAddress("tcp://127.0.0.1:26658"), { kind: "tcp", host: "127.0.0.1", port: 26658 });
    assert.deepEqual(parseListenAddress("tcp://[::1]:0"), { kind: "tcp", host: "::1", port: 0 });
    assert.deepEqual(parseListenAddress("localhost:1"), { kind: "tcp", host: "localhost", port: 1 });
    assert.deepEqual(parseListenAddress("tcp://:26658"), { kind: "tcp", host: "0.0.0.0", port: 26658 });
    assert.deepEqual(parseListenAddress("unix:///run/abci.sock"), { kind: "unix", path: "/run/abci.sock" });
    assert.deepEqual(parseListenAddress("unix://abci.sock"), { kind: "unix", path: "abci.sock" });
  });

  test("rejects other schemes and malformed ports clearly", () => {
    for (const bad of ["http://127.0.0.1:1", "tcp://127.0.0.1", "tcp://127.0.0.1:70000", "unix://", "", "tcp://a:b"]) {
      assert.throws(() => parseListenAddress(bad), InvalidAddressError, bad);
    }
  });

  test("formats back to proxy_app syntax", () => {
    for (const a of ["tcp://127.0.0.1:26658", "tcp://[::1]:5", "unix:///tmp/x.sock"]) {
      assert.equal(formatListenAddress(parseListenAddress(a)), a);
    }
  });
});
