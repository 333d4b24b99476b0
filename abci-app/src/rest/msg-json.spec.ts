// One tx per message type the app routes, encoded by the real registry (trustnetRegistry), read back through REST's
// txJson: each message's full proto3 JSON as the SDK's gateway prints it (msg-json.ts). The CLI's `tx <hash>` uses
// the same function (cli/src/commands/tx.spec.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AuthInfo, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommissionResponse } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgBeginRedelegateResponse, MsgCreateValidator, MsgUndelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { buildModules } from "../app/modules.ts";
import { encodeTxBody, trustnetRegistry } from "../client/sign-direct.ts";
import { MsgCreateLeaseResponse, MsgWithdrawLeaseResponse } from "../modules/leasing/types.ts";
import { messageJson } from "./msg-json.ts";
import { txJson } from "./tx-json.ts";

const a = "trust1qyqszqgpqyqszqgpqyqszqgpqyqszqgpggtqkm";
const b = "trust1qgqsyqcyq5rqwzqfpg9scrgwpugpzysnxj3k8r";
const val = "trustvaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpcqsgqe";
const val2 = "trustvaloper1qgqsyqcyq5rqwzqfpg9scrgwpugpzysnw0qnl9";
const utrust = (amount: string) => ({ denom: "utrust", amount });
const consKey = new Uint8Array(32).fill(7);
const consAny = { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey }).finish() };
const description = { moniker: "v", identity: "", website: "https://v.example", securityContact: "", details: "" };
const descriptionJson = { moniker: "v", identity: "", website: "https://v.example", security_contact: "", details: "" };
const S = "/cosmos.staking.v1beta1.";
const D = "/cosmos.distribution.v1beta1.";
const R = "/trustnet.registry.v1.";
const L = "/trustnet.leasing.v1.";
const resources = { cpuMillis: 2000n, memoryMib: 4096n, diskGib: 20n, bandwidthMbps: 100n };
const resourcesJson = { cpu_millis: "2000", memory_mib: "4096", disk_gib: "20", bandwidth_mbps: "100" };
const prices = { priceCpu: 10n, priceMemory: 2n, priceDisk: 1n, priceBandwidth: 0n };
const pricesJson = { price_cpu: "10", price_memory: "2", price_disk: "1", price_bandwidth: "0" };

