// `npm run bench -- simulate`: what a hostile simulate costs the (single-threaded) app, in app time.
// Issue 16's case (2,000 messages, ~460 KB) is refused by the 100-message cap; a simulate over the simulate gas
// limit stops with out of gas (code 11) as soon as its meter crosses the limit. Prints the median of 20 runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { StateStore } from "../abci-app/src/store/index.ts";
import { TrustNetApp } from "../abci-app/src/app/trustnet-app.ts";
import { sendMsg, signTx, testKey } from "../abci-app/src/app/testing/tx-builder.ts";
import { DEFAULT_CHAIN_ID, DENOM } from "@trustnet/abci-app";

const CHAIN = DEFAULT_CHAIN_ID;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tn-bench-sim-"));
  try {
    const alice = await testKey(1);
    const bob = await testKey(2);
    const appState = { auth: { accounts: [{ address: alice.address }] }, bank: { balances: [{ address: alice.address, coins: [{ denom: DENOM, amount: "1000000000000" }] }] } };
    const cases: [string, bigint | undefined, number][] = [
      ["2,000 messages (over the message cap)", undefined, 2000],
      ["100 messages, default limit (block max gas 100M)", undefined, 100],
      ["100 messages, simulate gas limit 200,000", 200_000n, 100],
    ];
    console.log("\n| simulate | code | median app time (ms) | max (ms) |\n|---|---|---|---|");
    for (const [name, limit, n] of cases) {
      const app = new TrustNetApp({ store: StateStore.open(join(dir, `${n}-${limit ?? "d"}.db`)), simulateGasLimit: limit });
      app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(appState)), initialHeight: 1n });
      app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
      app.commit();
      const tx = await signTx(alice, Array.from({ length: n }, () => sendMsg(alice.address, bob.address, "1")), { chainId: CHAIN, accountNumber: 0n, sequence: 0n, gas: 50_000_000n });
      const data = SimulateRequest.encode({ txBytes: tx }).finish();
      const times: number[] = [];
      let code = -1;
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        code = app.query({ path: "/cosmos.tx.v1beta1.Service/Simulate", data, height: 0n, prove: false }).code ?? 0;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(`| ${name}, ${(data.length / 1024).toFixed(0)} KiB | ${code} | ${times[10]!.toFixed(2)} | ${times[19]!.toFixed(2)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
