import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UsageError } from "./errors.ts";
import { parseConsensusPubkey, parseRate, parseValoper, valoperOf } from "./staking-args.ts";

describe("staking arguments", () => {
  const acct = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";
  test("valoper addresses", () => {
    const v = valoperOf(acct);
    assert.match(v, /^trustvaloper1/);
    assert.equal(parseValoper(v), v);
    assert.throws(() => parseValoper(acct), UsageError);
    assert.throws(() => parseValoper("trustvaloper1xyz"), UsageError);
  });
  test("rates", () => {
    assert.equal(parseRate("0.1", "--r"), "100000000000000000");
    assert.equal(parseRate("1", "--r"), "1000000000000000000");
    for (const bad of ["1.5", "-0.1", "abc", "0.1234567890123456789", "1e-1"]) assert.throws(() => parseRate(bad, "--r"), UsageError);
  });
  test("consensus pubkeys: base64 or CometBFT JSON", () => {
    const b64 = Buffer.alloc(32, 7).toString("base64");
    assert.equal(parseConsensusPubkey(b64).length, 32);
    assert.equal(parseConsensusPubkey(JSON.stringify({ type: "tendermint/PubKeyEd25519", value: b64 }))[0], 7);
    assert.equal(parseConsensusPubkey(JSON.stringify({ address: "x", pub_key: { type: "tendermint/PubKeyEd25519", value: b64 } }))[0], 7);
    assert.throws(() => parseConsensusPubkey(Buffer.alloc(33).toString("base64")), UsageError);
    assert.throws(() => parseConsensusPubkey(JSON.stringify({ type: "tendermint/PubKeySecp256k1", value: b64 })), UsageError);
  });
});
