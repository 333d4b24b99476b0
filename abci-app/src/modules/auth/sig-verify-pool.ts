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

/**
 * Triples per message to a worker: small, so answers stream back while the worker goes on (the main thread waits
 * for the first few, not for a whole burst), yet enough to amortise a message (~30 µs alone, ~5 µs per triple in 8s).
 */
export const PART_TRIPLES = 8;

interface Call { readonly triples: readonly SigTriple[]; readonly ok: boolean[]; remaining: number; readonly resolve: (ok: boolean[]) => void }
interface Part { readonly slots: readonly (readonly [Call, number])[] }

export class SigVerifyPool {
  /** One worker per core but the main thread's, at least 1, at most 4. */
  static defaultSize(): number {
    return Math.max(1, Math.min(4, availableParallelism() - 1));
  }

  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #parts = new Map<number, Part>();
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
      this.#queue.push({ triples, ok: triples.map(() => false), remaining: triples.length, resolve });
      this.#queued += triples.length;
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush()); // everything that arrived in this turn goes out together
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
    if (this.#down !== undefined) {
      for (const c of calls) c.resolve(c.ok);
      return;
    }
    // Parts of PART_TRIPLES in call order, dealt round-robin: the first calls' answers come back first.
    const slots = calls.flatMap((c) => c.triples.map((_, i) => [c, i] as const));
    for (let at = 0, w = 0; at < slots.length; at += PART_TRIPLES, w++) {
      const part: Part = { slots: slots.slice(at, at + PART_TRIPLES) };
      const id = this.#nextId++;
      const packed = packTriples(part.slots.map(([c, i]) => c.triples[i]!));
      this.#parts.set(id, part);
      this.#inFlight += part.slots.length;
      this.#workers[w % this.size]!.postMessage({ id, packed }, [packed.buffer]);
    }
  }

  #answer(id: number, ok: Uint8Array): void {
    const part = this.#parts.get(id);
    if (part === undefined) return;
    this.#parts.delete(id);
    this.#inFlight -= part.slots.length;
    part.slots.forEach(([call, i], k) => {
      if (ok[k] === 1) {
        call.ok[i] = true;
        this.#verified += 1;
      }
      call.remaining -= 1;
      if (call.remaining === 0) call.resolve(call.ok);
    });
  }

  #fail(err: Error, onError?: (err: Error) => void): void {
    if (this.#down !== undefined) return;
    this.#down = err;
    onError?.(err);
    const open = new Set<Call>(this.#queue);
    for (const part of this.#parts.values()) for (const [call] of part.slots) open.add(call);
    this.#parts.clear();
    this.#queue = [];
    this.#queued = 0;
    this.#inFlight = 0;
    for (const c of open) c.resolve(c.ok); // what was verified stays true; the rest false
  }
}
