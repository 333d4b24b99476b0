// The seeded input stream of the determinism fuzzer: blocks of valid signed txs from many keys, mutations of them
// (bit flips, truncations, appended and duplicated fields, huge varints, deep nesting), crafted bodies signed as
// they are, and random bytes. The same seed always yields the same stream.
import { BinaryWriter } from "cosmjs-types/binary";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { registry, sendMsg, signDirect, testKey, type TestKey } from "../app/testing/tx-builder.ts";

export const FUZZ_CHAIN_ID = "trustnet-fuzz-1";
export const FUZZ_GENESIS_SECONDS = 1_700_000_000n;

/** sfc32: a small, fast, seedable PRNG (deterministic across platforms: 32-bit integer arithmetic only). */
export class Rng {
  #a: number; #b: number; #c: number; #d: number;
  constructor(seed: number) {
    this.#a = 0x9e3779b9; this.#b = 0x243f6a88; this.#c = 0xb7e15162; this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }
  /** 0 ≤ n < max. */
  int(max: number): number {
    return Math.floor((this.u32() / 2 ** 32) * max);
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const tag = (no: number, wire: number): Uint8Array => new BinaryWriter().uint32(no * 8 + wire).finish();
const lenField = (no: number, payload: Uint8Array): Uint8Array => new BinaryWriter().uint32(no * 8 + 2).bytes(payload).finish();

/** `depth` nested groups (wire 3/4) of field `no`. */
export function nestedGroups(no: number, depth: number): Uint8Array {
  const s = tag(no, 3), e = tag(no, 4);
  const out = new Uint8Array((s.length + e.length) * depth);
  for (let i = 0; i < depth; i++) { out.set(s, i * s.length); out.set(e, out.length - (i + 1) * e.length); }
  return out;
}

/** `depth` nested length-delimited fields of field `no` (an unknown submessage chain), built inside out. */
function nestedMessages(no: number, depth: number): Uint8Array {
  let m: Uint8Array = new Uint8Array();
  for (let i = 0; i < depth; i++) m = lenField(no, m);
  return m;
}

/** An unknown or known field with a random wire type and payload. */
function randomField(rng: Rng): Uint8Array {
  const no = rng.pick([1, 2, 3, 4, 5, 9, 15, 1023, 1024, 1025, 2047, 4095, 536_870_911, 1 + rng.int(5000)]);
  switch (rng.int(6)) {
    case 0: return concat(tag(no, 0), new BinaryWriter().uint64(BigInt(rng.u32())).finish());
    case 1: return concat(tag(no, 1), rng.bytes(8));
    case 2: return lenField(no, rng.bytes(rng.int(40)));
    case 3: return concat(tag(no, 5), rng.bytes(4));
    case 4: return nestedGroups(no, 1 + rng.int(5));
    default: return concat(tag(no, 6 + rng.int(2)), rng.bytes(rng.int(4)));
  }
}

/** A huge or overlong varint: 10 bytes of 0xff…, an 11-byte one, or a length that runs past the end. */
function hugeVarint(rng: Rng): Uint8Array {
  switch (rng.int(3)) {
    case 0: return concat(tag(1 + rng.int(4), 0), new Uint8Array(10).fill(0xff));
    case 1: return concat(tag(1 + rng.int(4), 0), new Uint8Array(10).fill(0x80), Uint8Array.of(1));
    default: return concat(tag(1 + rng.int(4), 2), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f));
  }
}

/** One mutation of a valid tx; the result is almost never valid, and must be refused the same way everywhere. */
export function mutate(rng: Rng, tx: Uint8Array): Uint8Array {
  const raw = TxRaw.decode(tx);
  switch (rng.int(9)) {
    case 0: { // bit flips
      const out = tx.slice();
      for (let n = 1 + rng.int(3); n > 0; n--) {
        const at = rng.int(out.length);
        out[at] = (out[at] ?? 0) ^ (1 << rng.int(8));
      }
      return out;
    }
    case 1: return tx.slice(0, rng.int(tx.length));
    case 2: return concat(tx, randomField(rng));
    case 3: { // a duplicated TxRaw field
      const b = lenField(1, raw.bodyBytes), a = lenField(2, raw.authInfoBytes), s = lenField(3, raw.signatures[0] ?? new Uint8Array());
      return rng.pick([concat(b, b, a, s), concat(b, a, a, s), concat(a, b, s), concat(b, a, s, s)]);
    }
    case 4: return concat(tx, hugeVarint(rng));
    case 5: return concat(tx, nestedGroups(1 + rng.int(20), rng.pick([100, 1000, 3000, 5000, 7000, 10_000, 50_000])));
    case 6: return concat(tx, lenField(4, nestedMessages(1, rng.pick([50, 101, 500, 3000]))));
    case 7: { // a mutated body with the old signature
      const body = concat(raw.bodyBytes, randomField(rng));
      return TxRaw.encode({ ...raw, bodyBytes: body }).finish();
    }
    default: { // a splice of random bytes
      const at = rng.int(tx.length);
      return concat(tx.subarray(0, at), rng.bytes(1 + rng.int(16)), tx.subarray(at));
    }
  }
}

/** A crafted body (unknown non-critical/critical fields, repeated fields, groups, deep nesting), then signed. */
function craftedBody(rng: Rng, body: Uint8Array): Uint8Array {
  switch (rng.int(6)) {
    case 0: return concat(body, tag(1025 + 2 * rng.int(10), 0), Uint8Array.of(rng.int(128))); // non-critical: accepted
    case 1: return concat(body, randomField(rng));
    case 2: return concat(body, lenField(2, new TextEncoder().encode("dup memo")));
    case 3: return concat(body, nestedGroups(1025, rng.pick([10, 1000, 10_000])));
    case 4: return concat(body, lenField(1025, nestedMessages(1025, rng.pick([10, 99, 150]))));
    default: return concat(body, hugeVarint(rng));
  }
}

export interface FuzzKey extends TestKey {
  /** Set from the chain when the keys are funded on a running network. */
  accountNumber: bigint;
  sequence: bigint;
}

export async function fuzzKeys(n: number): Promise<FuzzKey[]> {
  const keys: FuzzKey[] = [];
  for (let i = 0; i < n; i++) keys.push({ ...(await testKey(10_000 + i)), accountNumber: BigInt(i), sequence: 0n });
  return keys;
}

/** Genesis app_state funding every key (account numbers follow the key order). */
export function fuzzGenesis(keys: readonly TestKey[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({
    auth: { accounts: keys.map((k) => ({ address: k.address })) },
    bank: { balances: keys.map((k) => ({ address: k.address, coins: [{ denom: "utrust", amount: "1000000000000" }] })) },
  }));
}

export type InputKind = "valid" | "mutated" | "crafted" | "random" | "replay";

export interface FuzzInput {
  readonly kind: InputKind;
  readonly tx: Uint8Array;
  /** The key whose sequence a valid or crafted tx uses. */
  readonly key?: FuzzKey;
}

/**
 * Generates one block of inputs. Valid and crafted txs use each key's expected next sequence; the caller corrects
 * `sequence` from the chain after the block (a tx the chain refused leaves it unchanged).
 */
export async function fuzzBlock(rng: Rng, keys: readonly FuzzKey[], size: number, history: Uint8Array[], chainId = FUZZ_CHAIN_ID): Promise<FuzzInput[]> {
  const out: FuzzInput[] = [];
  const used = new Set<FuzzKey>();
  while (out.length < size) {
    const r = rng.int(100);
    if (r < 40) {
      const key = rng.pick(keys);
      if (used.has(key)) continue; // one tx per key and block keeps the sequence bookkeeping simple
      used.add(key);
      const to = rng.pick(keys);
      const msgs = rng.chance(0.1)
        ? [{ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: key.address, coins: [{ denom: "utrust", amount: "2" }] }], outputs: [{ address: to.address, coins: [{ denom: "utrust", amount: "1" }] }, { address: rng.pick(keys).address, coins: [{ denom: "utrust", amount: "1" }] }] } }]
        : [sendMsg(key.address, to.address, String(1 + rng.int(1000)), rng.chance(0.05) ? "nosuchdenom" : "utrust")];
      const o = { chainId, accountNumber: key.accountNumber, sequence: key.sequence, memo: rng.chance(0.2) ? `fuzz ${rng.u32()}` : "" };
      let body: Uint8Array = registry.encodeTxBody({ messages: msgs, memo: o.memo });
      const crafted = rng.chance(0.15);
      if (crafted) body = craftedBody(rng, body);
      const tx = await signDirect(key, body, o);
      for (let n = rng.chance(0.5) ? 1 + rng.int(3) : 0; n > 0 && out.length < size - 1; n--) out.push({ kind: "mutated", tx: mutate(rng, tx) });
      out.push({ kind: crafted ? "crafted" : "valid", tx, key });
      history.push(tx);
      if (history.length > 500) history.shift();
    } else if (r < 55 && history.length > 0) {
      out.push({ kind: "replay", tx: rng.pick(history) });
    } else if (r < 75 && history.length > 0) {
      out.push({ kind: "mutated", tx: mutate(rng, rng.pick(history)) });
    } else {
      const n = rng.pick([1, 2, 8, 64, 300, 2000]);
      out.push({ kind: "random", tx: rng.chance(0.1) ? concat(Uint8Array.of(0x0a), rng.bytes(n)) : rng.bytes(n) });
    }
  }
  return out;
}

