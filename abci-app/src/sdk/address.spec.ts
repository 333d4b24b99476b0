import { test } from "node:test";
import assert from "node:assert/strict";
import { toBech32 } from "@cosmjs/encoding";
import { addressBytes, BECH32_PREFIX, bech32Address, decodeBech32, VALCONS_PREFIX, VALOPER_PREFIX, valoperBytes } from "./address.ts";

const raw = Uint8Array.from({ length: 20 }, (_, i) => i * 7 + 1);
const account = bech32Address(raw);
const valoper = toBech32(VALOPER_PREFIX, raw);
const valcons = toBech32(VALCONS_PREFIX, raw);

test("the canonical lower-case form decodes to its bytes", () => {
  assert.deepEqual(addressBytes(account), raw);
  assert.deepEqual(valoperBytes(valoper), raw);
  assert.deepEqual(decodeBech32(valcons, "consensus address").data, raw);
  assert.ok(account.startsWith(`${BECH32_PREFIX}1`));
});

test("the all-upper-case spelling of the same bytes (valid BIP-173) is refused, naming the canonical form", () => {
  const cases: [string, () => unknown][] = [
    [account, () => addressBytes(account.toUpperCase(), "to_address")],
    [valoper, () => valoperBytes(valoper.toUpperCase())],
    [valcons, () => decodeBech32(valcons.toUpperCase(), "consensus address")],
  ];
  for (const [canonical, decode] of cases) {
    assert.throws(decode, (e: Error & { code?: number; codespace?: string }) => {
      assert.equal(e.codespace, "sdk");
      assert.equal(e.code, 7, "ErrInvalidAddress");
      assert.match(e.message, /not in the canonical lower-case form/);
      assert.ok(e.message.includes(`(${canonical})`), e.message);
      return true;
    });
  }
  // a refused spelling is not remembered: the canonical one still decodes, and the upper case is refused again
  assert.deepEqual(addressBytes(account), raw);
  assert.throws(() => addressBytes(account.toUpperCase()), /canonical lower-case/);
});

test("mixed case, a bad checksum and a wrong prefix stay refused", () => {
  const mixed = `${account.slice(0, 8)}${account.slice(8, 12).toUpperCase()}${account.slice(12)}`;
  assert.throws(() => addressBytes(mixed), /not bech32/);
  assert.throws(() => addressBytes(`${account.slice(0, -1)}${account.endsWith("q") ? "p" : "q"}`), /not bech32/);
  assert.throws(() => addressBytes(valoper), /expected prefix trust, got trustvaloper/);
  assert.throws(() => valoperBytes(account), /expected prefix trustvaloper/);
});
