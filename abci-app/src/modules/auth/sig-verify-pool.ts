// Verifies secp256k1 signatures on worker threads, so a CheckTx that waits its turn behind other calls (64 in flight
// under load), or a block of txs this node never checked (block sync, another proposer's txs), has its signatures
// verified in parallel with the main thread's work. What a worker verifies is written into the verified-triple
// memory (sig-verify.ts): the ante handler's own verifySecp256k1 then answers from memory. Consensus never depends
// on the pool: a triple it did not verify (not done yet, refused, pool down) is verified inline as before, and
// verification is a pure function of the bytes.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { packTriples, type SigTriple } from "./sig-verify-batch.ts";

/** Triples waiting or in flight above which verify() declines at once (the inline path then does the work). */
export const MAX_PENDING_TRIPLES = 20_000;

interface Call { readonly triples: readonly SigTriple[]; readonly resolve: (ok: boolean[]) => void }
interface Flush { readonly calls: readonly Call[]; readonly ok: boolean[]; remaining: number }

export class SigVerifyPool {
  /** One worker per core but the main thread's, at least 1, at most 4. */
  static defaultSize(): number {
    return Math.max(1, Math.min(4, availableParallelism() - 1));
  }

  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #flushes = new Map<number, { flush: Flush; offset: number; count: number }>();
  #queue: Call[] = [];
  #queued = 0;
  #inFlight = 0;
  #scheduled = false;
  #nextId = 1;
  #down: Error | undefined;
  #verified = 0;

  constructor(size = SigVerifyPool.defaultSize(), onError?: (err: Error) => void) {
    if (!Number.isSafeInteger(size) || size < 1 || size > 64) throw new Error(`signature pool size must be 1..64, got ${size}`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL("./sig-verify-worker.ts", import.meta.url));
      w.unref(); // never keeps the process alive
      w.on("message", (m: { id: number; ok: Uint8Array }) => this.#answer(m.id, m.ok));
      w.on("error", (err) => this.#fail(err, onError));
      w.on("exit", (code) => { if (this.#down === undefined) this.#fail(new Error(`signature worker exited (code ${code})`), onError); });
      this.#workers.push(w);
    }
  }

  /** Signatures verified true by the workers so far. */
  get verified(): number {
    return this.#verified;
  }

  /**
   * Verifies well-formed triples (the caller checks lengths and ranges). Resolves with one boolean per triple: true
   * only if a worker verified it. Never rejects: a pool that is down or full answers all false at once.
   */
  verify(triples: readonly SigTriple[]): Promise<boolean[]> {
    if (triples.length === 0) return Promise.resolve([]);
    if (this.#down !== undefined || this.#queued + this.#inFlight + triples.length > MAX_PENDING_TRIPLES) {
      return Promise.resolve(triples.map(() => false));
    }
    return new Promise((resolve) => {
      this.#queue.push({ triples, resolve });
      this.#queued += triples.length;
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush()); // everything that arrived in this turn goes out as one batch
      }
    });
  }

  /** Stops the workers; pending calls resolve all false. */
  async close(): Promise<void> {
    this.#fail(new Error("signature pool closed"));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #flush(): void {
    this.#scheduled = false;
    const calls = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    if (calls.length === 0) return;
    if (this.#down !== undefined) {
      for (const c of calls) c.resolve(c.triples.map(() => false));
      return;
    }
    const all = calls.flatMap((c) => c.triples);
    const flush: Flush = { calls, ok: all.map(() => false), remaining: 0 };
    const per = Math.ceil(all.length / this.size);
    for (let i = 0, offset = 0; offset < all.length; i++, offset += per) {
      const part = all.slice(offset, offset + per);
      const w = this.#workers[i % this.size]!;
      const id = this.#nextId++;
      const packed = packTriples(part);
      this.#flushes.set(id, { flush, offset, count: part.length });
      flush.remaining += 1;
      this.#inFlight += part.length;
      w.postMessage({ id, packed }, [packed.buffer]);
    }
  }

  #answer(id: number, ok: Uint8Array): void {
    const part = this.#flushes.get(id);
    if (part === undefined) return;
    this.#flushes.delete(id);
    this.#inFlight -= part.count;
    for (let i = 0; i < part.count && i < ok.length; i++) {
      if (ok[i] === 1) {
        part.flush.ok[part.offset + i] = true;
        this.#verified += 1;
      }
    }
    part.flush.remaining -= 1;
    if (part.flush.remaining === 0) settle(part.flush);
  }

  #fail(err: Error, onError?: (err: Error) => void): void {
    if (this.#down !== undefined) return;
    this.#down = err;
    onError?.(err);
    const flushes = new Set([...this.#flushes.values()].map((p) => p.flush));
    this.#flushes.clear();
    this.#inFlight = 0;
    for (const f of flushes) settle(f); // what was verified stays true; the rest false
    for (const c of this.#queue) c.resolve(c.triples.map(() => false));
    this.#queue = [];
    this.#queued = 0;
  }
}

function settle(f: Flush): void {
  let at = 0;
  for (const c of f.calls) {
    c.resolve(f.ok.slice(at, at + c.triples.length));
    at += c.triples.length;
  }
}
