import { createHash } from "node:crypto";
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, write, writeSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { encodeTxBody, queryClients, signDirect, type CometRpc, type RegistryQueryClient } from "@trustnet/abci-app";
import type { TagDeleteEvent, TagEvent, TagRecorder, TagReservation } from "../hooks.ts";

/** The registry operator's signing key (devnet: a 0600 file written by `devnet up`). */
export interface OperatorKey {
  readonly address: string;
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array; // 33-byte compressed
}

type Pending = ({ kind: "record" } & TagEvent) | ({ kind: "delete" } & TagDeleteEvent);

export interface SubmitterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const BATCH = 20;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 60_000;
/**
 * Chain answers that waiting can fix (a sequence race, a fee or balance the operator can top up, a full or
 * duplicate mempool): the batch is retried with backoff. Every other refusal is permanent: a batch is split and
 * then only the refused record is dropped (and logged), so one bad record never stalls the queue. Out of gas
 * (sdk/11) is handled apart: the record is retried with twice the gas, up to MAX_GAS_FACTOR, then dropped.
 */
const RETRYABLE = new Set(["sdk/3", "sdk/5", "sdk/13", "sdk/19", "sdk/20", "sdk/32"]);
const OUT_OF_GAS = "sdk/11";
export const BASE_GAS = 100_000n;
export const GAS_PER_RECORD = 60_000n;
export const MAX_GAS_FACTOR = 8n;

/** A queue key: one queued record or delete per (namespace, repo, tag). */
function keyOf(p: { namespace: string; repo: string; tag: string }): string {
  return `${p.namespace}\u0000${p.repo}\u0000${p.tag}`;
}

function sameRecord(a: Pending, b: Pending): boolean {
  return a.kind === "record" && b.kind === "record" && a.digest === b.digest && a.mediaType === b.mediaType && a.size === b.size;
}

const compactionTempOf = (journal: string): string => `${journal}.tmp`;

/**
 * The files of the tag record queue in a registry data dir: the journal (the submitter's `queueFile`), and the temp
 * file a compaction writes beside it and renames onto it, left behind only by a crash mid-compaction (and ignored
 * then: the journal is still whole). Whatever deletes the queue (`devnet reset`) deletes both.
 */
export function tagQueueFiles(dataDir: string): { readonly journal: string; readonly compactionTemp: string } {
  const journal = join(dataDir, "chain-queue.json");
  return { journal, compactionTemp: compactionTempOf(journal) };
}

/** Default cap on queued records (the whole queue), and on the share one namespace may hold. */
export const DEFAULT_MAX_QUEUED = 10_000;
export const DEFAULT_MAX_QUEUED_PER_NAMESPACE = 2_000;
/** Tags whose last confirmed digest is remembered, to skip re-recording an unchanged tag. */
const CONFIRMED_MEMORY = 10_000;
/** The journal is rewritten from the queue when it holds this many lines more than twice the queue. */
const COMPACT_SLACK = 1_000;

/**
 * Submits MsgRecordTag / MsgDeleteTag for the registry operator, asynchronously: `recordTag` only puts the event
 * in a queue persisted in the registry's data dir (so a restart loses nothing), and a background loop signs and
 * broadcasts batches, waits for inclusion, and retries with backoff (re-reading the sequence on a mismatch).
 *
 * The queue holds at most one entry per (namespace, repo, tag): a newer record or delete of a tag replaces the
 * queued one (and goes to the back). A record of the digest already queued for its tag is not queued again; one of
 * the digest this registry last confirmed for its tag is queued, but before it is submitted the chain's current
 * record of the tag is read, and the record is dropped without a tx (no fee) when the chain holds that digest still
 * (another registry authorised for the namespace may have recorded another since). `reserve()` holds room under the caps for a push before it stores anything, until
 * the push has queued its records or failed. On disk the queue is an append-only journal (`{"a": event}` / `{"r": key}` lines), written in batches
 * with one write and one fdatasync each (`flush()` resolves when what was queued before it is on disk), and
 * rewritten from the queue (temp file, fsync, rename) once it holds far more lines than entries.
 */