/**
 * A block of `count` MsgMultiSends of `outputs` outputs each, from distinct keys at their next sequence: results of
 * ~290 bytes per output, so a few of them pass the block's answer budget (app/block-answer-budget.ts) and the rest
 * of the block is refused. Each fits the fuzz chain's max_gas of 100M with the others (`gas` each).
 */
export async function bigMultiSendBlock(rng: Rng, keys: readonly FuzzKey[], count: number, outputs: number, gas: bigint, chainId = FUZZ_CHAIN_ID): Promise<FuzzInput[]> {
  const senders = new Set<FuzzKey>();
  while (senders.size < Math.min(count, keys.length)) senders.add(rng.pick(keys));
  const out: FuzzInput[] = [];
  for (const key of senders) {
    const to = Array.from({ length: outputs }, () => ({ address: rng.pick(keys).address, coins: [{ denom: "utrust", amount: String(1 + rng.int(9)) }] }));
    const total = to.reduce((n, o) => n + BigInt(o.coins[0]!.amount), 0n);
    const msgs = [{ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: key.address, coins: [{ denom: "utrust", amount: String(total) }] }], outputs: to } }];
    const body = registry.encodeTxBody({ messages: msgs, memo: "" });
    out.push({ kind: "valid", tx: await signDirect(key, body, { chainId, accountNumber: key.accountNumber, sequence: key.sequence, gas }), key });
  }
  return out;
}
