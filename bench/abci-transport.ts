// `npm run bench -- abci-transport [--calls N] [--checktx N] [--blocks N] [--txs N]`
// Measures the ABCI socket transport over a real loopback socket with a trivial app (BaseApplication):
// synchronous round trips (request + Flush, as CometBFT's sync calls do), pipelined CheckTx (as the mempool
// connection sends them, a Flush every 100), and FinalizeBlock of a block with many txs (framing + protobuf).
import { parseArgs } from "node:util";
import { RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { AbciSocketClient, BaseApplication, serveAbci, silentLogger } from "../abci-app/src/abci/index.ts";

interface Row { readonly phase: string; readonly count: number; readonly ms: number }

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      calls: { type: "string", default: "5000" },
      checktx: { type: "string", default: "50000" },
      blocks: { type: "string", default: "50" },
      txs: { type: "string", default: "2000" },
    },
  });
  const calls = Number(values.calls);
  const checkTxs = Number(values.checktx);
  const blocks = Number(values.blocks);
  const txsPerBlock = Number(values.txs);
  const server = await serveAbci({ app: new BaseApplication(), address: "tcp://127.0.0.1:0", transport: "socket", logger: silentLogger });
  const client = await AbciSocketClient.connect(server.address);
  const rows: Row[] = [];
  try {
    let t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.call({ echo: { message: "x" } });
    rows.push({ phase: "sync round trip (Echo + Flush)", count: calls, ms: performance.now() - t0 });

    const tx = new Uint8Array(312).fill(7); // the size of a cosmjs MsgSend TxRaw
    t0 = performance.now();
    for (let sent = 0; sent < checkTxs; sent += 100) {
      const batch = Array.from({ length: Math.min(100, checkTxs - sent) }, () => ({ checkTx: { tx, type: 0 } }));
      await client.call(...batch);
    }
    rows.push({ phase: "pipelined CheckTx (Flush every 100)", count: checkTxs, ms: performance.now() - t0 });

    const req = RequestFinalizeBlock.fromPartial({ height: 1n, txs: Array.from({ length: txsPerBlock }, () => tx) });
    t0 = performance.now();
    for (let b = 0; b < blocks; b++) await client.call({ finalizeBlock: req });
    rows.push({ phase: `FinalizeBlock with ${txsPerBlock} txs of 312 B`, count: blocks, ms: performance.now() - t0 });
  } finally {
    client.destroy();
    await server.close();
  }
  console.log("\n| phase | count | total ms | per op µs | ops/s |\n|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.phase} | ${r.count} | ${r.ms.toFixed(0)} | ${((r.ms * 1000) / r.count).toFixed(1)} | ${((r.count * 1000) / r.ms).toFixed(0)} |`);
  }
}