export class ChainTagSubmitter implements TagRecorder {
  readonly #rpc: CometRpc;
  readonly #registry: RegistryQueryClient;
  readonly #key: OperatorKey;
  readonly #file: string;
  readonly #log: SubmitterLogger;
  readonly #queue = new Map<string, Pending>();
  readonly #perNamespace = new Map<string, number>();
  readonly #confirmed = new Map<string, string>();
  /** Keys reserved by requests still running: how many requests hold each, and its namespace. */
  readonly #held = new Map<string, { n: number; namespace: string }>();
  /** Held keys not (or no longer) in the queue: room they take besides the queue's entries, in all and per namespace. */
  #heldOnly = 0;
  readonly #heldOnlyPerNamespace = new Map<string, number>();
  readonly #maxQueued: number;
  readonly #maxPerNamespace: number;
  /** The journal's descriptor; undefined once closed (stop/close). */
  #fd: number | undefined;
  /** Closing the journal (memoized, so a second stop or close is harmless). */
  #released: Promise<void> | undefined;
  #journalLines = 0;
  #lines: string[] = [];
  #io: Promise<void> = Promise.resolve();
  #flushScheduled: Promise<void> | undefined;
  #account: { number: bigint; sequence: bigint } | undefined;
  #chainId: string | undefined;
  #running = false;
  #closed = false;
  #stopping: Promise<void> | undefined;
  #backoff = MIN_BACKOFF_MS;
  #timer: NodeJS.Timeout | undefined;
  /** The running submit loop, if any. */
  #current: Promise<void> | undefined;
  #idle: (() => void)[] = [];
  /** After a batch was refused permanently: submit this many records one by one, to drop only the bad one. */
  #singles = 0;
  /** Gas multiplier after an out-of-gas (reset after every recorded batch). */
  #gasFactor = 1n;

