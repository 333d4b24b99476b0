// The reader of the SDK's tx JSON (tx-from-json.ts): every routed message survives proto → JSON → proto with its
// exact bytes, and JSON the writer would not print (unknown fields, wrong types, other forms) is refused by path.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Secp256k1 } from "@cosmjs/crypto";
import { Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { buildModules } from "../app/modules.ts";
import { authInfoBytes, encodeTxBody, signDirect } from "../client/sign-direct.ts";
import { a, consAny, consKey, description, descriptionJson, L, ROWS, S, utrust, val } from "./testing/msg-rows.ts";
import { MAX_TX_JSON_BYTES, TxJsonError, txFromJson, txFromJsonText } from "./tx-from-json.ts";
import { txJson } from "./tx-json.ts";

const keyPair = await Secp256k1.makeKeypair(new Uint8Array(32).fill(9));
const key = { privkey: keyPair.privkey, pubkey: Secp256k1.compressPubkey(keyPair.pubkey) };
const signer = { chainId: "trustnet-1", accountNumber: 7n, sequence: 3n, gas: 250_000n };

/** A signed TxRaw of `messages` as the CLI's online path makes it (sign-direct.ts, cosmjs' encoding). */
const signed = (messages: readonly { typeUrl: string; value: object }[], memo = "") => signDirect(key, encodeTxBody(messages, memo, 0n), signer);
/** TxRaw bytes as the tx JSON (what `tx sign` prints), as text. */
const jsonText = (raw: Uint8Array): string => JSON.stringify(txJson(Tx.encode(Tx.decode(raw)).finish()));
const rawOf = (r: ReturnType<typeof txFromJson>): Uint8Array => TxRaw.encode({ bodyBytes: r.bodyBytes, authInfoBytes: r.authInfoBytes, signatures: [...r.signatures] }).finish();

const send = { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: a, to_address: a, amount: [{ denom: "utrust", amount: "1" }] };
const unsigned = (msg: object, extra: object = {}) => ({
  body: { messages: [msg], memo: "", timeout_height: "0", extension_options: [], non_critical_extension_options: [] },
  auth_info: { signer_infos: [], fee: { amount: [], gas_limit: "200000", payer: "", granter: "" }, tip: null }, signatures: [], ...extra,
});
const refused = (input: unknown, message: RegExp) => assert.throws(() => txFromJson(input), (e: unknown) => e instanceof TxJsonError && message.test(e.message));

describe("txFromJson: the SDK's tx JSON read back into its proto", () => {
  test("every routed message type has a row", () => {
    const routed = buildModules().modules.flatMap((m) => (m.msgs ?? []).map((h) => h.typeUrl)).sort();
    assert.deepEqual([...new Set(ROWS.map(([t]) => t))].sort(), routed);
  });

  for (const [typeUrl, value] of ROWS) {
    test(`${typeUrl}: signed TxRaw → JSON → TxRaw is byte-identical`, async () => {
      const raw = await signed([{ typeUrl, value }], "memo ✓");
      const back = txFromJsonText(jsonText(raw));
      assert.deepEqual(rawOf(back), raw);
      assert.deepEqual(back.bodyBytes, TxRaw.decode(raw).bodyBytes, "the body bytes a signer signs");
      assert.deepEqual(back.authInfoBytes, authInfoBytes(key, signer));
    });
  }

  test("MsgEditValidator leaving rate and min self-delegation unchanged (null), and a timeout height, round-trip", () => {
    const body = encodeTxBody([{ typeUrl: `${S}MsgEditValidator`, value: { description, validatorAddress: val, commissionRate: "", minSelfDelegation: "" } }], "", 99n);
    const bytes = Tx.encode({ body: TxBody.decode(body), authInfo: undefined, signatures: [] }).finish();
    const json = txJson(bytes);
    assert.equal((json?.body as { messages: { commission_rate: unknown }[] }).messages[0]?.commission_rate, null);
    assert.deepEqual(txFromJson(JSON.parse(JSON.stringify(json))).bodyBytes, body);
  });

  test("the unsigned shape (no signer_infos, no signatures) reads; fields left out are defaults", () => {
    const r = txFromJson(unsigned(send));
    assert.deepEqual(r.signatures, []);
    assert.equal(r.tx.authInfo?.signerInfos.length, 0);
    assert.equal(r.tx.authInfo?.fee?.gasLimit, 200_000n);
    const short = txFromJson({ body: { messages: [send] } });
    assert.deepEqual(short.bodyBytes, r.bodyBytes);
  });

  test("a consensus key nested in MsgCreateValidator reads back as its Any", () => {
    const raw = encodeTxBody([{ typeUrl: `${S}MsgCreateValidator`, value: { description, commission: { rate: "1", maxRate: "2", maxChangeRate: "0" }, minSelfDelegation: "1", delegatorAddress: "", validatorAddress: val, pubkey: consAny, value: utrust("5") } }]);
    const json = txJson(Tx.encode({ body: TxBody.decode(raw), authInfo: undefined, signatures: [] }).finish());
    assert.deepEqual(txFromJson(json).bodyBytes, raw);
  });

  test("unknown or misspelt fields are refused by path, at every level", () => {
    refused(unsigned({ ...send, amont: [] }), /^body\.messages\[0\]\.amont: unknown field$/u);
    refused(unsigned({ ...send, fromAddress: a }), /^body\.messages\[0\]\.fromAddress: unknown field$/u);
    refused(unsigned({ ...send, amount: [{ denom: "utrust", amount: "1", extra: 1 }] }), /^body\.messages\[0\]\.amount\[0\]\.extra: unknown field$/u);
    refused({ ...unsigned(send), extra: 1 }, /^extra: unknown field$/u);
    refused({ ...unsigned(send), auth_info: { fee: { gas: "1" } } }, /^auth_info\.fee\.gas: unknown field$/u);
    refused({ ...unsigned(send), "@type": "/cosmos.tx.v1beta1.Tx" }, /^@type: unknown field$/u);
    refused(JSON.parse(`{"body":{"messages":[${JSON.stringify(send).replace(/^\{/u, '{"__proto__":{"x":1},')}]}}`), /__proto__: unknown field/u);
  });

  test("values of the wrong type or form are refused by path", () => {
    refused(unsigned({ "@type": "/trustnet.leasing.v1.MsgWithdrawLease", provider: a, lease_id: "04" }), /lease_id: "04" is not valid here/u);
    refused(unsigned({ "@type": "/trustnet.leasing.v1.MsgWithdrawLease", provider: 5 }), /^body\.messages\[0\]\.provider: 5 is not valid here/u);
    refused(unsigned({ "@type": "/trustnet.leasing.v1.MsgWithdrawLease", lease_id: "x" }), /^body\.messages\[0\]: not a valid \/trustnet\.leasing\.v1\.MsgWithdrawLease/u);
    refused(unsigned({ ...send, amount: "1utrust" }), /^body\.messages\[0\]\.amount: "1utrust" is not valid here \(it reads as \[\]\)$/u);
    refused({ ...unsigned(send), body: { messages: [send], timeout_height: "5.0" } }, /^body\.timeout_height: expected a uint64/u);
    refused({ ...unsigned(send), signatures: ["not base64!"] }, /^signatures\[0\]: "not base64!" is not valid here/u);
    refused({ ...unsigned(send), auth_info: { tip: { amount: [], tipper: a } } }, /^auth_info\.tip: reads as null$/u);
    refused([send], /^tx: expected an object/u);
  });

  test("as the SDK's protojson and Dec parser: a 64-bit integer as a JSON number, a LegacyDec with fewer than 18 decimals", () => {
    // The same bytes as the writer's forms ("200000", "0.100000000000000000").
    const lease = (id: unknown) => unsigned({ "@type": `${L}MsgWithdrawLease`, provider: a, lease_id: id });
    assert.deepEqual(txFromJson(lease(4)).bodyBytes, txFromJson(lease("4")).bodyBytes);
    const numbers = { ...unsigned(send), body: { messages: [send], timeout_height: 7 }, auth_info: { signer_infos: [{ sequence: 3 }], fee: { amount: [], gas_limit: 200000 } } };
    const strings = { ...unsigned(send), body: { messages: [send], timeout_height: "7" }, auth_info: { signer_infos: [{ sequence: "3" }], fee: { amount: [], gas_limit: "200000" } } };
    const n = txFromJson(numbers);
    assert.deepEqual([n.bodyBytes, n.authInfoBytes], [txFromJson(strings).bodyBytes, txFromJson(strings).authInfoBytes]);
    assert.equal(n.tx.authInfo?.fee?.gasLimit, 200_000n);
    assert.equal(n.tx.body?.timeoutHeight, 7n);
    const cancel = (h: unknown) => unsigned({ "@type": `${S}MsgCancelUnbondingDelegation`, delegator_address: a, validator_address: val, amount: utrust("1"), creation_height: h });
    assert.deepEqual(txFromJson(cancel(12)).bodyBytes, txFromJson(cancel("12")).bodyBytes, "an int64 too");
    const edit = (rate: string) => unsigned({ "@type": `${S}MsgEditValidator`, description: descriptionJson, validator_address: val, commission_rate: rate, min_self_delegation: null });
    for (const rate of ["0.1", "0.10", "0.100000000000000000"]) assert.deepEqual(txFromJson(edit(rate)).bodyBytes, txFromJson(edit("0.100000000000000000")).bodyBytes, rate);
    assert.deepEqual(txFromJson(edit("1")).bodyBytes, txFromJson(edit("1.000000000000000000")).bodyBytes);
    const create = (c: object) => unsigned({ "@type": `${S}MsgCreateValidator`, description: descriptionJson, commission: c, min_self_delegation: "1", delegator_address: "", validator_address: val, pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(consKey).toString("base64") }, value: utrust("5") });
    assert.deepEqual(txFromJson(create({ rate: "0.1", max_rate: "0.2", max_change_rate: "0.01" })).bodyBytes,
      txFromJson(create({ rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" })).bodyBytes);
    // inside an Any inside a message (MsgExec's msgs): the same forms
    const exec = (id: unknown) => unsigned({ "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: a, msgs: [{ "@type": `${L}MsgWithdrawLease`, provider: a, lease_id: id }] });
    assert.deepEqual(txFromJson(exec(4)).bodyBytes, txFromJson(exec("4")).bodyBytes);
  });

  test("and still refused: negatives, fractions and inexact numbers for integers, a number for a string, > 18 decimals, not a number", () => {
    const lease = (id: unknown) => unsigned({ "@type": `${L}MsgWithdrawLease`, provider: a, lease_id: id });
    refused(lease(-4), /^body\.messages\[0\]\.lease_id: "-4" is not valid here/u);
    refused(lease(4.5), /^body\.messages\[0\]: not a valid \/trustnet\.leasing\.v1\.MsgWithdrawLease/u);
    refused(lease(2 ** 53), /^body\.messages\[0\]\.lease_id: 9007199254740992 is not a whole number that a JSON number holds exactly/u);
    refused({ ...unsigned(send), auth_info: { fee: { amount: [], gas_limit: -1 } } }, /^auth_info\.fee\.gas_limit: expected a uint64 \(a decimal string or a whole number\), got -1$/u);
    refused({ ...unsigned(send), auth_info: { fee: { amount: [], gas_limit: 1.5 } } }, /^auth_info\.fee\.gas_limit: 1\.5 is not a whole number/u);
    refused({ ...unsigned(send), auth_info: { signer_infos: [{ sequence: 2 ** 60 }] } }, /^auth_info\.signer_infos\[0\]\.sequence: \d+ is not a whole number that a JSON number holds exactly/u);
    refused({ ...unsigned(send), body: { messages: [send], timeout_height: "x" } }, /^body\.timeout_height: expected a uint64/u);
    refused(unsigned({ "@type": `${L}MsgWithdrawLease`, provider: 5, lease_id: "4" }), /^body\.messages\[0\]\.provider: 5 is not valid here/u);
    refused(unsigned({ ...send, amount: [{ denom: "utrust", amount: 1 }] }), /^body\.messages\[0\]\.amount\[0\]\.amount: 1 is not valid here/u);
    refused(unsigned({ ...send, amont: 4 }), /^body\.messages\[0\]\.amont: unknown field$/u);
    const edit = (rate: unknown) => unsigned({ "@type": `${S}MsgEditValidator`, validator_address: val, commission_rate: rate });
    refused(edit("0.1000000000000000001"), /^body\.messages\[0\]\.commission_rate: "0\.1000000000000000001" is not a decimal with at most 18 fraction digits/u);
    for (const bad of [".5", "5.", "1e-1", "0,1", "abc", "0x1"]) refused(edit(bad), /commission_rate: .* is not a decimal with at most 18 fraction digits/u);
    refused(edit(0.1), /^body\.messages\[0\]\.commission_rate: 0\.1 is not valid here/u);
  });

  test("unknown types, multisig signers and unknown sign modes are refused", () => {
    refused(unsigned({ "@type": "/cosmos.bank.v1beta1.MsgSnd" }), /^body\.messages\[0\]\.@type: unknown message type "\/cosmos\.bank\.v1beta1\.MsgSnd"$/u);
    refused(unsigned({ from_address: a }), /^body\.messages\[0\]\.@type: expected a type URL/u);
    refused({ ...unsigned(send), auth_info: { signer_infos: [{ mode_info: { multi: { bitarray: null, mode_infos: [] } } }] } }, /signer_infos\[0\]\.mode_info: a multisig signer is not supported/u);
    refused({ ...unsigned(send), auth_info: { signer_infos: [{ mode_info: { single: { mode: "SIGN_MODE_NOPE" } } }] } }, /unknown sign mode "SIGN_MODE_NOPE"/u);
  });

  test("bounded: oversized text, deep nesting and deeply nested Anys are refused before they are walked", () => {
    assert.throws(() => txFromJsonText(" ".repeat(MAX_TX_JSON_BYTES + 1)), /larger than/u);
    assert.throws(() => txFromJsonText("{"), /^TxJsonError: not JSON/u);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    refused({ body: { messages: [{ ...send, amount: deep }] } }, /nested deeper than 24 levels/u);
    let any: object = send;
    for (let i = 0; i < 11; i++) any = { "@type": "/cosmos.authz.v1beta1.MsgExec", grantee: a, msgs: [any] };
    refused(unsigned(any), /Anys nested deeper than 10|nested deeper than 24/u);
  });
});
