// The registry module through the app (no sockets): namespaces, operators, tag records and their history.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { StateStore } from "../../store/index.ts";
import { TrustNetApp } from "../../app/trustnet-app.ts";
import { signTx, testKey, type TestKey } from "../../app/testing/tx-builder.ts";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { abciRpc, RegistryQueryClient } from "../../client/query-clients.ts";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { moduleAddress } from "../../sdk/address.ts";
import { QueryParamsRequest, QueryParamsResponse } from "./types.ts";
import { sendMsg } from "../../app/testing/tx-builder.ts";
import { QueryNamespaceRightsRequest, QueryNamespaceRightsResponse, QueryRightsAtRequest, QueryRightsAtResponse, QueryNamespaceRequest, QueryNamespaceResponse, QueryNamespacesByOwnerRequest, QueryNamespacesResponse, QueryReposRequest, QueryReposResponse, QueryTagHistoryRequest, QueryTagRecordsResponse, QueryTagsRequest, MsgClaimNamespace, TagRecord } from "./types.ts";

const CHAIN = "trustnet-local-1";
const D1 = "sha256:" + "a".repeat(64);
const D2 = "sha256:" + "b".repeat(64);
const P = "/trustnet.registry.v1.";

describe("registry module", async () => {
  const [alice, bob, op, eve, poor] = await Promise.all([1, 2, 3, 4, 5].map(testKey)) as [TestKey, TestKey, TestKey, TestKey, TestKey];
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-reg-")), "s.db")), checkInvariants: true });
  app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify({
      auth: { accounts: [alice, bob, op, eve].map((k) => ({ address: k.address })) },
      bank: { balances: [alice, bob, op, eve].map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "100000000" }] })) },
      registry: { registries: [{ operator: op.address, endpoint: "http://127.0.0.1:8000" }], namespaces: [{ namespace: "library", owner: op.address }] },
    })),
  });
  const seq = new Map<string, bigint>();
  let height = 0n;
  /** The signer's account number: the genesis accounts' in order; poor's as auth made it when alice funded it. */
  const acct = (k: TestKey): bigint => {
    const i = [alice, bob, op, eve].indexOf(k);
    if (i >= 0) return BigInt(i);
    const r = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address: k.address }).finish(), height: 0n, prove: false });
    return BaseAccount.decode(QueryAccountResponse.decode(r.value as Uint8Array).account!.value).accountNumber;
  };
  async function exec(k: TestKey, msg: EncodeObject): Promise<{ code: number; log: string; codespace: string }> {
    const s = seq.get(k.address) ?? 0n;
    const tx = await signTx(k, [msg], { chainId: CHAIN, accountNumber: acct(k), sequence: s });
    height++;
    const r = app.finalizeBlock({ txs: [tx], height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    app.commit();
    seq.set(k.address, s + 1n);
    const res = r.txResults![0]!;
    return { code: res.code, log: res.log, codespace: res.codespace };
  }
  const q = <T>(method: string, req: Uint8Array, dec: { decode(b: Uint8Array): T }): T => {
    const r = app.query({ path: `${P}Query/${method}`, data: req, height: 0n, prove: false });
    assert.equal(r.code, 0, r.log);
    return dec.decode(r.value as Uint8Array);
  };

  test("claim, transfer and release a namespace; only its owner may", async () => {
    assert.equal((await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "acme" } })).code, 0);
    const taken = await exec(bob, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: bob.address, namespace: "acme" } });
    assert.deepEqual([taken.codespace, taken.code], ["registry", 3]);
    const notOwner = await exec(bob, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: bob.address, namespace: "acme", newOwner: bob.address } });
    assert.deepEqual([notOwner.codespace, notOwner.code], ["registry", 5]);
    assert.equal(q("Namespace", QueryNamespaceRequest.encode({ namespace: "acme" }).finish(), QueryNamespaceResponse).namespace[0]?.owner, alice.address);
    assert.equal((await exec(alice, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: alice.address, namespace: "acme", newOwner: bob.address } })).code, 0);
    assert.deepEqual(q("NamespacesByOwner", QueryNamespacesByOwnerRequest.encode({ owner: bob.address, pagination: [] }).finish(), QueryNamespacesResponse).namespaces.map((n) => n.namespace), ["acme"]);
    assert.equal((await exec(bob, { typeUrl: `${P}MsgReleaseNamespace`, value: { owner: bob.address, namespace: "acme" } })).code, 0);
    const gone = app.query({ path: `${P}Query/Namespace`, data: QueryNamespaceRequest.encode({ namespace: "acme" }).finish(), height: 0n, prove: false });
    assert.equal(gone.code, 22);
    for (const bad of ["", "UPPER", "a..b", "-x", "x".repeat(65), "a/b", "../etc"]) {
      const r = await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: bad } });
      assert.deepEqual([r.codespace, r.code], ["registry", 2], bad);
      seq.set(alice.address, (seq.get(alice.address) ?? 1n) - 1n); // rejected in validateBasic: no sequence bump
    }
  });

  test("a claim locks namespace_deposit in the registry module account; a transfer keeps it with the namespace; the release refunds it", async () => {
    const FEE = 5000n; // the default fee of a 200,000-gas tx
    const DEPOSIT = 1_000_000n; // DefaultParams.namespaceDeposit: this genesis names no params
    const balance = (address: string): bigint => {
      const r = app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom: "utrust" }).finish(), height: 0n, prove: false });
      return BigInt(QueryBalanceResponse.decode(r.value as Uint8Array).balance?.amount ?? "0");
    };
    const escrow = moduleAddress("registry");
    const info = (namespace: string) => q("Namespace", QueryNamespaceRequest.encode({ namespace }).finish(), QueryNamespaceResponse).namespace[0];
    assert.deepEqual(q("Params", QueryParamsRequest.encode({}).finish(), QueryParamsResponse).params, [{ namespaceDeposit: [{ denom: "utrust", amount: "1000000" }] }]);
    assert.deepEqual(info("library")?.deposit, [], "a genesis namespace without a deposit holds none");

    const [a0, e0] = [balance(alice.address), balance(escrow)];
    assert.equal((await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "escrowed" } })).code, 0);
    assert.deepEqual([a0 - balance(alice.address), balance(escrow) - e0], [FEE + DEPOSIT, DEPOSIT]);
    assert.deepEqual(info("escrowed"), { namespace: "escrowed", owner: alice.address, deposit: [{ denom: "utrust", amount: "1000000" }] });
    const listed = q("NamespacesByOwner", QueryNamespacesByOwnerRequest.encode({ owner: alice.address, pagination: [] }).finish(), QueryNamespacesResponse).namespaces;
    assert.deepEqual(listed.find((n) => n.namespace === "escrowed")?.deposit, [{ denom: "utrust", amount: "1000000" }]);

    // Refusals change nothing but the fee and sequence: a taken name, a release or transfer by another key.
    const b0 = balance(bob.address);
    const taken = await exec(bob, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: bob.address, namespace: "escrowed" } });
    assert.deepEqual([taken.codespace, taken.code], ["registry", 3]);
    const stolen = await exec(bob, { typeUrl: `${P}MsgReleaseNamespace`, value: { owner: bob.address, namespace: "escrowed" } });
    assert.deepEqual([stolen.codespace, stolen.code], ["registry", 5]);
    assert.deepEqual([b0 - balance(bob.address), balance(escrow) - e0, info("escrowed")?.owner], [2n * FEE, DEPOSIT, alice.address]);

    // The deposit goes with the namespace: bob, its new owner, gets it back when he releases it.
    assert.equal((await exec(alice, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: alice.address, namespace: "escrowed", newOwner: bob.address } })).code, 0);
    assert.deepEqual(info("escrowed")?.deposit, [{ denom: "utrust", amount: "1000000" }]);
    const [a1, b1] = [balance(alice.address), balance(bob.address)];
    assert.equal((await exec(bob, { typeUrl: `${P}MsgReleaseNamespace`, value: { owner: bob.address, namespace: "escrowed" } })).code, 0);
    assert.deepEqual([balance(alice.address) - a1, balance(bob.address) - b1, balance(escrow) - e0], [0n, DEPOSIT - FEE, 0n]);

    // A claimer who cannot pay the deposit after the fee: insufficient funds (sdk 5), the namespace stays unclaimed.
    assert.equal((await exec(alice, sendMsg(alice.address, poor.address, String(FEE + DEPOSIT - 1n)))).code, 0);
    const poorClaim = await exec(poor, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: poor.address, namespace: "poor" } });
    assert.deepEqual([poorClaim.codespace, poorClaim.code], ["sdk", 5], poorClaim.log);
    assert.match(poorClaim.log, /claiming poor locks a deposit of 1000000utrust \(refunded on release\), but trust1\w+ holds 999999utrust after the fee/);
    const unclaimed = app.query({ path: `${P}Query/Namespace`, data: QueryNamespaceRequest.encode({ namespace: "poor" }).finish(), height: 0n, prove: false }).code;
    assert.deepEqual([balance(poor.address), balance(escrow) - e0, unclaimed], [DEPOSIT - 1n, 0n, 22], "only the fee was paid; poor is not claimed");
  });

  test("a namespace is not transferred to its owner or to a module account (no one could release it)", async () => {
    assert.equal((await exec(eve, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: eve.address, namespace: "kept" } })).code, 0);
    const owner = () => q("Namespace", QueryNamespaceRequest.encode({ namespace: "kept" }).finish(), QueryNamespaceResponse).namespace[0]?.owner;
    const toSelf = await exec(eve, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: eve.address, namespace: "kept", newOwner: eve.address } });
    assert.deepEqual([toSelf.codespace, toSelf.code], ["registry", 12], toSelf.log);
    assert.match(toSelf.log, /already owns namespace kept/);
    for (const module of ["registry", "distribution", "bonded_tokens_pool"]) {
      const r = await exec(eve, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: eve.address, namespace: "kept", newOwner: moduleAddress(module) } });
      assert.deepEqual([r.codespace, r.code], ["sdk", 4], `${module}: ${r.log}`);
      assert.match(r.log, /is a module account/);
    }
    assert.equal(owner(), eve.address, "refusals change nothing");
  });

  test("a genesis is refused unless the registry module account holds exactly its namespaces' deposits", () => {
    const init = (registryBalance: string | undefined) => {
      const fresh = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-reg-gen-")), "s.db")) });
      const balances = [{ address: alice.address, coins: [{ denom: "utrust", amount: "100" }] }];
      if (registryBalance !== undefined) balances.push({ address: moduleAddress("registry"), coins: [{ denom: "utrust", amount: registryBalance }] });
      return fresh.initChain({
        time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], initialHeight: 1n,
        appStateBytes: new TextEncoder().encode(JSON.stringify({
          auth: { accounts: [{ address: alice.address }] }, bank: { balances },
          registry: { namespaces: [{ namespace: "held", owner: alice.address, deposit: { denom: "utrust", amount: "5" } }] },
        })),
      });
    };
    assert.throws(() => init(undefined), /genesis app_state\.registry disagrees .* registry\/deposits is broken: the registry module account holds 0utrust, the namespaces' deposits sum to 5utrust/);
    assert.throws(() => init("6"), /holds 6utrust, the namespaces' deposits sum to 5utrust/);
    assert.ok(init("5").appHash, "the bank section funds the module account with the deposits: it loads");
  });

  test("only a registered operator records tags; history keeps every digest; deletion is recorded", async () => {
    await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "alice" } });
    assert.equal((await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "alice", operator: op.address } })).code, 0);
    const rec = { operator: op.address, namespace: "alice", repo: "web/app", tag: "1", digest: D1, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1234n, pusher: alice.address };
    const forged = await exec(bob, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: bob.address } });
    assert.deepEqual([forged.codespace, forged.code], ["registry", 6]);
    assert.equal((await exec(op, { typeUrl: `${P}MsgRecordTag`, value: rec })).code, 0);
    assert.equal((await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, digest: D2 } })).code, 0);
    const tags = q("Tags", QueryTagsRequest.encode({ namespace: "alice", repo: "web/app", pagination: [] }).finish(), QueryTagRecordsResponse).records;
    assert.deepEqual(tags.map((t) => [t.tag, t.digest, t.size, t.pusher]), [["1", D2, 1234n, alice.address]]);
    assert.deepEqual(q("Repos", QueryReposRequest.encode({ namespace: "alice", pagination: [] }).finish(), QueryReposResponse).repos, ["web/app"]);
    assert.equal((await exec(op, { typeUrl: `${P}MsgDeleteTag`, value: { operator: op.address, namespace: "alice", repo: "web/app", tag: "1" } })).code, 0);
    const hist = q("TagHistory", QueryTagHistoryRequest.encode({ namespace: "alice", repo: "web/app", tag: "1", pagination: [] }).finish(), QueryTagRecordsResponse).records;
    assert.deepEqual(hist.map((h) => h.digest), [D1, D2, ""]);
    assert.ok(hist.every((h, i) => i === 0 || h.height > hist[i - 1]!.height));
    for (const bad of [{ digest: "md5:abc" }, { tag: "-bad" }, { repo: "Up/Case" }, { namespace: "nobody" }]) {
      const r = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, ...bad } });
      assert.notEqual(r.code, 0, JSON.stringify(bad));
      if (r.code !== 4) seq.set(op.address, seq.get(op.address)! - 1n);
    }
  });

  test("issue 11: a registered operator the owner did not authorise cannot record or delete a tag; pushers must be owner or member", async () => {
    assert.equal((await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "acme" } })).code, 0);
    // eve registers her own registry: open, and gives no right over anyone's namespace
    assert.equal((await exec(eve, { typeUrl: `${P}MsgRegisterRegistry`, value: { operator: eve.address, endpoint: "http://evil.example:8000" } })).code, 0);
    const rec = { operator: eve.address, namespace: "acme", repo: "app", tag: "1", digest: D1, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1n, pusher: alice.address };
    const forged = await exec(eve, { typeUrl: `${P}MsgRecordTag`, value: rec });
    assert.deepEqual([forged.codespace, forged.code], ["registry", 10], forged.log);
    assert.match(forged.log, /not authorised by the owner of acme/);
    assert.deepEqual(q("Tags", QueryTagsRequest.encode({ namespace: "acme", repo: "app", pagination: [] }).finish(), QueryTagRecordsResponse).records, []);
    // the owner authorises op (a registered registry); eve still cannot record, or delete what op recorded
    const auth = { owner: alice.address, namespace: "acme", operator: op.address };
    assert.equal((await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: auth })).code, 0);
    const twice = await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: auth });
    assert.deepEqual([twice.codespace, twice.code], ["registry", 12]);
    const notOwner = await exec(bob, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: bob.address, namespace: "acme", operator: bob.address } });
    assert.deepEqual([notOwner.codespace, notOwner.code], ["registry", 5]);
    const unregistered = await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { ...auth, operator: bob.address } });
    assert.deepEqual([unregistered.codespace, unregistered.code], ["registry", 6]);
    const okRec = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: op.address } });
    assert.equal(okRec.code, 0, okRec.log);
    const recordHeight = height;
    const del = await exec(eve, { typeUrl: `${P}MsgDeleteTag`, value: { operator: eve.address, namespace: "acme", repo: "app", tag: "1" } });
    assert.deepEqual([del.codespace, del.code], ["registry", 10]);
    assert.equal(q("Tags", QueryTagsRequest.encode({ namespace: "acme", repo: "app", pagination: [] }).finish(), QueryTagRecordsResponse).records[0]?.digest, D1);
    // the pusher must be the owner or a member
    const stranger = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: op.address, pusher: bob.address, digest: D2 } });
    assert.deepEqual([stranger.codespace, stranger.code], ["registry", 11]);
    assert.equal((await exec(alice, { typeUrl: `${P}MsgAddMember`, value: { owner: alice.address, namespace: "acme", member: bob.address } })).code, 0);
    assert.equal((await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: op.address, pusher: bob.address, digest: D2 } })).code, 0);
    const rights = q("NamespaceRights", QueryNamespaceRightsRequest.encode({ namespace: "acme" }).finish(), QueryNamespaceRightsResponse);
    assert.deepEqual(rights, { owner: alice.address, authorized: [op.address], members: [bob.address] });
    assert.equal((await exec(alice, { typeUrl: `${P}MsgRemoveMember`, value: { owner: alice.address, namespace: "acme", member: bob.address } })).code, 0);
    const removed = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: op.address, pusher: bob.address } });
    assert.deepEqual([removed.codespace, removed.code], ["registry", 11]);
    // a malformed member address is refused before anything runs (no sequence bump, no state change)
    for (const member of ["", "trust1notanaddress", "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a", alice.address.slice(0, -1) + "x"]) {
      const bad = await exec(alice, { typeUrl: `${P}MsgAddMember`, value: { owner: alice.address, namespace: "acme", member } });
      assert.notEqual(bad.code, 0, member);
      assert.match(bad.log, /member/, member);
      seq.set(alice.address, seq.get(alice.address)! - 1n);
    }
    assert.deepEqual(q("NamespaceRights", QueryNamespaceRightsRequest.encode({ namespace: "acme" }).finish(), QueryNamespaceRightsResponse).members, []);
    // revoke: the next record is refused and nothing is recorded
    assert.equal((await exec(alice, { typeUrl: `${P}MsgRevokeRegistry`, value: auth })).code, 0);
    const revokedAt = height;
    const after = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, operator: op.address, digest: D2 } });
    assert.deepEqual([after.codespace, after.code], ["registry", 10]);
    const again = await exec(alice, { typeUrl: `${P}MsgRevokeRegistry`, value: auth });
    assert.deepEqual([again.codespace, again.code], ["registry", 10]);
    const hist = q("TagHistory", QueryTagHistoryRequest.encode({ namespace: "acme", repo: "app", tag: "1", pagination: [] }).finish(), QueryTagRecordsResponse).records;
    assert.deepEqual(hist.map((h) => [h.digest, h.pusher]), [[D1, alice.address], [D2, bob.address]]);
    // rights as of a height (what `registry verify` asks)
    const at = (h: bigint, operator: string, pusher: string) =>
      q("RightsAt", QueryRightsAtRequest.encode({ namespace: "acme", operator, pusher, height: h }).finish(), QueryRightsAtResponse);
    assert.deepEqual(at(recordHeight, op.address, alice.address), { owner: alice.address, operatorAuthorized: 1n, pusherIsOwner: 1n, pusherIsMember: 0n, height: recordHeight });
    assert.equal(at(recordHeight, eve.address, alice.address).operatorAuthorized, 0n);
    assert.equal(at(revokedAt, op.address, alice.address).operatorAuthorized, 0n);
    assert.equal(at(revokedAt - 1n, op.address, alice.address).operatorAuthorized, 1n);
    assert.equal(at(recordHeight, op.address, bob.address).pusherIsMember, 0n);
    const future = app.query({ path: `${P}Query/RightsAt`, data: QueryRightsAtRequest.encode({ namespace: "acme", operator: op.address, pusher: "", height: height + 10n }).finish(), height: 0n, prove: false });
    assert.equal(future.code, 26);
  });

  test("a transferred namespace starts with no authorised registry and no member", async () => {
    await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "moving" } });
    await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "moving", operator: op.address } });
    await exec(alice, { typeUrl: `${P}MsgAddMember`, value: { owner: alice.address, namespace: "moving", member: eve.address } });
    assert.equal((await exec(alice, { typeUrl: `${P}MsgTransferNamespace`, value: { owner: alice.address, namespace: "moving", newOwner: bob.address } })).code, 0);
    assert.deepEqual(q("NamespaceRights", QueryNamespaceRightsRequest.encode({ namespace: "moving" }).finish(), QueryNamespaceRightsResponse), { owner: bob.address, authorized: [], members: [] });
    const r = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { operator: op.address, namespace: "moving", repo: "x", tag: "1", digest: D1, mediaType: "a/b", size: 1n, pusher: bob.address } });
    assert.deepEqual([r.codespace, r.code], ["registry", 10]);
  });

  test("recording a tag costs the same gas whatever its history's length (a counter key, not a scan)", async () => {
    await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "long" } });
    await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "long", operator: op.address } });
    const rec = (i: number) => ({ typeUrl: `${P}MsgRecordTag`, value: { operator: op.address, namespace: "long", repo: "r", tag: "t", digest: i % 2 ? D1 : D2, mediaType: "a/b", size: 1n, pusher: alice.address } });
    const gas: bigint[] = [];
    for (let i = 0; i < 60; i++) {
      const s = seq.get(op.address) ?? 0n;
      const tx = await signTx(op, [rec(i)], { chainId: CHAIN, accountNumber: acct(op), sequence: s });
      height++;
      const r = app.finalizeBlock({ txs: [tx], height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      seq.set(op.address, s + 1n);
      assert.equal(r.txResults![0]!.code, 0, r.txResults![0]!.log);
      gas.push(r.txResults![0]!.gasUsed);
    }
    // the second record writes the counter's first non-empty value; from then on every record costs exactly the same
    assert.equal(new Set(gas.slice(2)).size, 1, gas.join(","));
    assert.equal(q("TagHistory", QueryTagHistoryRequest.encode({ namespace: "long", repo: "r", tag: "t", pagination: [] }).finish(), QueryTagRecordsResponse).records.length, 60);
  });

  test("the list queries page by key: every page in order, a client walks them all, bad pagination is refused", async () => {
    await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "paged" } });
    await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "paged", operator: op.address } });
    const tag = (i: number) => ({ typeUrl: `${P}MsgRecordTag`, value: { operator: op.address, namespace: "paged", repo: "many", tag: `v${String(i).padStart(3, "0")}`, digest: D1, mediaType: "a/b", size: 1n, pusher: alice.address } });
    for (const chunk of [0, 75]) {
      const s = seq.get(op.address) ?? 0n;
      const tx = await signTx(op, Array.from({ length: 75 }, (_, i) => tag(chunk + i)), { chainId: CHAIN, accountNumber: acct(op), sequence: s, gas: 20_000_000n });
      height++;
      const r = app.finalizeBlock({ txs: [tx], height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      seq.set(op.address, s + 1n);
      assert.equal(r.txResults![0]!.code, 0, r.txResults![0]!.log);
    }
    const page = (key: Uint8Array, limit: bigint) => [{ key, offset: 0n, limit, countTotal: 0n, reverse: 0n }];
    const tags = (pagination: ReturnType<typeof page>) => q("Tags", QueryTagsRequest.encode({ namespace: "paged", repo: "many", pagination }).finish(), QueryTagRecordsResponse);
    const first = tags([]);
    assert.equal(first.records.length, 100, "the default page is 100");
    const rest = tags(page(first.pagination[0]!.nextKey, 0n));
    assert.equal(rest.records.length, 50);
    assert.equal(rest.pagination[0]?.nextKey.length, 0, "an empty next key ends the list");
    assert.deepEqual([...first.records, ...rest.records].map((r) => r.tag), Array.from({ length: 150 }, (_, i) => `v${String(i).padStart(3, "0")}`));
    const hist = q("TagHistory", QueryTagHistoryRequest.encode({ namespace: "long", repo: "r", tag: "t", pagination: page(new Uint8Array(), 25n) }).finish(), QueryTagRecordsResponse);
    assert.equal(hist.records.length, 25);
    // a next key from another list only starts the scan: the answer stays inside the asked repository
    const foreign = tags(page(hist.pagination[0]!.nextKey, 1000n));
    assert.ok(foreign.records.every((r) => r.namespace === "paged" && r.repo === "many"));
    const owners = q("NamespacesByOwner", QueryNamespacesByOwnerRequest.encode({ owner: "", pagination: page(new Uint8Array(), 1n) }).finish(), QueryNamespacesResponse);
    assert.equal(owners.namespaces.length, 1);
    assert.ok(owners.pagination[0]!.nextKey.length > 0);
    // the typed client (REST, CLI, registry server) walks every page
    const client = new RegistryQueryClient(abciRpc(async (path, data) => app.query({ path, data, height: 0n, prove: false }) as never));
    assert.equal((await client.tags("paged", "many")).length, 150);
    assert.equal((await client.tagHistory("long", "r", "t")).length, 60);
    // one tag: its current record, or nothing (a tag between two recorded ones, or past the last)
    assert.equal((await client.tag("paged", "many", "v042"))?.tag, "v042");
    assert.equal(await client.tag("paged", "many", "v04"), undefined);
    assert.equal(await client.tag("paged", "many", "zzz"), undefined);
    assert.ok((await client.namespacesByOwner("")).some((n) => n.namespace === "paged"));
    assert.deepEqual(await client.repos("paged"), ["many"]);
    assert.ok((await client.registries()).some((r) => r.operator === op.address));
    // a node that answers the same next key again is an error, not an endless walk
    const looping = new RegistryQueryClient({ request: async () => QueryReposResponse.encode({ repos: ["x"], pagination: [{ nextKey: new Uint8Array([7]), total: 0n }] }).finish() });
    await assert.rejects(looping.repos("paged"), /trustnet\.registry\.v1\.Query\/Repos: the node returned the page key 07 twice/);
    const bad = (pagination: unknown[], why: string) => {
      const r = app.query({ path: `${P}Query/Tags`, data: QueryTagsRequest.encode({ namespace: "paged", repo: "many", pagination: pagination as never }).finish(), height: 0n, prove: false });
      assert.deepEqual([r.codespace, r.code], ["sdk", 18], `${why}: ${r.log}`);
      assert.ok((r.log ?? "").length > 10, why);
    };
    bad(page(new Uint8Array(), 1001n), "a page over 1000");
    bad([{ key: new Uint8Array(), offset: 5n, limit: 10n, countTotal: 0n, reverse: 0n }], "an offset");
    bad([{ key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: 1n, reverse: 0n }], "count_total");
    bad([{ key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: 0n, reverse: 1n }], "reverse");
    bad([...page(new Uint8Array(), 1n), ...page(new Uint8Array(), 1n)], "pagination twice");
  });

  test("an endpoint must read as the registry it names: printable ASCII, http(s), no user info; refusals change nothing", async () => {
    const client = new RegistryQueryClient(abciRpc(async (path, data) => app.query({ path, data, height: 0n, prove: false }) as never));
    const before = await client.registries();
    for (const endpoint of [
      "http://exa\tmple.com:8000", // the URL parser drops tabs and newlines: reads as example.com
      "http://reg.example\n:8000",
      " http://reg.example:8000",
      "http://reg.example:8000 ",
      "http://r\u0435g.example:8000", // Cyrillic e: a confusable host
      "http://127.0.0.1:8000@evil.example", // user info: the host is evil.example
      "http://user:pw@reg.example",
      "http://@reg.example",
      "ftp://reg.example",
      "reg.example:8000",
      `http://reg.example/${"a".repeat(240)}`,
    ]) {
      const r = await exec(bob, { typeUrl: `${P}MsgRegisterRegistry`, value: { operator: bob.address, endpoint } });
      assert.deepEqual([r.codespace, r.code], ["registry", 9], `${JSON.stringify(endpoint)}: ${r.log}`);
      seq.set(bob.address, seq.get(bob.address)! - 1n); // refused before it runs: no sequence bump
    }
    assert.deepEqual(await client.registries(), before, "nothing registered");
    for (const endpoint of ["http://[fd12:3456:789a::2]:8000", "https://xn--rg-gia.example/v2", "http://127.0.0.1:8000"]) {
      const r = await exec(bob, { typeUrl: `${P}MsgRegisterRegistry`, value: { operator: bob.address, endpoint } });
      assert.equal(r.code, 0, `${endpoint}: ${r.log}`);
    }
  });

  test("a media type is at most 255 printable ASCII chars: a record cannot store kilobytes of parameters twice", async () => {
    await exec(alice, { typeUrl: `${P}MsgClaimNamespace`, value: { owner: alice.address, namespace: "media" } });
    await exec(alice, { typeUrl: `${P}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "media", operator: op.address } });
    const rec = { operator: op.address, namespace: "media", repo: "app", tag: "1", digest: D1, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1n, pusher: alice.address };
    for (const mediaType of [`a/b; p=${"x".repeat(10_000)}`, `a/b; p=${"x".repeat(249)}`, "a/b; p=\u00e9", "a/b; p=\nx", " a/b", ""]) {
      const r = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, mediaType } });
      assert.deepEqual([r.codespace, r.code], ["registry", 2], `${JSON.stringify(mediaType.slice(0, 20))} (${mediaType.length} chars): ${r.log}`);
      seq.set(op.address, seq.get(op.address)! - 1n);
    }
    assert.deepEqual(q("Tags", QueryTagsRequest.encode({ namespace: "media", repo: "app", pagination: [] }).finish(), QueryTagRecordsResponse).records, [], "nothing recorded");
    for (const mediaType of [rec.mediaType, `a/b; p=${"x".repeat(248)}`, "text/plain; charset=\"utf-8\""]) {
      const r = await exec(op, { typeUrl: `${P}MsgRecordTag`, value: { ...rec, mediaType } });
      assert.equal(r.code, 0, `${mediaType}: ${r.log}`);
    }
  });

  test("codecs are canonical and round-trip, including unknown-field skipping", () => {
    const m = { owner: alice.address, namespace: "x" };
    const bytes = MsgClaimNamespace.encode(m).finish();
    assert.deepEqual(MsgClaimNamespace.decode(bytes), m);
    const r = { namespace: "a", repo: "b", tag: "c", digest: D1, mediaType: "a/b", size: 0n, pusher: "", operator: "", height: 5n, time: 9n };
    assert.deepEqual(TagRecord.decode(TagRecord.encode(r).finish()), r);
    assert.deepEqual(MsgClaimNamespace.decode(new Uint8Array([...bytes, 0x48, 0x01])), m);
  });
});
