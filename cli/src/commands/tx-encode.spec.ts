// `tx encode` / `tx decode`: a tx JSON and its base64 TxRaw, each way, exactly; bytes the JSON cannot carry refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secp256k1 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { encodeTxBody, signDirect, txJson } from "@trustnet/abci-app";
import { runCli } from "../testing/fake-node.ts";
import { decodeTxBase64 } from "./tx-offline.ts";

const pair = await Secp256k1.makeKeypair(new Uint8Array(32).fill(5));
const key = { privkey: pair.privkey, pubkey: Secp256k1.compressPubkey(pair.pubkey) };
const a = toBech32("trust", new Uint8Array(20).fill(1));
const raw = await signDirect(key, encodeTxBody([
  { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: a, toAddress: a, amount: [{ denom: "utrust", amount: "7" }] } },
  { typeUrl: "/trustnet.leasing.v1.MsgCloseLease", value: { sender: a, leaseId: 3n } },
], "m"), { chainId: "trustnet-1", accountNumber: 2n, sequence: 5n });
const b64 = Buffer.from(raw).toString("base64");

describe("tx encode / tx decode", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-enc-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("encode prints the exact base64 TxRaw (text, -o json, stdin); decode prints the tx JSON back", async () => {
    const file = join(dir, "tx.json");
    await writeFile(file, JSON.stringify(txJson(raw)));
    const text = await runCli(["tx", "encode", file]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, `${b64}\n`);
    const json = await runCli(["tx", "encode", "-", "-o", "json"], {}, JSON.stringify(txJson(raw)));
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { tx_bytes: b64 });
    const dec = await runCli(["tx", "decode", b64]);
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(JSON.parse(dec.stdout), txJson(raw));
  });

  test("encode reads strictly: an unknown field is refused by path", async () => {
    const file = join(dir, "typo.json");
    const tx = txJson(raw) as { body: Record<string, unknown> };
    await writeFile(file, JSON.stringify({ ...tx, body: { ...tx.body, memmo: "x" } }));
    const r = await runCli(["tx", "encode", file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /typo\.json: not a transaction this CLI can read: body\.memmo: unknown field$/mu);
  });

  test("decode refuses what is not a tx it can show exactly", () => {
    assert.deepEqual(decodeTxBase64(` ${b64}\n`), txJson(raw));
    assert.throws(() => decodeTxBase64("not base64!"), /not standard base64/u);
    assert.throws(() => decodeTxBase64(""), /not standard base64/u);
    assert.throws(() => decodeTxBase64(Buffer.from("garbage!").toString("base64")), /not a transaction/u);
    assert.throws(() => decodeTxBase64(`${Buffer.from(raw).toString("hex")}0`, true), /not hex/u);
    // A TxRaw with a field 4 it does not have: the JSON could not carry it, so it is not shown as if it were not there.
    assert.throws(() => decodeTxBase64(Buffer.concat([raw, Buffer.from([0x22, 0x01, 0x00])]).toString("base64")), /fields or forms the tx JSON cannot carry/u);
  });

  test("decode --hex, simd's flag, reads hex TxRaw bytes (either case) as base64 reads them", async () => {
    const hex = Buffer.from(raw).toString("hex");
    for (const h of [hex, hex.toUpperCase()]) {
      const r = await runCli(["tx", "decode", "--hex", h]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), txJson(raw));
    }
    const noFlag = await runCli(["tx", "decode", hex]);
    assert.equal(noFlag.code, 1);
    assert.match(noFlag.stderr, /^error: the bytes are not a transaction \(TxRaw\)\nhint: it reads as hex: pass --hex$/mu);
    const bad = await runCli(["tx", "decode", "--hex", b64]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, "");
    assert.match(bad.stderr, /^error: not hex \(--hex: the TxRaw bytes, an even number of hex digits\)$/mu);
  });
});
