import { setBounded } from "../bounded-map.ts";

/**
 * Whether an address has an account on chain, cached: a push is many requests (HEAD/POST/PATCH/PUT per blob, the
 * manifest) and an open push asks this on each. An account is never deleted on this chain (the auth keeper only
 * writes accounts: abci-app/src/modules/auth/keeper.ts), so a "yes" holds for `positiveTtlMs`; a "no" only for
 * `negativeTtlMs` (a few seconds), so a key funded just now is let in soon. Positive and negative answers are kept
 * in two maps of at most `maxEntries` each, oldest answer dropped first: fresh keys (all "no") cannot push the
 * answers of real accounts out. Failures (the chain cannot be asked) are never cached; concurrent questions about one
 * address share one lookup. `clock` is in milliseconds; an answer stamped later than the clock (it went back) is
 * asked again.
 */
export class AccountCache {
  readonly #lookup: (address: string) => Promise<boolean>;
  readonly #clock: () => number;
  readonly #positiveTtlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #yes = new Map<string, number>();
  readonly #no = new Map<string, number>();
  readonly #pending = new Map<string, Promise<boolean>>();

  constructor(lookup: (address: string) => Promise<boolean>, clock: () => number, opts: { positiveTtlMs: number; negativeTtlMs: number; maxEntries: number }) {
    if (!(opts.maxEntries >= 1) || !(opts.positiveTtlMs >= 0) || !(opts.negativeTtlMs >= 0)) throw new RangeError("AccountCache: maxEntries ≥ 1 and TTLs ≥ 0");
    this.#lookup = lookup;
    this.#clock = clock;
    this.#positiveTtlMs = opts.positiveTtlMs;
    this.#negativeTtlMs = opts.negativeTtlMs;
    this.#maxEntries = opts.maxEntries;
  }

  /** Answers held (positive, negative): for tests and metrics. */
  get size(): { readonly positive: number; readonly negative: number } {
    return { positive: this.#yes.size, negative: this.#no.size };
  }

  /** Whether `address` has an account; throws what the lookup throws (nothing is cached then). */
  has(address: string): Promise<boolean> {
    const now = this.#clock();
    if (this.#fresh(this.#yes, address, now, this.#positiveTtlMs)) return Promise.resolve(true);
    if (this.#fresh(this.#no, address, now, this.#negativeTtlMs)) return Promise.resolve(false);
    const pending = this.#pending.get(address);
    if (pending) return pending;
    const asked = this.#lookup(address).then((has) => {
      this.#remember(has ? this.#yes : this.#no, address, this.#clock());
      if (has) this.#no.delete(address);
      return has;
    }).finally(() => this.#pending.delete(address));
    this.#pending.set(address, asked);
    return asked;
  }

  #fresh(map: Map<string, number>, address: string, now: number, ttlMs: number): boolean {
    const at = map.get(address);
    if (at === undefined) return false;
    if (at <= now && now - at < ttlMs) return true;
    map.delete(address);
    return false;
  }

  #remember(map: Map<string, number>, address: string, at: number): void {
    setBounded(map, address, at, this.#maxEntries); // the Map's order is the answers' age
  }
}
