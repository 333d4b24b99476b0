// `npm run bench -- app-cpu [--txs 10000] [--keys 100] [--block 1000] [--rounds 3] [--src DIR]`: the app's own CPU
// per signed send, phase by phase, with no transport and no CometBFT: the TrustNet app in this process on real
// SQLite runs CheckTx for every tx, then PrepareProposal, FinalizeBlock and Commit per block of --block txs, as a
// node that checked the txs in its mempool does. CPU time (process.cpuUsage), not wall time, so a shared machine's
// load changes it less than the send-vs-sdk figures. --src points at another checkout's abci-app/src (e.g. main's,
// exported with `git archive`) to compare two versions of the app on the same load in one run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { TrustNetApp as App } from "../abci-app/src/app/trustnet-app.ts";
import type { StateStore as Store } from "../abci-app/src/store/index.ts";
import { sendMsg, signTx, testKey } from "../abci-app/src/app/testing/tx-builder.ts";

const CHAIN = "trustnet-local-1";

interface Phases { check: number; prepare: number; finalize: number; commit: number }

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function loadApp(src: string): Promise<{ TrustNetApp: typeof App; StateStore: typeof Store }> {
  const base = pathToFileURL(resolve(src) + "/").href;
  const { TrustNetApp } = (await import(new URL("app/trustnet-app.ts", base).href)) as { TrustNetApp: typeof App };
  const { StateStore } = (await import(new URL("store/index.ts", base).href)) as { StateStore: typeof Store };
  return { TrustNetApp, StateStore };
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args], options: {
      txs: { type: "string", default: "10000" }, keys: { type: "string", default: "100" }, block: { type: "string", default: "1000" },
      rounds: { type: "string", default: "3" }, src: { type: "string", default: new URL("../abci-app/src", import.meta.url).pathname },
    },
  });
  const [txs, nKeys, perBlock, rounds] = [values.txs, values.keys, values.block, values.rounds].map(Number) as [number, number, number, number];
  for (const [k, v] of [["txs", txs], ["keys", nKeys], ["block", perBlock], ["rounds", rounds]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
  }
  const { TrustNetApp, StateStore } = await loadApp(values.src);
  const keys = await Promise.all(Array.from({ length: nKeys }, (_, i) => testKey(9000 + i)));
  const sink = await testKey(8999);
  process.stderr.write(`app-cpu: signing ${txs} sends from ${nKeys} keys…\n`);
  const load: Uint8Array[] = [];
  for (let i = 0; i < txs; i++) {
    const k = keys[i % nKeys]!;
    load.push(await signTx(k, [sendMsg(k.address, sink.address, "1")], { chainId: CHAIN, accountNumber: BigInt(i % nKeys), sequence: BigInt(Math.floor(i / nKeys)), gas: 100_000n, fee: [{ denom: "utrust", amount: "2500" }] }));
  }
  const genesis = new TextEncoder().encode(JSON.stringify({
    auth: { accounts: keys.map((k) => ({ address: k.address })) },
    bank: { balances: keys.map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "1000000000000" }] })) },
  }));
  const results: Phases[] = [];
  for (let r = 0; r < rounds; r++) {
    const dir = mkdtempSync(join(tmpdir(), "bench-app-cpu-"));
    const app = new TrustNetApp({ store: StateStore.open(join(dir, "state.db")) });
    try {
      app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: -1n } } as never, validators: [], appStateBytes: genesis, initialHeight: 1n });
      const p: Phases = { check: 0, prepare: 0, finalize: 0, commit: 0 };
      let height = 1n;
      for (let i = 0; i < txs; i += perBlock) {
        const chunk = load.slice(i, i + perBlock);
        let t = cpuMs();
        for (const tx of chunk) if (app.checkTx({ tx, type: 0 }).code !== 0) throw new Error("CheckTx refused a send");
        p.check += cpuMs() - t;
        t = cpuMs();
        const proposed = app.prepareProposal({ txs: chunk, maxTxBytes: 22020096n, height, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20) } as never).txs ?? [];
        p.prepare += cpuMs() - t;
        t = cpuMs();
        const res = app.finalizeBlock({ txs: proposed, height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
        p.finalize += cpuMs() - t;
        if (res.txResults?.some((x) => x.code !== 0)) throw new Error("a send failed in FinalizeBlock");
        t = cpuMs();
        app.commit();
        p.commit += cpuMs() - t;
        height += 1n;
      }
      results.push(p);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const best = (k: keyof Phases): number => Math.min(...results.map((p) => p[k]));
  const us = (ms: number): string => ((ms * 1000) / txs).toFixed(1).padStart(7);
  const total = best("check") + best("prepare") + best("finalize") + best("commit");
  console.log(`\napp CPU per signed send (${values.src}), ${txs} txs from ${nKeys} keys, blocks of ${perBlock}, best of ${rounds} rounds:`);
  console.log(`| phase | µs/tx |\n|---|---|`);
  for (const k of ["check", "prepare", "finalize", "commit"] as const) console.log(`| ${k.padEnd(8)} | ${us(best(k))} |`);
  console.log(`| total    | ${us(total)} |  → at most ${Math.round(txs / (total / 1000))} tx/s on one core`);
}
