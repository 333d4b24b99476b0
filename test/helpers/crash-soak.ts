// The crash soak (issue 16, R1), shared by test/chain/crash-soak.e2e.ts (10 cycles) and bench/crash-soak.ts (100):
// signed sends flow from the faucet while the app, CometBFT or both are killed with SIGKILL at random moments and
// the supervisor restarts the pair. Every tx seen committed is re-checked afterwards (same block, same result),
// the logs must show no app-hash mismatch, the supply must be unchanged and the balances must add up.
import { createHash } from "node:crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CometRpcPool, DEFAULT_CHAIN_ID, DENOM, queryClients, type QueryClients } from "@trustnet/abci-app";
import { type Devnet, height, sleep, supervisorState, waitForHeight } from "./devnet.ts";
import { Rng } from "../../abci-app/src/fuzz/stream.ts";

const CHAIN = DEFAULT_CHAIN_ID;
const FEE: StdFee = { amount: [{ denom: DENOM, amount: "5000" }], gas: "200000" };

export interface SoakReport {
  readonly cycles: number;
  readonly kills: { app: number; cometbft: number; both: number };
  readonly broadcast: number;
  readonly committed: number;
  readonly failedInBlock: number;
  readonly recheckedOk: number;
  /** Our txs found by scanning every block (the accounting's source: the tx index may miss a block cut by a kill). */
  readonly inBlocks: number;
  readonly blocks: number;
  readonly problems: string[];
  readonly ms: number;
}

interface Committed { readonly hash: string; readonly tx: Uint8Array; readonly height: number; readonly code: number; readonly to: string; readonly amount: bigint }

/** sdk codes of the decode and ante checks: a tx refused by them in a block pays no fee. */
const ANTE_CODES = new Set([2, 3, 4, 8, 9, 13, 14, 15, 18, 19, 21, 30, 32, 37, 41, 42]);
const APP_HASH_FAILURES = [/wrong Block\.Header\.AppHash/, /does not match AppHash after replay/, /app block height \d+ is higher than core/, /Did you reset CometBFT without resetting your application/];

/** The chain client's typed queries over the pool's connections (abci_query through JSON-RPC). */
function queries(pool: CometRpcPool): QueryClients {
  return queryClients((path, data) => pool.abciQuery(path, data));
}

const balanceOf = async (pool: CometRpcPool, address: string): Promise<bigint> =>
  BigInt((await queries(pool).bank.Balance({ address, denom: DENOM })).balance?.amount ?? "0");

const supplyOf = async (pool: CometRpcPool): Promise<string> => JSON.stringify((await queries(pool).bank.TotalSupply({})).supply);

async function account(pool: CometRpcPool, address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
  const acc = BaseAccount.decode((await queries(pool).auth.Account({ address })).account?.value ?? new Uint8Array());
  return { accountNumber: acc.accountNumber, sequence: acc.sequence };
}

/** Retries `f` while the node is down (connection refused or reset during a restart). */
async function retrying<T>(f: () => Promise<T>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(250);
    }
  }
}

