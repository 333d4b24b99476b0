// `npm run bench -- staking [--validators 100] [--delegations 0,10000,100000] [--blocks 200]`
// Per-block cost of x/staking's BeginBlock and EndBlock on real SQLite state as the number of delegations grows:
// 100 validators, then 10k and 100k delegations loaded through the keeper (real delegate path, real bank).
// For each size it times, over --blocks blocks on a branch of the committed state:
//   idle       BeginBlock + EndBlock with no staking change (the common block)
//   changed    EndBlock after one delegation changed a validator's power (the power-index pass)
//   rewards    x/mint's and x/distribution's BeginBlock: mint the provision, then allocate it (and the fees) to the
//              validators that signed the previous block (all of them) - F1: delegators are never touched
// and prints median / p95 in microseconds. The claim to check: no column grows with delegations.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sha256 } from "@cosmjs/crypto";
import { TrustNetApp } from "../abci-app/src/app/trustnet-app.ts";
import { addressBytes, bech32Address } from "../abci-app/src/sdk/address.ts";
import { EventSink } from "../abci-app/src/sdk/events.ts";
import { GasMeter } from "../abci-app/src/sdk/gas.ts";
import type { BlockCtx } from "../abci-app/src/sdk/context.ts";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { Branch, StateStore } from "../abci-app/src/store/index.ts";
import { delegate } from "../abci-app/src/modules/staking/delegation.ts";
import { valoperAddress, valoperBytes } from "../abci-app/src/modules/staking/index.ts";
import { DENOM } from "@trustnet/abci-app";

const T0 = 1_700_000_000;
const addr = (tag: string, i: number): string => bech32Address(sha256(new TextEncoder().encode(`${tag}-${i}`)).slice(0, 20));

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? 0, p95: s[Math.floor(s.length * 0.95)] ?? 0 };
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { validators: { type: "string", default: "100" }, delegations: { type: "string", default: "0,10000,100000" }, blocks: { type: "string", default: "200" } } });
  const nVal = Number(values.validators);
  const sizes = values.delegations.split(",").map(Number).sort((a, b) => a - b);
  const blocks = Number(values.blocks);
  const dir = mkdtempSync(join(tmpdir(), "trustnet-bench-staking-"));
  try {
    const store = StateStore.open(join(dir, "state.db"));
    const app = new TrustNetApp({ store });
    const ops = Array.from({ length: nVal }, (_, i) => addr("op", i));
    const genesis = {
      auth: { accounts: ops.map((a) => ({ address: a })) },
      bank: { balances: ops.map((a) => ({ address: a, coins: [{ denom: DENOM, amount: "1000000000000" }] })) },
      staking: {
        params: { max_validators: nVal },
        validators: ops.map((a, i) => ({ operator_address: toValoper(a), consensus_pubkey: Buffer.from(sha256(new TextEncoder().encode(`cons-${i}`))).toString("base64"), self_delegation: String(1_000_000 * (i + 1)), description: { moniker: `v${i}` } })),
      },
    };
    process.stderr.write(`genesis: ${nVal} validators\n`);
    app.initChain({ time: { seconds: BigInt(T0), nanos: 0 }, chainId: "bench", consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(genesis)), initialHeight: 1n });
    let height = 1n;
    const finalize = (): void => {
      app.finalizeBlock({ txs: [], height, time: { seconds: BigInt(T0) + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      height++;
    };
    finalize();
    const staking = app.modules.find((m) => m.name === "staking");
    if (!staking?.beginBlock || !staking.endBlock) throw new Error("staking has no blockers");
    const k = app.keepers.staking;
    const mint = app.modules.find((m) => m.name === "mint");
    const distribution = app.modules.find((m) => m.name === "distribution");
    if (!mint?.beginBlock || !distribution?.beginBlock) throw new Error("mint and distribution have begin-blockers");
    // every validator signed the previous block, with its genesis power
    const votes = ops.map((_, i) => ({ validator: { address: sha256(sha256(new TextEncoder().encode(`cons-${i}`))).slice(0, 20), power: BigInt(i + 1) }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT }));
    const ctxOn = (b: Branch, h: bigint): BlockCtx => ({
      store: b, height: h, time: new Date((T0 + Number(h)) * 1000), chainId: "bench", mode: "finalize", events: new EventSink(), gas: new GasMeter(),
      block: { misbehavior: [], lastCommitVotes: votes, proposerAddress: new Uint8Array(20) },
    });
    let loaded = 0;
    const rows: string[] = [];
    for (const target of sizes) {
      while (loaded < target) {
        const b = new Branch(store);
        const ctx = ctxOn(b, height);
        for (let n = 0; n < 10_000 && loaded < target; n++, loaded++) {
          const del = addr("del", loaded);
          app.keepers.bank.mintCoins(ctx, del, [{ denom: DENOM, amount: 2_000_000n }]);
          delegate(k, ctx, del, valoperBytes(toValoper(ops[loaded % nVal] as string)), 1_000_000n, "account");
        }
        store.stage(height, b.changes());
        store.commit();
        height++;
        process.stderr.write(`  ${loaded} delegations loaded\n`);
      }
      finalize(); // the set pass for the loaded changes, through the app
      const idle: number[] = [];
      const changed: number[] = [];
      const rewards: number[] = [];
      for (let i = 0; i < blocks; i++) {
        const b = new Branch(store);
        const ctx = ctxOn(b, height);
        let t = performance.now();
        mint.beginBlock(ctx);
        distribution.beginBlock(ctx);
        rewards.push((performance.now() - t) * 1000);
        t = performance.now();
        staking.beginBlock(ctx);
        staking.endBlock(ctx);
        idle.push((performance.now() - t) * 1000);
        const del = addr("del", i % Math.max(loaded, 1));
        app.keepers.bank.mintCoins(ctx, del, [{ denom: DENOM, amount: 1_000_000n }]);
        delegate(k, ctx, del, valoperBytes(toValoper(ops[i % nVal] as string)), 1_000_000n, "account");
        t = performance.now();
        const updates = staking.endBlock(ctx) ?? [];
        changed.push((performance.now() - t) * 1000);
        if (updates.length === 0) throw new Error("a delegation of 1 TRUST must change a power");
      }
      const si = stats(idle);
      const sc = stats(changed);
      const sr = stats(rewards);
      rows.push(`${String(loaded).padStart(11)}  ${si.median.toFixed(0).padStart(12)}  ${si.p95.toFixed(0).padStart(9)}  ${sc.median.toFixed(0).padStart(15)}  ${sc.p95.toFixed(0).padStart(12)}  ${sr.median.toFixed(0).padStart(15)}  ${sr.p95.toFixed(0).padStart(12)}`);
    }
    console.log(`\nx/staking per-block cost, ${nVal} validators (µs; ${blocks} blocks each; begin = historical info of the bonded set)`);
    console.log(`rewards = mint + distribution BeginBlock with all ${nVal} validators signing`);
    console.log(`delegations  idle median  idle p95  changed median  changed p95  rewards median  rewards p95`);
    for (const r of rows) console.log(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toValoper(account: string): string {
  return valoperAddress(addressBytes(account));
}