  constructor(opts: { rpc: CometRpc; key: OperatorKey; queueFile: string; logger: SubmitterLogger; maxQueued?: number; maxQueuedPerNamespace?: number }) {
    this.#rpc = opts.rpc;
    this.#registry = queryClients((p, d) => opts.rpc.abciQuery(p, d)).registry;
    this.#key = opts.key;
    this.#file = opts.queueFile;
    this.#log = opts.logger;
    this.#maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.#maxPerNamespace = Math.min(opts.maxQueuedPerNamespace ?? DEFAULT_MAX_QUEUED_PER_NAMESPACE, this.#maxQueued);
    mkdirSync(dirname(this.#file), { recursive: true });
    const legacy = this.#load();
    this.#fd = openSync(this.#file, "a");
    // a legacy JSON array (or a journal with many stale lines) is rewritten in the journal form once, at start
    if (legacy || this.#journalLines > 2 * this.#queue.size + COMPACT_SLACK) this.#compactSync();
    if (this.#queue.size > 0) this.#kick(0);
  }

  /** Reads the journal (or the JSON array of earlier versions); a torn last line (a crash mid-write) is skipped. */
  #load(): boolean {
    let text: string;
    try {
      text = readFileSync(this.#file, "utf8");
    } catch {
      return false;
    }
    if (text.trimStart().startsWith("[")) {
      try {
        for (const p of JSON.parse(text) as Pending[]) this.#set(p);
      } catch {
        this.#log.error({ file: this.#file }, "tag record queue unreadable; starting empty");
      }
      return true;
    }
    for (const line of text.split("\n")) {
      if (line === "") continue;
      this.#journalLines++;
      try {
        const e = JSON.parse(line) as { a?: Pending; r?: string };
        if (e.a) this.#set(e.a);
        else if (typeof e.r === "string") this.#unset(e.r);
      } catch {
        this.#log.warn({ file: this.#file }, "skipping a torn line of the tag record queue");
      }
    }
    return false;
  }

  get pending(): number {
    return this.#queue.size;
  }

  /**
   * Holds room for these tags until released: a tag takes one slot whether it is queued or only reserved, so the
   * queue and the reservations of requests still running together stay within both caps. A tag already queued or
   * reserved needs no new slot (its reservation keeps the slot counted even if its queued entry is recorded and
   * leaves the queue before the request queues its own). Undefined when the tags do not fit.
   */
  reserve(namespace: string, keys: readonly { repo: string; tag: string }[]): TagReservation | undefined {
    const ks = [...new Set(keys.map((k) => keyOf({ namespace, ...k })))];
    const fresh = ks.filter((k) => !this.#queue.has(k) && !this.#held.has(k)).length;
    if (fresh > 0) {
      const total = this.#queue.size + this.#heldOnly + fresh;
      const inNamespace = (this.#perNamespace.get(namespace) ?? 0) + (this.#heldOnlyPerNamespace.get(namespace) ?? 0) + fresh;
      if (total > this.#maxQueued || inNamespace > this.#maxPerNamespace) return undefined;
    }
    for (const k of ks) {
      const h = this.#held.get(k);
      if (h !== undefined) h.n++;
      else {
        this.#held.set(k, { n: 1, namespace });
        if (!this.#queue.has(k)) this.#countHeldOnly(namespace, 1);
      }
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const k of ks) this.#unhold(k);
      },
    };
  }

  #unhold(k: string): void {
    const h = this.#held.get(k);
    if (h === undefined) return;
    if (--h.n > 0) return;
    this.#held.delete(k);
    if (!this.#queue.has(k)) this.#countHeldOnly(h.namespace, -1);
  }

  #countHeldOnly(namespace: string, delta: number): void {
    this.#heldOnly += delta;
    const n = (this.#heldOnlyPerNamespace.get(namespace) ?? 0) + delta;
    if (n === 0) this.#heldOnlyPerNamespace.delete(namespace);
    else this.#heldOnlyPerNamespace.set(namespace, n);
  }

  recordTag(ev: TagEvent): void {
    this.#enqueue({ kind: "record", ...ev });
  }

  deleteTag(ev: TagDeleteEvent): void {
    this.#enqueue({ kind: "delete", ...ev });
  }

  /** Resolves when everything queued so far is on disk (fdatasync'd). */
  flush(): Promise<void> {
    return this.#flushScheduled ?? this.#io;
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  drained(): Promise<void> {
    return this.#queue.size === 0 && !this.#running ? Promise.resolve() : new Promise((r) => this.#idle.push(r));
  }

  /**
   * Stops submitting at once and closes the journal once what is queued for it is written (a batch in flight is not
   * waited for: its outcome is not journaled, so the next start submits it again). Repeating it is harmless; a
   * record queued after it is still appended to the journal (through a descriptor opened and closed for it).
   */
  close(): void {
    this.#halt();
    void this.#release();
  }

  /**
   * Stops submitting, lets a batch already broadcast finish (included, and taken off the queue) for up to `graceMs`,
   * so a clean stop does not leave a record on chain that the persisted queue would submit again at the next start,
   * then writes what is left for the journal and closes it. A second stop (or close) waits for the same end.
   */
  stop(graceMs = 5000): Promise<void> {
    this.#halt();
    this.#stopping ??= (async (): Promise<void> => {
      const current = this.#current;
      if (this.#running && current !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([current.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      await this.#release();
    })();
    return this.#stopping;
  }

  #halt(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes the journal lines still pending, then closes the descriptor (once). */
  #release(): Promise<void> {
    this.#released ??= (async (): Promise<void> => {
      for (;;) {
        const io = this.#io;
        if (this.#flushScheduled !== undefined) await this.#flushScheduled;
        else if (this.#lines.length > 0) await this.#writeNow();
        else {
          await io;
          if (io === this.#io && this.#flushScheduled === undefined && this.#lines.length === 0) break;
        }
      }
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = undefined;
    })();
    return this.#released;
  }

  /** Queues a write of the pending lines now (lines journaled without a scheduled flush). */
  #writeNow(): Promise<void> {
    this.#io = this.#io.then(() => this.#writeBatch()).catch((err: unknown) => {
      this.#log.error({ err: (err as Error).message, file: this.#file }, "cannot write the tag record queue");
    });
    return this.#io;
  }

  #set(p: Pending): void {
    const k = keyOf(p);
    if (this.#queue.delete(k)) this.#count(p.namespace, -1);
    else if (this.#held.has(k)) this.#countHeldOnly(p.namespace, -1); // its reserved slot is now the entry's
    this.#queue.set(k, p);
    this.#count(p.namespace, 1);
  }

  #unset(k: string): void {
    const p = this.#queue.get(k);
    if (p === undefined) return;
    this.#queue.delete(k);
    this.#count(p.namespace, -1);
    if (this.#held.has(k)) this.#countHeldOnly(p.namespace, 1); // a request still holds the slot
  }

  #count(namespace: string, delta: number): void {
    const n = (this.#perNamespace.get(namespace) ?? 0) + delta;
    if (n === 0) this.#perNamespace.delete(namespace);
    else this.#perNamespace.set(namespace, n);
  }

  #enqueue(p: Pending): void {
    const k = keyOf(p);
    const queued = this.#queue.get(k);
    if (queued !== undefined && sameRecord(queued, p)) return;
    this.#set(p);
    this.#journal({ a: p });
    this.#kick(0);
  }

  #journal(entry: { a: Pending } | { r: string }): void {
    this.#lines.push(JSON.stringify(entry));
    this.#flushScheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#flushScheduled = undefined;
      return this.#writeNow();
    });
  }