export async function crashSoak(d: Devnet, cycles: number, seed: number, onProgress?: (cycle: number) => void): Promise<SoakReport> {
  const t0 = performance.now();
  const rng = new Rng(seed);
  const pool = new CometRpcPool(d.rpc, 8);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
  const faucet = (await wallet.getAccounts())[0]!.address;
  const signer = await SigningStargateClient.offline(wallet);
  const recipients = await Promise.all([1, 2, 3, 4].map(async () => (await (await DirectSecp256k1HdWallet.generate(12, { prefix: "trust" })).getAccounts())[0]!.address));
  const supplyBefore = await retrying(() => supplyOf(pool));
  const faucetBefore = await retrying(() => balanceOf(pool, faucet));

  const startHeight = await retrying(() => height(d.rpc));
  const sent = new Map<string, { to: string; amount: bigint }>();
  const committed = new Map<string, Committed>();
  const pending = new Map<string, { tx: Uint8Array; to: string; amount: bigint; at: number }>();
  const problems: string[] = [];
  let broadcast = 0;
  let stop = false;

  // Sender: signs sends with a locally tracked sequence; resyncs from the chain after any refusal or outage.
  const sender = (async () => {
    let acc = await retrying(() => account(pool, faucet));
    let n = 0;
    while (!stop) {
      const to = recipients[n % recipients.length]!;
      const amount = BigInt(1 + (n % 97));
      n++;
      const raw = await signer.sign(faucet, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: faucet, toAddress: to, amount: [{ denom: DENOM, amount: String(amount) }] } }], FEE, "", { accountNumber: acc.accountNumber, sequence: Number(acc.sequence), chainId: CHAIN });
      const tx = TxRaw.encode(raw).finish();
      try {
        const r = await pool.answer<{ code: number; log: string; hash: string }>("broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") }, 10_000);
        broadcast++;
        if (r.result?.code === 0) {
          sent.set(r.result.hash.toUpperCase(), { to, amount });
          pending.set(r.result.hash, { tx, to, amount, at: Date.now() });
          acc = { ...acc, sequence: acc.sequence + 1n };
        } else {
          acc = await retrying(() => account(pool, faucet));
        }
      } catch {
        await sleep(200);
        acc = await retrying(() => account(pool, faucet)).catch(() => acc);
      }
      await sleep(20);
    }
  })();

  // Watcher: records each pending tx once it is found in a block (hash → height, result).
  const watch = async (): Promise<void> => {
    for (const [hash, p] of [...pending]) {
      try {
        const r = await pool.answer<{ height: string; tx_result: { code: number } }>("tx", { hash: Buffer.from(hash, "hex").toString("base64") }, 5_000);
        if (r.result) {
          committed.set(hash, { hash, tx: p.tx, height: Number(r.result.height), code: r.result.tx_result.code, to: p.to, amount: p.amount });
          pending.delete(hash);
        } else if (Date.now() - p.at > 120_000) {
          pending.delete(hash); // lost with a killed mempool, and its sequence reused: never committed
        }
      } catch {
        return; // node down: try later
      }
    }
  };
  const watcher = (async () => {
    while (!stop) {
      await watch();
      await sleep(300);
    }
  })();

  const kills = { app: 0, cometbft: 0, both: 0 };
  try {
    for (let c = 0; c < cycles; c++) {
      await sleep(300 + rng.int(2000));
      const pair = supervisorState(d.home).pairs[0]!;
      const which = rng.pick(["app", "cometbft", "both"] as const);
      const pids = which === "app" ? [pair.appPid] : which === "cometbft" ? [pair.cometPid] : [pair.appPid, pair.cometPid];
      for (const pid of pids) {
        if (!pid) continue;
        try {
          process.kill(pid, "SIGKILL");
        } catch (err) {
          // "both": the supervisor may stop CometBFT itself as soon as the app dies, before the second kill lands.
          if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
        }
      }
      kills[which]++;
      const end = Date.now() + 90_000;
      while (supervisorState(d.home).pairs[0]?.restarts === pair.restarts || !supervisorState(d.home).pairs[0]?.cometPid) {
        if (Date.now() > end) throw new Error(`cycle ${c}: the supervisor did not restart the pair`);
        await sleep(100);
      }
      const h = await retrying(() => height(d.rpc));
      await waitForHeight(d.rpc, h + 2, 90_000);
      onProgress?.(c + 1);
    }
  } finally {
    stop = true;
    await sender;
    await watcher;
  }

  // Let the last broadcast txs land, then record them.
  await waitForHeight(d.rpc, (await height(d.rpc)) + 3, 60_000);
  for (let i = 0; i < 10 && pending.size > 0; i++) {
    await watch();
    await sleep(500);
  }

  // Every block since the start: our txs in it, with their results (block_results), by hash.
  const endHeight = await height(d.rpc);
  const onChain = new Map<string, { height: number; code: number }>();
  for (let h = startHeight; h <= endHeight; h++) {
    const b = await pool.answer<{ block: { data: { txs: string[] | null } } }>("block", { height: String(h) });
    const txs = b.result?.block.data.txs ?? [];
    if (txs.length === 0) continue;
    const br = await pool.answer<{ txs_results: { code: number }[] | null }>("block_results", { height: String(h) });
    txs.forEach((t, i) => {
      const hash = createHash("sha256").update(Buffer.from(t, "base64")).digest("hex").toUpperCase();
      if (sent.has(hash)) onChain.set(hash, { height: h, code: br.result?.txs_results?.[i]?.code ?? -1 });
    });
  }
  // Every tx reported committed during the soak: still in the block it was reported in, with the same result.
  let recheckedOk = 0;
  for (const c of committed.values()) {
    const now = onChain.get(c.hash.toUpperCase());
    if (!now || now.height !== c.height || now.code !== c.code) problems.push(`tx ${c.hash}: reported at ${c.height} code ${c.code}, now ${JSON.stringify(now)}`);
    else recheckedOk++;
  }

  // No app-hash mismatch anywhere; supply unchanged; balances add up.
  for (const name of ["cometbft-0.log", "supervisor.log", "app-0.log"]) {
    for (const re of APP_HASH_FAILURES) if (re.test(d.log(name))) problems.push(`${name} matches ${re}`);
  }
  const supplyAfter = await supplyOf(pool);
  if (supplyAfter !== supplyBefore) problems.push(`supply changed: ${supplyBefore} → ${supplyAfter}`);
  const ok = [...onChain.entries()].filter(([, r]) => r.code === 0).map(([hash]) => sent.get(hash)!);
  for (const to of recipients) {
    const want = ok.filter((c) => c.to === to).reduce((s, c) => s + c.amount, 0n);
    const got = await balanceOf(pool, to);
    if (got !== want) problems.push(`${to}: balance ${got}, committed sends add up to ${want}`);
  }
  // The fee is charged when the ante checks pass: for every tx in a block except those refused by them.
  const charged = [...onChain.values()].filter((r) => !ANTE_CODES.has(r.code)).length;
  const spent = ok.reduce((s, c) => s + c.amount, 0n) + 5000n * BigInt(charged);
  const faucetAfter = await balanceOf(pool, faucet);
  if (faucetBefore - faucetAfter !== spent) problems.push(`faucet spent ${faucetBefore - faucetAfter}, committed sends and fees add up to ${spent}`);
  pool.close();
  return {
    cycles, kills, broadcast, committed: committed.size, failedInBlock: onChain.size - ok.length, recheckedOk, problems,
    inBlocks: onChain.size, blocks: endHeight - startHeight + 1,
    ms: Math.round(performance.now() - t0),
  };
}
