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
import { TrustNetApp } from "./trustnet-app.ts";
import { genesisJson, operator } from "./testing/staking.ts";
import { sendMsg, signTx, testKey, type TestKey } from "./testing/tx-builder.ts";

const CHAIN = "trustnet-local-1";
const T0 = 1_700_000_000n;
const R = "/trustnet.registry.v1.";
const U = "/cosmos.staking.v1beta1.";
const D1 = "sha256:" + "1".repeat(64);
const coin = (amount: bigint) => ({ denom: "utrust", amount: String(amount) });

/** The app hash after InitChain, then after each block of the script below (hex). */
const GOLDEN: readonly string[] = [
  "bd4a96a3546a27d13a155b39df9d3574bf28dcfbde588d10f86b10aa05bfdda5",
  "22df52ce6338b169289467b3883408a0ad618e0b3d85a885105a4558b99da526",
  "0b135cbc24fa71db729eb0646209093b0692ad96b28946aa97186813592db526",
  "ef5a9ae31163c44c14d182775476c8b6fefe9e0c332045c0e27e7c510fd94257",
  "c73e0f9229f0014af98ce63dc51377363d4da087665ab1041994092d549ee0bb",
  "c47f05cbf459ec198236fddcf9e959276639768882697f483178d9646f761f3a",
  "f178a3a88147b382d06e0263c962820c6dc22dae454dccfe3a7f5a0506a66fc9",
  "9156271330956c7dc4c0e520e3beaec11a6324b48f661b321e38e3f0de72851b",
  "b541c182e99d84bbf01cf7780f917f142b57cc9a7710e22fce3f7a912d36b8d7",
  "b00a57d4d8c7fae878de5418aa538904f3eb34b437a2841a8366e95ec1e8cabb",
  "6adc4809947dc31faea156c718ede451e55599c8dddfe7d434241fbc04dbdd85",
];

describe("golden app hashes", async () => {
  const ops = await Promise.all([1, 2].map(operator));
  const [v0, v1] = ops as [(typeof ops)[0], (typeof ops)[0]];
  const [alice, bob, op] = (await Promise.all([21, 22, 23].map(testKey))) as [TestKey, TestKey, TestKey];
  const funded = [alice, bob, op];
  const newOp = await operator(3);

  test("a fixed genesis and tx sequence give the pinned app hashes", async () => {
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
    for (const [i, blockTxs] of script.entries()) {
      const txs: Uint8Array[] = [];
      for (const [k, msgs] of blockTxs) txs.push(await sign(k, msgs));
      height++;
      clock += i === script.length - 1 ? 120n : 5n;
      const r = app.finalizeBlock({ txs, height, time: { seconds: T0 + clock, nanos: 250_000_000 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      codes.push((r.txResults ?? []).map((t) => t.code));
      hashes.push(hex(r.appHash));
    }
    assert.deepEqual(codes, [[0, 10], [0, 0], [0, 0], [0], [0], [0, 0], [0], [0], [], []], "every tx but the bad-denom send succeeds");
    assert.deepEqual(hashes, GOLDEN);
  });
});
