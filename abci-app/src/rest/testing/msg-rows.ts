// One message of every type the app routes, as cosmjs encodes it and as the SDK's gateway prints it (msg-json.ts):
// the rows msg-json.spec.ts and tx-from-json.spec.ts check the writer and the reader with.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";

export const a = "trust1qyqszqgpqyqszqgpqyqszqgpqyqszqgpggtqkm";
const b = "trust1qgqsyqcyq5rqwzqfpg9scrgwpugpzysnxj3k8r";
export const val = "trustvaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpcqsgqe";
const val2 = "trustvaloper1qgqsyqcyq5rqwzqfpg9scrgwpugpzysnw0qnl9";
export const utrust = (amount: string) => ({ denom: "utrust", amount });
export const consKey = new Uint8Array(32).fill(7);
export const consAny = { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey }).finish() };
export const description = { moniker: "v", identity: "", website: "https://v.example", securityContact: "", details: "" };
export const descriptionJson = { moniker: "v", identity: "", website: "https://v.example", security_contact: "", details: "" };
export const S = "/cosmos.staking.v1beta1.";
export const D = "/cosmos.distribution.v1beta1.";
const R = "/trustnet.registry.v1.";
export const L = "/trustnet.leasing.v1.";
const resources = { cpuMillis: 2000n, memoryMib: 4096n, diskGib: 20n, bandwidthMbps: 100n };
const resourcesJson = { cpu_millis: "2000", memory_mib: "4096", disk_gib: "20", bandwidth_mbps: "100" };
const prices = { priceCpu: 10n, priceMemory: 2n, priceDisk: 1n, priceBandwidth: 0n };
const pricesJson = { price_cpu: "10", price_memory: "2", price_disk: "1", price_bandwidth: "0" };

/** [type URL, the message as cosmjs encodes it, its JSON without "@type"]. */
export const ROWS: readonly (readonly [string, object, object])[] = [
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
