// One tx per message type the app routes, encoded by the real registry (trustnetRegistry), read back through REST's
// txJson: each message's full proto3 JSON as the SDK's gateway prints it (msg-json.ts). The CLI's `tx <hash>` uses
// the same function (cli/src/commands/tx.spec.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AuthInfo, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommissionResponse } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgBeginRedelegateResponse, MsgCreateValidator, MsgUndelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { buildModules } from "../app/modules.ts";
import { encodeTxBody, trustnetRegistry } from "../client/sign-direct.ts";
import { MsgCreateLeaseResponse, MsgWithdrawLeaseResponse } from "../modules/leasing/types.ts";
import { messageJson } from "./msg-json.ts";
import { val, utrust, consKey, consAny, description, descriptionJson, S, D, L, ROWS } from "./testing/msg-rows.ts";
import { txJson } from "./tx-json.ts";


/**
 * The `<Msg>Response` the app answers for each message (TxMsgData, simulate's msg_responses) that is not empty:
 * [its bytes, its JSON without "@type"]. Every other routed message answers an empty one, `{"@type"}` alone.
 */
const RESPONSES: ReadonlyMap<string, readonly [Uint8Array, object]> = new Map<string, readonly [Uint8Array, object]>([
  [`${S}MsgUndelegateResponse`, [MsgUndelegateResponse.encode({ completionTime: { seconds: 1_765_000_000n, nanos: 0 }, amount: utrust("3") }).finish(),
    { completion_time: "2025-12-06T05:46:40Z", amount: utrust("3") }]],
  [`${S}MsgBeginRedelegateResponse`, [MsgBeginRedelegateResponse.encode({ completionTime: { seconds: 1_765_000_000n, nanos: 500_000_000 } }).finish(),
    { completion_time: "2025-12-06T05:46:40.500Z" }]],
  [`${D}MsgWithdrawDelegatorRewardResponse`, [MsgWithdrawDelegatorRewardResponse.encode({ amount: [utrust("12")] }).finish(), { amount: [utrust("12")] }]],
  [`${D}MsgWithdrawValidatorCommissionResponse`, [MsgWithdrawValidatorCommissionResponse.encode({ amount: [] }).finish(), { amount: [] }]],
  [`${L}MsgCreateLeaseResponse`, [MsgCreateLeaseResponse.encode({ leaseId: 4n }).finish(), { lease_id: "4" }]],
  [`${L}MsgWithdrawLeaseResponse`, [MsgWithdrawLeaseResponse.encode({ paid: "90", rewards: "7", take: "10" }).finish(), { paid: "90", rewards: "7", take: "10" }]],
]);

/** A tx of `messages` (cosmjs' encoding) as REST's /cosmos/tx/v1beta1/txs/{hash} decodes it. */
function restMessages(messages: readonly { typeUrl: string; value: object }[]): unknown[] {
  const bytes = Tx.encode({ body: TxBody.decode(encodeTxBody(messages)), authInfo: undefined, signatures: [] }).finish();
  return (txJson(bytes)?.body as { messages: unknown[] }).messages;
}

