import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { encodeTxBody, queryClients, signDirect, type CometRpc } from "@trustnet/abci-app";
import type { TagDeleteEvent, TagEvent, TagRecorder } from "../hooks.ts";

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

/**
 * Submits MsgRecordTag / MsgDeleteTag for the registry operator, asynchronously: `recordTag` only appends to a
 * queue persisted in the registry's data dir (so a restart loses nothing), and a background loop signs and
 * broadcasts batches, waits for inclusion, and retries with backoff (re-reading the sequence on a mismatch).
 */
export class ChainTagSubmitter implements TagRecorder {
  readonly #rpc: CometRpc;
  readonly #key: OperatorKey;
  readonly #file: string;
  readonly #log: SubmitterLogger;
  readonly #queue: Pending[];
  #account: { number: bigint; sequence: bigint } | undefined;
  #chainId: string | undefined;
  #running = false;
  #closed = false;
  #backoff = MIN_BACKOFF_MS;
  #timer: NodeJS.Timeout | undefined;
  /** The running submit loop, if any. */
  #current: Promise<void> | undefined;
  #idle: (() => void)[] = [];
  /** After a batch was refused permanently: submit this many records one by one, to drop only the bad one. */
  #singles = 0;
  /** Gas multiplier after an out-of-gas (reset after every recorded batch). */
  #gasFactor = 1n;

  constructor(opts: { rpc: CometRpc; key: OperatorKey; queueFile: string; logger: SubmitterLogger }) {
    this.#rpc = opts.rpc;
    this.#key = opts.key;
    this.#file = opts.queueFile;
    this.#log = opts.logger;
    mkdirSync(dirname(this.#file), { recursive: true });
    try {
      this.#queue = JSON.parse(readFileSync(this.#file, "utf8")) as Pending[];
    } catch {
      this.#queue = [];
    }
    if (this.#queue.length > 0) this.#kick(0);
  }

  get pending(): number {
    return this.#queue.length;
  }

  recordTag(ev: TagEvent): void {
    this.#enqueue({ kind: "record", ...ev });
  }

  deleteTag(ev: TagDeleteEvent): void {
    this.#enqueue({ kind: "delete", ...ev });
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  drained(): Promise<void> {
    return this.#queue.length === 0 && !this.#running ? Promise.resolve() : new Promise((r) => this.#idle.push(r));
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /**
   * close(), then let a batch already broadcast finish (included, and taken off the queue) for up to `graceMs`, so a
   * clean stop does not leave a record on chain that the persisted queue would submit again at the next start.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.close();
    const current = this.#current;
    if (!this.#running || current === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([current.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  #enqueue(p: Pending): void {
    this.#queue.push(p);
    this.#persist();
    this.#kick(0);
  }

  #persist(): void {
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#queue));
    renameSync(tmp, this.#file);
  }

  #kick(delayMs: number): void {
    if (this.#closed || this.#running || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#current = this.#loop();
    }, delayMs);
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (!this.#closed && this.#queue.length > 0) {
        const batch = this.#queue.slice(0, this.#singles > 0 ? 1 : BATCH);
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
        this.#queue.splice(0, batch.length);
        this.#persist();
      }
    } finally {
      this.#running = false;
    }
    if (this.#queue.length === 0) for (const r of this.#idle.splice(0)) r();
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
  #onRefusal(batch: readonly Pending[], r: { code: number; codespace: string; log: string }, where: string): "done" | "retry" | "split" {
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
    return "done";
  }

  /** One batch: "done" (recorded, or permanently refused and dropped), "split" (retry one by one) or "retry". */
  async #submit(batch: readonly Pending[]): Promise<"done" | "retry" | "split"> {
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
      this.#log.warn({ err: (err as Error).message, pending: this.#queue.length }, "chain unreachable for tag records; will retry");
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