/** [type URL, the message as cosmjs encodes it, its JSON without "@type"]. */
const ROWS: readonly (readonly [string, object, object])[] = [
  ["/cosmos.bank.v1beta1.MsgSend", { fromAddress: a, toAddress: b, amount: [utrust("1500000")] }, { from_address: a, to_address: b, amount: [utrust("1500000")] }],
  ["/cosmos.bank.v1beta1.MsgMultiSend", { inputs: [{ address: a, coins: [utrust("2")] }], outputs: [{ address: b, coins: [utrust("1")] }, { address: a, coins: [utrust("1")] }] },
    { inputs: [{ address: a, coins: [utrust("2")] }], outputs: [{ address: b, coins: [utrust("1")] }, { address: a, coins: [utrust("1")] }] }],
  [`${S}MsgCreateValidator`, {
    description, commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" }, minSelfDelegation: "1",
    delegatorAddress: "", validatorAddress: val, pubkey: consAny, value: utrust("5000000"),
  }, {
    description: descriptionJson, commission: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" },
    min_self_delegation: "1", delegator_address: "", validator_address: val, pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(consKey).toString("base64") },
    value: utrust("5000000"),
  }],
  [`${S}MsgEditValidator`, { description, validatorAddress: val, commissionRate: "120000000000000000", minSelfDelegation: "10" },
    { description: descriptionJson, validator_address: val, commission_rate: "0.120000000000000000", min_self_delegation: "10" }],
  [`${S}MsgDelegate`, { delegatorAddress: a, validatorAddress: val, amount: utrust("7") }, { delegator_address: a, validator_address: val, amount: utrust("7") }],
  [`${S}MsgUndelegate`, { delegatorAddress: a, validatorAddress: val, amount: utrust("3") }, { delegator_address: a, validator_address: val, amount: utrust("3") }],
  [`${S}MsgBeginRedelegate`, { delegatorAddress: a, validatorSrcAddress: val, validatorDstAddress: val2, amount: utrust("2") },
    { delegator_address: a, validator_src_address: val, validator_dst_address: val2, amount: utrust("2") }],
  [`${S}MsgCancelUnbondingDelegation`, { delegatorAddress: a, validatorAddress: val, amount: utrust("1"), creationHeight: 12n },
    { delegator_address: a, validator_address: val, amount: utrust("1"), creation_height: "12" }],
  [`${D}MsgWithdrawDelegatorReward`, { delegatorAddress: a, validatorAddress: val }, { delegator_address: a, validator_address: val }],
  [`${D}MsgWithdrawValidatorCommission`, { validatorAddress: val }, { validator_address: val }],
  [`${D}MsgSetWithdrawAddress`, { delegatorAddress: a, withdrawAddress: b }, { delegator_address: a, withdraw_address: b }],
  ["/cosmos.slashing.v1beta1.MsgUnjail", { validatorAddr: val }, { validator_addr: val }],
  [`${R}MsgClaimNamespace`, { owner: a, namespace: "acme" }, { owner: a, namespace: "acme" }],
  [`${R}MsgTransferNamespace`, { owner: a, namespace: "acme", newOwner: b }, { owner: a, namespace: "acme", new_owner: b }],
  [`${R}MsgReleaseNamespace`, { owner: a, namespace: "acme" }, { owner: a, namespace: "acme" }],
  [`${R}MsgRegisterRegistry`, { operator: a, endpoint: "http://127.0.0.1:8000" }, { operator: a, endpoint: "http://127.0.0.1:8000" }],
  [`${R}MsgRecordTag`, { operator: a, namespace: "acme", repo: "app", tag: "v1", digest: `sha256:${"a".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1234n, pusher: b },
    { operator: a, namespace: "acme", repo: "app", tag: "v1", digest: `sha256:${"a".repeat(64)}`, media_type: "application/vnd.oci.image.manifest.v1+json", size: "1234", pusher: b }],
  [`${R}MsgDeleteTag`, { operator: a, namespace: "acme", repo: "app", tag: "v1" }, { operator: a, namespace: "acme", repo: "app", tag: "v1" }],
  [`${R}MsgAuthorizeRegistry`, { owner: a, namespace: "acme", operator: b }, { owner: a, namespace: "acme", operator: b }],
  [`${R}MsgRevokeRegistry`, { owner: a, namespace: "acme", operator: b }, { owner: a, namespace: "acme", operator: b }],
  [`${R}MsgAddMember`, { owner: a, namespace: "acme", member: b }, { owner: a, namespace: "acme", member: b }],
  [`${R}MsgRemoveMember`, { owner: a, namespace: "acme", member: b }, { owner: a, namespace: "acme", member: b }],
  [`${L}MsgRegisterProvider`, { owner: a, endpoint: "https://p.example", region: "eu", ...resources, ...prices, images: ["ubuntu-24.04"], attributes: ["tier=gold"], bond: [utrust("1000")] },
    { owner: a, endpoint: "https://p.example", region: "eu", ...resourcesJson, ...pricesJson, images: ["ubuntu-24.04"], attributes: ["tier=gold"], bond: [utrust("1000")] }],
  [`${L}MsgUpdateProvider`, { owner: a, endpoint: "https://p.example", region: "eu", ...resources, ...prices, images: [], attributes: [], pause: 1n },
    { owner: a, endpoint: "https://p.example", region: "eu", ...resourcesJson, ...pricesJson, images: [], attributes: [], pause: "1" }],
  [`${L}MsgDeregisterProvider`, { owner: a }, { owner: a }],
  [`${L}MsgCreateLease`, { tenant: b, provider: a, ...resources, image: "ubuntu-24.04", sshPubkeys: ["ssh-ed25519 AAAA t@h"], maxPricePerBlock: [utrust("50")], deposit: [utrust("5000")] },
    { tenant: b, provider: a, ...resourcesJson, image: "ubuntu-24.04", ssh_pubkeys: ["ssh-ed25519 AAAA t@h"], max_price_per_block: [utrust("50")], deposit: [utrust("5000")] }],
  [`${L}MsgLeaseReady`, { provider: a, leaseId: 4n, sshHost: "10.0.0.4", sshPort: 2222n, hostKeyFingerprint: "SHA256:x", hostPublicKey: "ssh-ed25519 AAAA" },
    { provider: a, lease_id: "4", ssh_host: "10.0.0.4", ssh_port: "2222", host_key_fingerprint: "SHA256:x", host_public_key: "ssh-ed25519 AAAA" }],
  [`${L}MsgDepositLease`, { depositor: b, leaseId: 4n, amount: [utrust("100")] }, { depositor: b, lease_id: "4", amount: [utrust("100")] }],
  [`${L}MsgWithdrawLease`, { provider: a, leaseId: 4n }, { provider: a, lease_id: "4" }],
  [`${L}MsgCloseLease`, { sender: b, leaseId: 4n }, { sender: b, lease_id: "4" }],
];

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
