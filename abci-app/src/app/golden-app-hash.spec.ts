// Golden app hashes: a fixed genesis and a fixed sequence of txs (bank, registry, staking) run through the real app
// on real SQLite. The hashes are pinned: a refactor that changes what the state machine writes fails here.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { StateStore } from "../store/index.ts";
import { STATE_FORMAT_VERSION } from "./state-format.ts";
import { TrustNetApp } from "./trustnet-app.ts";
import { genesisJson, operator } from "./testing/staking.ts";
import { sendMsg, signTx, testKey, type TestKey } from "./testing/tx-builder.ts";

const CHAIN = "trustnet-local-1";
const T0 = 1_700_000_000n;
const R = "/trustnet.registry.v1.";
const U = "/cosmos.staking.v1beta1.";
const D1 = "sha256:" + "1".repeat(64);
const coin = (amount: bigint) => ({ denom: "utrust", amount: String(amount) });

/**
 * The app hash after InitChain, then after each block of the script below (hex). Pinned before the module-shape
 * refactor and unchanged by it; re-pinned once when x/mint, x/distribution, x/slashing and x/leasing joined the app
 * (their genesis sections, block provisions and reward records are part of the state since), and once when leasing's
 * params replaced their unit weights with `takeBps` (the params' bytes in InitChain's state; gas unchanged), and once
 * (state format 2) when namespace claims began to lock a refundable deposit: the registry's params are in InitChain's
 * state, and block 2's MsgClaimNamespace moves 1 TRUST from alice to the registry module account and records it with
 * the namespace (its gas 37575 -> 61470: the params read, the balance check, bank's send).
 */
/**
 * The state format these hashes were pinned with. Re-pinning them means homes made before cannot be continued (there
 * are no state migrations): increment STATE_FORMAT_VERSION (state-format.ts) and this, so old homes are refused.
 */
const GOLDEN_STATE_FORMAT = 2;
/** Gas used by each tx of the script, block by block (pinned with the hashes above). */
const GOLDEN_GAS_USED: readonly (readonly string[])[] = [
  ["42993", "33181"], ["61470", "35441"], ["35880", "34752"], ["59610"], ["97049"], ["194491", "96992"], ["138691"], ["137049"], [], [],
];

const GOLDEN: readonly string[] = [
  "e3c7737f0bdb5914f744f4ef9e7d92e5cf9a25983b1bf91aed6d8f88b951a09a",
  "565a23807bae9ca87e66d7dbf0bfa91edba5fbd79d2de470ad39e6a867431912",
  "aa5aed23a612fb598abf2d3bb561f221b759efda60f8c61c5792767ec1ae64f6",
  "883a56d2a334f2d2b8436f63b965a5124545e44f01396878052c20f86a632b68",
  "ef8bff3f86d53292623f2394a652be0d3fae2ff4c9e0f6e0a30d20b10166344b",
  "57893cccb1ad160d9139da73d790b6284591a1725a5ecdcd825823737584d9e9",
  "08e11c56e5dd28b299e4c5fcf7e17a8a3dce2de82aae5c8674f169b21b56d8c5",
  "cc8cd4ee80f7885e63400de92e1fca81c238bc8f5749b691d1ead34c2a409e25",
  "be055ca3be49f88bc6e48d39111760616e22b04f850bcbde66e04e904124eae0",
  "097c9d70a4b0526c76f6779ec6d4fa5d90b6f9c3273097f470dd9d1f1897bafb",
  "512aa1a47cb9fa23615b6453a74ede0413a059133d6136f3733f3ac3d17c2ea9",
];

