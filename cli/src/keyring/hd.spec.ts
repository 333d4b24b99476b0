import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fromBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { deriveKey, generateMnemonic, normalizeMnemonic } from "./hd.ts";
import { InvalidMnemonicError } from "./errors.ts";

// The BIP39 test vector mnemonic ("abandon" x11 + "about").
const ABOUT = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("hd", () => {
  test("generates 24 distinct valid words", () => {
    const a = generateMnemonic();
    assert.equal(a.split(" ").length, 24);
    assert.equal(normalizeMnemonic(a), a);
    assert.notEqual(generateMnemonic(), a);
  });

  test("derives the same key and address as cosmjs' DirectSecp256k1HdWallet (prefix trust)", async () => {
    const mnemonic = generateMnemonic();
    const ours = await deriveKey(mnemonic);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "trust" });
    const [account] = await wallet.getAccounts();
    assert.ok(account);
    assert.equal(ours.address, account.address);
    assert.deepEqual(ours.pubkey, account.pubkey);
    assert.equal(ours.privkey.length, 32);
    assert.match(ours.address, /^trust1[02-9ac-hj-np-z]{38}$/u);
  });

  test("known vector: the 'abandon … about' mnemonic gives the well-known cosmos address under prefix trust", async () => {
    const { address } = await deriveKey(ABOUT);
    // cosmos1... for this mnemonic is cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4; same payload, prefix trust.
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ABOUT, { prefix: "cosmos" });
    const [cosmos] = await wallet.getAccounts();
    assert.ok(cosmos);
    assert.equal(cosmos.address, "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4");
    assert.deepEqual(fromBech32(address, 90).data, fromBech32(cosmos.address, 90).data);
    assert.equal(fromBech32(address, 90).prefix, "trust");
  });

  test("normalizes case and whitespace", () => {
    assert.equal(normalizeMnemonic(`  ${ABOUT.toUpperCase().replaceAll(" ", "\n\t ")}  `), ABOUT);
  });

  test("rejects empty, wrong word counts, unknown words and bad checksums", () => {
    assert.throws(() => normalizeMnemonic("   "), InvalidMnemonicError);
    assert.throws(() => normalizeMnemonic("abandon abandon"), /2 words/u);
    assert.throws(() => normalizeMnemonic(ABOUT.replace("about", "zzzz")), /not BIP39 English words: zzzz/u);
    assert.throws(() => normalizeMnemonic(ABOUT.replace("about", "abandon")), /checksum/u);
  });
});
