// `npm run bench -- send [--seconds 60] [--senders 100] [--concurrency 64]`
// Signed MsgSend throughput on a single-node devnet: many funded senders, a pre-signed load, peak and sustained
// tx/s, p50/p99 latency from broadcast to commit. Beside it, the same harness with the no-op tx type (the
// chain-core bench's load) as the anchor, and an in-process CheckTx profile: libsecp256k1 vs pure JS.
import { mkdtempSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { devnetDown, devnetUp } from "../cli/src/devnet/control.ts";
import { readFaucet } from "../cli/src/devnet/devnet-keys.ts";
import { sendMsg, signTx, testKey, type TestKey } from "../abci-app/src/app/testing/tx-builder.ts";
import { defaultVerifier, verifyNoble, verifySecp256k1, verifierName } from "../abci-app/src/modules/auth/sig-verify.ts";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { rpcCall, latestHeight, waitForHeight } from "./lib/loadgen.ts";
import { BECH32_PREFIX, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM } from "@trustnet/abci-app";

const CHAIN = DEFAULT_CHAIN_ID;
const hashHex = (tx: Uint8Array): string => createHash("sha256").update(tx).digest("hex").toUpperCase();
const pct = (xs: number[], p: number): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

interface RunResult { label: string; sent: number; committed: number; seconds: number; peak: number; p50: number; p99: number; refused: number }

/** Sends pre-built per-sender queues (each sender's txs in order), tracks commits by polling blocks. */
async function drive(rpc: string, label: string, queues: Uint8Array[][], seconds: number, concurrency: number): Promise<RunResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const perBlock: { t: number; n: number }[] = [];
  let refused = 0;
  let sent = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let stopPolling = false;
  let h = await latestHeight(rpc);
  const poller = (async () => {
    while (!stopPolling || sentAt.size > 0) {
      const cur = await latestHeight(rpc).catch(() => h);
      for (let x = h + 1; x <= cur; x++) {
        // CometBFT may close a kept-alive connection under load: retry rather than lose the block.
        let b: { block: { data: { txs: string[] | null } } } | undefined;
        for (let attempt = 0; !b && attempt < 20; attempt++) {
          b = await rpcCall<{ block: { data: { txs: string[] | null } } }>(rpc, "block", { height: String(x) }).catch(async () => {
            await new Promise((r) => setTimeout(r, 100));
            return undefined;
          });
        }
        if (!b) throw new Error(`block ${x} could not be read`);
        const now = performance.now();
        const txs = b.block.data.txs ?? [];
        perBlock.push({ t: now, n: txs.length });
        for (const t64 of txs) {
          const k = hashHex(Buffer.from(t64, "base64"));
          const s = sentAt.get(k);
          if (s !== undefined) {
            latencies.push(now - s);
            sentAt.delete(k);
          }
        }
      }
      h = cur;
      if (stopPolling && performance.now() > deadline + 15_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  // One worker per sender slot keeps each sender's txs in order.
  const slots = Math.min(concurrency, queues.length);
  const progress = setInterval(() => process.stderr.write(`  ${label}: ${Math.round((performance.now() - t0) / 1000)}s sent ${sent}, committed ${latencies.length}\n`), 10_000);
  await Promise.all(Array.from({ length: slots }, (_, i) => (async () => {
    const mine = queues.filter((_, j) => j % slots === i);
    for (;;) {
      if (performance.now() > deadline) return;
      const q = mine.find((x) => x.length > 0);
      if (!q) return;
      const tx = q.shift()!;
      const k = hashHex(tx);
      sentAt.set(k, performance.now());
      sent++;
      try {
        const r = await rpcCall<{ code: number }>(rpc, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
        if (r.code !== 0) { refused++; sentAt.delete(k); q.length = 0; }
      } catch {
        refused++; sentAt.delete(k); q.length = 0;
      }
    }
  })()));
  const loadSeconds = (performance.now() - t0) / 1000;
  stopPolling = true;
  await poller;
  clearInterval(progress);
  // Peak: the best 5-second window of committed txs.
  let peak = 0;
  for (let i = 0; i < perBlock.length; i++) {
    let n = 0;
    for (let j = i; j < perBlock.length && perBlock[j]!.t - perBlock[i]!.t <= 5000; j++) n += perBlock[j]!.n;
    peak = Math.max(peak, n / 5);
  }
  return { label, sent, committed: latencies.length, seconds: loadSeconds, peak, p50: pct(latencies, 50), p99: pct(latencies, 99), refused };
}

async function fund(rpc: string, home: string, keys: TestKey[]): Promise<void> {
  const f = await readFaucet(home);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(f.mnemonic, { prefix: BECH32_PREFIX });
  const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300 });
  const each = { denom: DENOM, amount: "100000000" };
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100);
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: f.address, coins: [{ denom: DENOM, amount: String(100000000 * chunk.length) }] }], outputs: chunk.map((k) => ({ address: k.address, coins: [each] })) } };
    const r = await client.signAndBroadcast(f.address, [msg], "auto");
    if (r.code !== 0) throw new Error(`funding failed: ${r.rawLog}`);
  }
  client.disconnect();
}