describe("golden app hashes", async () => {
  const ops = await Promise.all([1, 2].map(operator));
  const [v0, v1] = ops as [(typeof ops)[0], (typeof ops)[0]];
  const [alice, bob, op] = (await Promise.all([21, 22, 23].map(testKey))) as [TestKey, TestKey, TestKey];
  const funded = [alice, bob, op];
  const newOp = await operator(3);

  test("a fixed genesis and tx sequence give the pinned app hashes", async () => {
    assert.equal(STATE_FORMAT_VERSION, GOLDEN_STATE_FORMAT, "the hashes below were pinned for another state format: re-pin them and set GOLDEN_STATE_FORMAT");
    const gen = genesisJson({ dbPath: () => "", validators: ops, funded: [...funded, newOp.key] }) as Record<string, unknown>;
    gen.registry = { registries: [{ operator: op.address, endpoint: "http://127.0.0.1:8000" }], namespaces: [{ namespace: "library", owner: op.address }] };
    const all = [...funded, newOp.key, ...ops.map((o) => o.key)];
    const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-golden-")), "state.db")), checkInvariants: true });
    const hashes: string[] = [];
    const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString("hex");
    const init = app.initChain({
      time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never,
      validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(gen)), initialHeight: 1n,
    });
    hashes.push(hex(init.appHash));
    const seqs = new Map<string, bigint>();
    const sign = async (k: TestKey, msgs: EncodeObject[]) => {
      const seq = seqs.get(k.address) ?? 0n;
      seqs.set(k.address, seq + 1n);
      return signTx(k, msgs, { chainId: CHAIN, accountNumber: BigInt(all.indexOf(k)), sequence: seq, gas: 600_000n });
    };
    const script: [TestKey, EncodeObject[]][][] = [
      [[alice, [sendMsg(alice.address, bob.address, "1234")]], [bob, [sendMsg(bob.address, alice.address, "1", "unobtainium")]]],
      [[alice, [{ typeUrl: `${R}MsgClaimNamespace`, value: { owner: alice.address, namespace: "acme" } }]],
        [op, [{ typeUrl: `${R}MsgRegisterRegistry`, value: { operator: op.address, endpoint: "http://127.0.0.1:8001" } }]]],
      [[alice, [{ typeUrl: `${R}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "acme", operator: op.address } }]],
        [alice, [{ typeUrl: `${R}MsgAddMember`, value: { owner: alice.address, namespace: "acme", member: bob.address } }]]],
      [[op, [{ typeUrl: `${R}MsgRecordTag`, value: { operator: op.address, pusher: bob.address, namespace: "acme", repo: "web/app", tag: "1", digest: D1, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 1234n } }]]],
      [[bob, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(7_500_000n) } }]]],
      [[bob, [{ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: bob.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(2_000_000n) } }]],
        [alice, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v1.valoper, amount: coin(3_000_000n) } }]]],
      [[newOp.key, [{
        typeUrl: `${U}MsgCreateValidator`,
        value: {
          description: { moniker: "new", identity: "", website: "", securityContact: "", details: "" },
          commission: { rate: String(10n ** 17n), maxRate: String(2n * 10n ** 17n), maxChangeRate: String(10n ** 16n) },
          minSelfDelegation: "1", delegatorAddress: "", validatorAddress: newOp.valoper,
          pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: newOp.consKey }).finish() }, value: coin(5_000_000n),
        },
      }]]],
      [[bob, [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(1_000_000n) } }]]],
      [],
      [], // the unbonding time (60s) passes in this block: the undelegation matures
    ];
    let height = 0n;
    let clock = 0n;
    const codes: number[][] = [];
    const gasUsed: string[][] = [];
    for (const [i, blockTxs] of script.entries()) {
      const txs: Uint8Array[] = [];
      for (const [k, msgs] of blockTxs) txs.push(await sign(k, msgs));
      height++;
      clock += i === script.length - 1 ? 120n : 5n;
      const r = app.finalizeBlock({ txs, height, time: { seconds: T0 + clock, nanos: 250_000_000 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      codes.push((r.txResults ?? []).map((t) => t.code));
      gasUsed.push((r.txResults ?? []).map((t) => String(t.gasUsed)));
      hashes.push(hex(r.appHash));
    }
    assert.deepEqual(codes, [[0, 10], [0, 0], [0, 0], [0], [0], [0, 0], [0], [0], [], []], "every tx but the bad-denom send succeeds");
    assert.deepEqual(hashes, GOLDEN);
    // Gas used is consensus too (CometBFT hashes it into LastResultsHash): an optimisation that reads or writes
    // the store differently changes it, and fails here.
    assert.deepEqual(gasUsed, GOLDEN_GAS_USED);
  });
});
