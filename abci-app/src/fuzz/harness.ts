// The determinism fuzzer: one seeded input stream fed to two app instances in two processes that differ in what
// can change a recursive decoder's outcome - one fresh with a small --stack-size, one warmed on a large corpus.
// After every block both must report the same CheckTx codes, the same ExecTxResults and the same app hash.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bigMultiSendBlock, FUZZ_CHAIN_ID, FUZZ_GENESIS_SECONDS, fuzzBlock, fuzzGenesis, fuzzKeys, type InputKind, Rng } from "./stream.ts";
import type { FromWorker, ToWorker } from "./worker.ts";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export interface TxFuzzOptions {
  readonly count: number;
  readonly seed?: number;
  readonly keys?: number;
  readonly perBlock?: number;
  /** Inputs the warm instance decodes before the stream starts. */
  readonly warm?: number;
  /** --stack-size (KB) of the fresh instance; Node's default is 984. */
  readonly smallStackKb?: number;
  readonly onProgress?: (done: number, total: number, height: number) => void;
  /** Every this many blocks, a block of big MultiSends whose results pass the answer budget (0: never). */
  readonly bigEvery?: number;
}

export interface TxFuzzReport {
  readonly seed: number;
  readonly inputs: number;
  readonly blocks: number;
  readonly byKind: Record<InputKind, number>;
  /** FinalizeBlock result codes over all inputs, e.g. {"0": 4100, "2": 3900, …}. */
  readonly codes: Record<string, number>;
  readonly lastAppHash: string;
  /** Results refused by the block answer budget ("block answer full"; code 1, codespace trustnet). */
  readonly refused: number;
  readonly ms: number;
  readonly warmMs: number;
}

class Worker {
  readonly #child: ChildProcess;
  readonly #queue: ((m: FromWorker) => void)[] = [];
  readonly #inbox: FromWorker[] = [];
  readonly name: string;
  #exit: string | undefined;

  constructor(name: string, execArgv: string[], args: string[]) {
    this.name = name;
    this.#child = fork(WORKER, args, { execArgv: [...process.execArgv.filter((a) => !a.startsWith("--stack-size")), ...execArgv], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#child.on("message", (m) => {
      const waiter = this.#queue.shift();
      if (waiter) waiter(m as FromWorker);
      else this.#inbox.push(m as FromWorker);
    });
    this.#child.on("exit", (code, signal) => {
      this.#exit = `exited (code ${code}, signal ${signal})`;
      for (const r of this.#queue.splice(0)) r({ t: "error", message: `${this.name} ${this.#exit}` });
    });
  }

  /** The next message (the ready message first, then one answer per request). */
  next(): Promise<FromWorker> {
    const early = this.#inbox.shift();
    if (early) return Promise.resolve(early);
    if (this.#exit) return Promise.resolve({ t: "error", message: `${this.name} ${this.#exit}` });
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  async ask(m: ToWorker): Promise<FromWorker> {
    const answer = this.next();
    this.#child.send(m);
    const a = await answer;
    if (a.t === "error") throw new Error(`${this.name}: ${a.message}`);
    return a;
  }

  stop(): void {
    if (this.#exit === undefined) this.#child.send({ t: "exit" } satisfies ToWorker);
  }
}

function diff(what: string, a: unknown, b: unknown, seed: number, height: number): Error {
  return new Error(`determinism broken at height ${height} (seed ${seed}): ${what} differ\n fresh: ${JSON.stringify(a).slice(0, 2000)}\n warm:  ${JSON.stringify(b).slice(0, 2000)}`);
}

export async function runTxFuzz(o: TxFuzzOptions): Promise<TxFuzzReport> {
  const seed = o.seed ?? 1;
  const perBlock = o.perBlock ?? 50;
  const t0 = performance.now();
  const fresh = new Worker("fresh (small stack)", [`--stack-size=${o.smallStackKb ?? 300}`], []);
  const warm = new Worker("warm", [], ["--warm", String(o.warm ?? 100_000)]);
  try {
    const [rf, rw] = await Promise.all([fresh.next(), warm.next()]);
    if (rf.t !== "ready" || rw.t !== "ready") throw new Error(`workers did not start: ${JSON.stringify([rf, rw])}`);
    const rng = new Rng(seed);
    const keys = await fuzzKeys(o.keys ?? 64);
    const init: ToWorker = { t: "init", chainId: FUZZ_CHAIN_ID, seconds: String(FUZZ_GENESIS_SECONDS), appState: fuzzGenesis(keys), maxGas: "100000000" };
    const [ia, ib] = await Promise.all([fresh.ask(init), warm.ask(init)]);
    if (JSON.stringify(ia) !== JSON.stringify(ib)) throw diff("InitChain app hashes", ia, ib, seed, 0);
    const byKind: Record<InputKind, number> = { valid: 0, mutated: 0, crafted: 0, random: 0, replay: 0 };
    const codes: Record<string, number> = {};
    const history: Uint8Array[] = [];
    let done = 0;
    let height = 0;
    let lastAppHash = "";
    let refused = 0;
    while (done < o.count) {
      height++;
      const big = (o.bigEvery ?? 0) > 0 && height % o.bigEvery! === 0;
      const inputs = big
        ? await bigMultiSendBlock(rng, keys, Math.min(10, o.count - done), 1450, 9_500_000n)
        : await fuzzBlock(rng, keys, Math.min(perBlock, o.count - done), history);
      const msg: ToWorker = { t: "block", height: String(height), seconds: String(FUZZ_GENESIS_SECONDS + BigInt(height)), txs: inputs.map((i) => i.tx) };
      const [a, b] = await Promise.all([fresh.ask(msg), warm.ask(msg)]);
      if (a.t !== "block" || b.t !== "block") throw new Error(`unexpected answers ${a.t}/${b.t}`);
      if (a.check.join() !== b.check.join()) throw diff("CheckTx codes", a.check, b.check, seed, height);
      if (a.results !== b.results) throw diff("tx results", [a.codes, a.logs], [b.codes, b.logs], seed, height);
      if (a.appHash !== b.appHash) throw diff("app hashes", a.appHash, b.appHash, seed, height);
      lastAppHash = a.appHash;
      for (const [i, input] of inputs.entries()) {
        byKind[input.kind]++;
        const c = String(a.codes[i]);
        codes[c] = (codes[c] ?? 0) + 1;
        if (a.logs[i]?.startsWith("block answer full")) refused++;
      }
      // Sequences: what the chain says, for every key that sent something this block.
      const senders = [...new Set(inputs.flatMap((i) => (i.key ? [i.key] : [])))];
      if (senders.length > 0) {
        const s = await fresh.ask({ t: "sequences", addresses: senders.map((k) => k.address) });
        if (s.t === "sequences") senders.forEach((k, i) => { k.sequence = BigInt(s.sequences[i] ?? "0"); });
      }
      done += inputs.length;
      o.onProgress?.(done, o.count, height);
    }
    return { seed, inputs: done, blocks: height, byKind, codes, lastAppHash, refused, ms: Math.round(performance.now() - t0), warmMs: rw.warmMs };
  } finally {
    fresh.stop();
    warm.stop();
  }
}