describe("messageJson: a tx's messages as the SDK's gateway prints them (REST and the CLI)", () => {
  test("every message type the app routes has a row", () => {
    const routed = buildModules().modules.flatMap((m) => (m.msgs ?? []).map((h) => h.typeUrl)).sort();
    assert.deepEqual([...new Set(ROWS.map(([t]) => t))].sort(), routed);
  });

  for (const [typeUrl, value, json] of ROWS) {
    test(typeUrl, () => {
      const [got] = restMessages([{ typeUrl, value }]);
      assert.deepEqual(got, { "@type": typeUrl, ...json });
      assert.equal(Object.keys(got as object)[0], "@type");
      assert.deepEqual(messageJson({ typeUrl, value: trustnetRegistry().encode({ typeUrl, value }) }), got, "the CLI's decoder is the same");
    });
  }

  test("every routed message's <Msg>Response decodes to the gateway's JSON (simulate's msg_responses)", () => {
    const routed = buildModules().modules.flatMap((m) => (m.msgs ?? []).map((h) => h.typeUrl));
    assert.deepEqual([...RESPONSES.keys()].filter((t) => !routed.includes(t.replace(/Response$/u, ""))), [], "every non-empty row answers a routed message");
    for (const typeUrl of routed.map((t) => `${t}Response`)) {
      const [bytes, json] = RESPONSES.get(typeUrl) ?? [new Uint8Array(), {}];
      assert.deepEqual(messageJson({ typeUrl, value: bytes }), { "@type": typeUrl, ...json }, typeUrl);
    }
  });

  test("MsgEditValidator leaving the rate and min self-delegation unchanged: null, as the gateway prints a nil LegacyDec/Int", () => {
    const [got] = restMessages([{ typeUrl: `${S}MsgEditValidator`, value: { description, validatorAddress: val, commissionRate: "", minSelfDelegation: "" } }]);
    assert.deepEqual(got, { "@type": `${S}MsgEditValidator`, description: descriptionJson, validator_address: val, commission_rate: null, min_self_delegation: null });
  });

  test("zero values are present (EmitDefaults), an unset message field is null", () => {
    const [got] = restMessages([{ typeUrl: `${S}MsgCreateValidator`, value: {} }]);
    assert.deepEqual(got, {
      "@type": `${S}MsgCreateValidator`, description: { moniker: "", identity: "", website: "", security_contact: "", details: "" },
      commission: { rate: "0.000000000000000000", max_rate: "0.000000000000000000", max_change_rate: "0.000000000000000000" },
      min_self_delegation: "0", delegator_address: "", validator_address: "", pubkey: null, value: { denom: "", amount: "" },
    });
    const [lease] = restMessages([{ typeUrl: `${L}MsgWithdrawLease`, value: { provider: "" } }]);
    assert.deepEqual(lease, { "@type": `${L}MsgWithdrawLease`, provider: "", lease_id: "0" });
  });

  test("public keys: secp256k1 and ed25519 as {\"@type\", \"key\"}", () => {
    const k = new Uint8Array(33).fill(2);
    assert.deepEqual(messageJson({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: k }).finish() }),
      { "@type": "/cosmos.crypto.secp256k1.PubKey", key: Buffer.from(k).toString("base64") });
    assert.deepEqual(messageJson(consAny), { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(consKey).toString("base64") });
  });

  test("a multisig signer (LegacyAminoPubKey): threshold and its keys as the gateway prints them, sign modes by name", () => {
    const keys = [new Uint8Array(33).fill(2), new Uint8Array(33).fill(3), new Uint8Array(33).fill(4)];
    const keyAny = (k: Uint8Array) => ({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: k }).finish() });
    const multisig = { typeUrl: "/cosmos.crypto.multisig.LegacyAminoPubKey", value: LegacyAminoPubKey.encode({ threshold: 2, publicKeys: keys.map(keyAny) }).finish() };
    const amino = { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } };
    const authInfo = AuthInfo.fromPartial({
      signerInfos: [{ publicKey: multisig, modeInfo: { multi: { bitarray: { extraBitsStored: 3, elems: new Uint8Array([0b1100_0000]) }, modeInfos: [amino, amino] } }, sequence: 3n }],
      fee: { amount: [utrust("5000")], gasLimit: 200_000n },
    });
    const bytes = Tx.encode({ body: TxBody.decode(encodeTxBody([])), authInfo, signatures: [new Uint8Array([1])] }).finish();
    const signer = ((txJson(bytes)?.auth_info as { signer_infos: unknown[] }).signer_infos)[0];
    const keyJson = (k: Uint8Array) => ({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: Buffer.from(k).toString("base64") });
    const aminoJson = { single: { mode: "SIGN_MODE_LEGACY_AMINO_JSON" } };
    assert.deepEqual(signer, {
      public_key: { "@type": "/cosmos.crypto.multisig.LegacyAminoPubKey", threshold: 2, public_keys: keys.map(keyJson) },
      mode_info: { multi: { bitarray: { extra_bits_stored: 3, elems: "wA==" }, mode_infos: [aminoJson, aminoJson] } },
      sequence: "3",
    });
    assert.deepEqual(messageJson(multisig), (signer as { public_key: unknown }).public_key, "the CLI's decoder is the same");
  });

  test("Anys nested deeper than the SDK's MaxUnpackAnyRecursionDepth (10) keep their bytes: a hostile tx is not decoded at every level", () => {
    const create = (pubkey?: { typeUrl: string; value: Uint8Array }) => MsgCreateValidator.encode({ ...MsgCreateValidator.fromPartial({}), pubkey }).finish();
    let bytes = create(consAny);
    for (let i = 0; i < 2000; i++) bytes = create({ typeUrl: `${S}MsgCreateValidator`, value: bytes });
    let j = messageJson({ typeUrl: `${S}MsgCreateValidator`, value: bytes }) as { pubkey?: unknown; value?: unknown } | null;
    let decoded = 0;
    while (j && typeof j.pubkey === "object" && j.pubkey !== null) {
      j = j.pubkey as typeof j;
      decoded++;
    }
    assert.equal(decoded, 10, "ten Anys below the message, the tenth as its bytes");
    assert.equal(typeof j?.value, "string");
    let shallow = create(consAny);
    for (let i = 0; i < 8; i++) shallow = create({ typeUrl: `${S}MsgCreateValidator`, value: shallow });
    let k = messageJson({ typeUrl: `${S}MsgCreateValidator`, value: shallow }) as { pubkey?: unknown } | null;
    for (let i = 0; i < 9; i++) k = k?.pubkey as typeof k;
    assert.deepEqual(k, { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(consKey).toString("base64") }, "nine levels deep, the consensus key is still decoded");
  });

  test("a type the chain does not route, or bytes that do not decode, keep their bytes as base64; no Any is null", () => {
    assert.deepEqual(messageJson({ typeUrl: "/other.v1.MsgThing", value: new Uint8Array([1, 2, 3]) }), { "@type": "/other.v1.MsgThing", value: "AQID" });
    assert.deepEqual(messageJson({ typeUrl: `${S}MsgDelegate`, value: new Uint8Array([0x0a, 0x05, 0x61]) }), { "@type": `${S}MsgDelegate`, value: "CgVh" });
    assert.deepEqual(messageJson({ typeUrl: "/cosmos.crypto.ed25519.PubKey", value: new Uint8Array([0xff]) }), { "@type": "/cosmos.crypto.ed25519.PubKey", value: "/w==" });
    assert.equal(messageJson(undefined), null);
  });
});