  /** One write and one fdatasync for every line queued since the last; or a rewrite when the journal is mostly stale. */
  async #writeBatch(): Promise<void> {
    const lines = this.#lines.splice(0);
    if (lines.length === 0) return;
    if (this.#fd === undefined) {
      // after the stop (a request that was still running queued a record): appended through a descriptor of its
      // own, closed at once, so what was acknowledged is still in the journal at the next start
      const fh = await open(this.#file, "a");
      try {
        await fh.appendFile(`${lines.join("\n")}\n`);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      return;
    }
    this.#journalLines += lines.length;
    if (this.#journalLines > 2 * this.#queue.size + COMPACT_SLACK) {
      await this.#compact();
      return;
    }
    const fd = this.#fd;
    await new Promise<void>((res, rej) => write(fd, `${lines.join("\n")}\n`, (err) => (err ? rej(err) : res())));
    await new Promise<void>((res, rej) => fdatasync(fd, (err) => (err ? rej(err) : res())));
  }

  #snapshot(): string {
    return [...this.#queue.values()].map((p) => `${JSON.stringify({ a: p })}\n`).join("");
  }

  /** Rewrites the journal as the queue (temp file, fsync, rename; then the directory is fsynced). */
  async #compact(): Promise<void> {
    const tmp = compactionTempOf(this.#file);
    const text = this.#snapshot();
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.#file);
    await this.#reopen(text);
  }

  #compactSync(): void {
    const tmp = compactionTempOf(this.#file);
    const text = this.#snapshot();
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#file);
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = openSync(this.#file, "a");
    this.#journalLines = this.#queue.size;
  }

  async #reopen(text: string): Promise<void> {
    const dir = await open(dirname(this.#file), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = openSync(this.#file, "a");
    this.#journalLines = text === "" ? 0 : text.split("\n").length - 1;
  }

  #kick(delayMs: number): void {
    if (this.#closed || this.#running || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#current = this.#loop();
    }, delayMs);
  }

  /** Takes a submitted batch off the queue: only the entries not replaced meanwhile by a newer event of their tag. */
  #done(batch: readonly Pending[], recorded: boolean): void {
    for (const p of batch) {
      const k = keyOf(p);
      if (recorded) {
        if (p.kind === "record") {
          this.#confirmed.delete(k);
          this.#confirmed.set(k, p.digest);
          if (this.#confirmed.size > CONFIRMED_MEMORY) this.#confirmed.delete(this.#confirmed.keys().next().value as string);
        } else {
          this.#confirmed.delete(k);
        }
      }
      if (this.#queue.get(k) !== p) continue;
      this.#unset(k);
      this.#journal({ r: k });
    }
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (!this.#closed && this.#queue.size > 0) {
        const batch: Pending[] = [];
        for (const p of this.#queue.values()) {
          if (batch.length >= (this.#singles > 0 ? 1 : BATCH)) break;
          batch.push(p);
        }
        const unchanged = await this.#alreadyOnChain(batch);
        if (unchanged === undefined) {
          this.#running = false;
          this.#kick(this.#backoff);
          this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
          return;
        }
        if (unchanged.length > 0) {
          this.#done(unchanged, true); // the chain holds these digests already: nothing to pay for
          continue;
        }
        const outcome = await this.#submit(batch);
        if (outcome === "split") {
          this.#singles = batch.length;
          continue;
        }
        if (outcome === "retry") {
          this.#running = false;
          this.#kick(this.#backoff);
          this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
          return;
        }
        this.#backoff = MIN_BACKOFF_MS;
        if (this.#singles > 0) this.#singles--;
        this.#done(batch, outcome === "done");
      }
    } finally {
      this.#running = false;
    }
    if (this.#queue.size === 0) for (const r of this.#idle.splice(0)) r();
  }

  /**
   * The records of `batch` whose digest this registry last confirmed for their tag and that the chain still holds
   * (undefined: the chain could not be asked). Another registry authorised for the namespace may have recorded
   * another digest (or deleted the tag) since: such a record is submitted, and its confirmed digest forgotten.
   */
  async #alreadyOnChain(batch: readonly Pending[]): Promise<Pending[] | undefined> {
    const held: Pending[] = [];
    for (const p of batch) {
      const k = keyOf(p);
      if (p.kind !== "record" || this.#confirmed.get(k) !== p.digest) continue;
      let onChain;
      try {
        onChain = await this.#registry.tag(p.namespace, p.repo, p.tag);
      } catch (err) {
        this.#log.warn({ err: (err as Error).message, pending: this.#queue.size }, "chain unreachable to check a re-pushed tag; will retry");
        return undefined;
      }
      if (onChain?.digest === p.digest) held.push(p);
      else this.#confirmed.delete(k);
    }
    return held;
  }

  async #refreshAccount(): Promise<void> {
    const { account } = await queryClients((p, d) => this.#rpc.abciQuery(p, d)).auth.Account({ address: this.#key.address });
    const acc = BaseAccount.decode(account?.value ?? new Uint8Array());
    this.#account = { number: acc.accountNumber, sequence: acc.sequence };
  }

  #msgs(batch: readonly Pending[]) {
    return batch.map((p) =>
      p.kind === "record"
        ? { typeUrl: "/trustnet.registry.v1.MsgRecordTag", value: { operator: this.#key.address, namespace: p.namespace, repo: p.repo, tag: p.tag, digest: p.digest, mediaType: p.mediaType, size: BigInt(p.size), pusher: p.pusher } }
        : { typeUrl: "/trustnet.registry.v1.MsgDeleteTag", value: { operator: this.#key.address, namespace: p.namespace, repo: p.repo, tag: p.tag } },
    );
  }

  async #sign(batch: readonly Pending[]): Promise<Uint8Array> {
    const acct = this.#account as { number: bigint; sequence: bigint };
    const gas = (BASE_GAS + GAS_PER_RECORD * BigInt(batch.length)) * this.#gasFactor;
    return signDirect(this.#key, encodeTxBody(this.#msgs(batch), "trustnet-registry"), { chainId: this.#chainId as string, accountNumber: acct.number, sequence: acct.sequence, gas });
  }

  /** What to do with a batch the chain refused with `codespace/code` (in CheckTx or in the block). */
  #onRefusal(batch: readonly Pending[], r: { code: number; codespace: string; log: string }, where: string): "dropped" | "retry" | "split" {
    const id = `${r.codespace}/${r.code}`;
    if (RETRYABLE.has(id)) {
      this.#log.warn({ code: r.code, codespace: r.codespace, log: r.log, n: batch.length }, `tag record tx refused (${where}); will retry`);
      return "retry";
    }
    if (batch.length > 1) return "split";
    if (id === OUT_OF_GAS && this.#gasFactor < MAX_GAS_FACTOR) {
      this.#gasFactor *= 2n;
      this.#log.warn({ event: batch[0], log: r.log, gasFactor: Number(this.#gasFactor) }, "tag record ran out of gas; retrying with more gas");
      return "retry";
    }
    this.#log.error({ event: batch[0], code: r.code, codespace: r.codespace, log: r.log }, `chain refused a tag record (${where}); dropping it`);
    this.#gasFactor = 1n;
    return "dropped";
  }

  /** One batch: "done" (recorded), "dropped" (permanently refused), "split" (retry one by one) or "retry". */
  async #submit(batch: readonly Pending[]): Promise<"done" | "dropped" | "retry" | "split"> {
    try {
      this.#chainId ??= await this.#rpc.chainId();
      if (!this.#account) await this.#refreshAccount();
      const tx = await this.#sign(batch);
      const r = await this.#rpc.broadcastTxSync(tx);
      if (r.code !== 0) {
        this.#account = undefined; // re-read the sequence next time
        return this.#onRefusal(batch, r, "CheckTx");
      }
      const result = await this.#waitForTx(createHash("sha256").update(tx).digest("hex").toUpperCase());
      (this.#account as { sequence: bigint }).sequence += 1n;
      if (result.code !== 0) return this.#onRefusal(batch, result, "in the block");
      this.#gasFactor = 1n;
      this.#log.info({ n: batch.length, tags: batch.map((b) => `${b.namespace}/${b.repo}:${b.tag}`) }, "tags recorded on chain");
      return "done";
    } catch (err) {
      this.#account = undefined;
      this.#log.warn({ err: (err as Error).message, pending: this.#queue.size }, "chain unreachable for tag records; will retry");
      return "retry";
    }
  }

  async #waitForTx(hash: string): Promise<{ code: number; codespace: string; log: string }> {
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      try {
        // JSON-RPC (POST) takes bytes as base64; the 0x-hex form is only understood by the GET URI interface.
        const r = await this.#rpc.call<{ tx_result: { code: number; codespace?: string; log?: string } }>("tx", { hash: Buffer.from(hash, "hex").toString("base64") });
        return { code: r.tx_result.code, codespace: r.tx_result.codespace ?? "", log: r.tx_result.log ?? "" };
      } catch {
        await new Promise((res) => setTimeout(res, 300));
      }
    }
    throw new Error(`tx ${hash} not included within 60 s`);
  }
}