async function checkTxProfile(): Promise<void> {
  const k = await testKey(424242);
  const tx = await signTx(k, [sendMsg(k.address, k.address, "1")], { chainId: CHAIN, accountNumber: 1n, sequence: 0n });
  const { TxRaw, SignDoc } = await import("cosmjs-types/cosmos/tx/v1beta1/tx");
  const raw = TxRaw.decode(tx);
  const hash = createHash("sha256").update(SignDoc.encode({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId: CHAIN, accountNumber: 1n }).finish()).digest();
  const sig = raw.signatures[0]!;
  const rate = (f: () => boolean): number => {
    const n = 3000;
    const t = performance.now();
    for (let i = 0; i < n; i++) if (!f()) throw new Error("verify failed");
    return n / ((performance.now() - t) / 1000);
  };
  const native = rate(() => verifySecp256k1(sig, hash, k.pubkey, defaultVerifier));
  const js = rate(() => verifySecp256k1(sig, hash, k.pubkey, verifyNoble));
  console.log(`\nCheckTx signature verification, one core: ${verifierName} ${native.toFixed(0)}/s, @noble/curves ${js.toFixed(0)}/s (${(native / js).toFixed(1)}x); the app uses ${verifierName}.`);
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { seconds: { type: "string", default: "60" }, senders: { type: "string", default: "100" }, concurrency: { type: "string", default: "64" }, rate: { type: "string", default: "300" } } });
  const seconds = Number(values.seconds);
  const nSenders = Number(values.senders);
  const concurrency = Number(values.concurrency);
  const home = mkdtempSync(join(tmpdir(), "bench-send-"));
  const results: RunResult[] = [];
  try {
    process.stderr.write("starting a single-node devnet (timeout_commit 1s)…\n");
    const up = await devnetUp({ home, validators: 1, blockTime: "1s", transport: "socket", timeoutMs: 120_000, portOffset: 1500, appArgs: ["--bench-noop-txs"], log: () => undefined });
    const rpc = `http://127.0.0.1:${up.manifest.nodes[0]?.ports.rpc}`;
    await waitForHeight(rpc, 2);
    const keys = await Promise.all(Array.from({ length: nSenders }, (_, i) => testKey(1000 + i)));
    process.stderr.write(`funding ${nSenders} senders…\n`);
    await fund(rpc, home, keys);
    const perSender = Math.ceil((Number(values.rate) * seconds) / nSenders);
    process.stderr.write(`pre-signing ${perSender * nSenders} MsgSend txs (${perSender} per sender)…\n`);
    const accountNumbers = await Promise.all(keys.map(async (k) => {
      const r = await rpcCall<{ response: { value: string } }>(rpc, "abci_query", { path: "/cosmos.auth.v1beta1.Query/Account", data: Buffer.from((await import("cosmjs-types/cosmos/auth/v1beta1/query")).QueryAccountRequest.encode({ address: k.address }).finish()).toString("hex") });
      const { QueryAccountResponse } = await import("cosmjs-types/cosmos/auth/v1beta1/query");
      const { BaseAccount } = await import("cosmjs-types/cosmos/auth/v1beta1/auth");
      return BaseAccount.decode(QueryAccountResponse.decode(Buffer.from(r.response.value, "base64")).account!.value).accountNumber;
    }));
    const signed: Uint8Array[][] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const to = keys[(i + 1) % keys.length]!;
      const q: Uint8Array[] = [];
      for (let s = 0; s < perSender; s++) q.push(await signTx(k, [sendMsg(k.address, to.address, "1")], { chainId: CHAIN, accountNumber: accountNumbers[i]!, sequence: BigInt(s), gas: 100_000n }));
      signed.push(q);
    }
    process.stderr.write(`signed MsgSend load: ${seconds}s, ${concurrency} in flight…\n`);
    results.push(await drive(rpc, "signed MsgSend", signed, seconds, concurrency));
    const pad = "x".repeat(180);
    const noop = Array.from({ length: nSenders }, (_, i) => Array.from({ length: perSender * 2 }, (_, s) => new TextEncoder().encode(`noop:${i}-${s}-${pad}`)));
    process.stderr.write(`no-op load (anchor): ${seconds}s, ${concurrency} in flight…\n`);
    results.push(await drive(rpc, "no-op tx (anchor)", noop, seconds, concurrency));
  } finally {
    await devnetDown(home);
    rmSync(home, { recursive: true, force: true });
  }
  console.log(`\nSigned MsgSend benchmark: single node, timeout_commit 1s, ${nSenders} senders, ${concurrency} broadcast_tx_sync in flight`);
  console.log(`${"load".padEnd(20)} ${"sustained tx/s".padStart(15)} ${"peak tx/s (5s)".padStart(15)} ${"committed".padStart(10)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"refused".padStart(8)}`);
  for (const r of results) {
    console.log(`${r.label.padEnd(20)} ${(r.committed / r.seconds).toFixed(0).padStart(15)} ${r.peak.toFixed(0).padStart(15)} ${String(r.committed).padStart(10)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${String(r.refused).padStart(8)}`);
  }
  const [s, n] = results;
  if (s && n) console.log(`\nratio signed / no-op (sustained): ${((s.committed / s.seconds) / (n.committed / n.seconds)).toFixed(2)}x   (latency = broadcast → block observed)`);
  await checkTxProfile();
}
