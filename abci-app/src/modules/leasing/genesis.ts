import { addressBytes } from "../../sdk/address.ts";
import { AppError, ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import { isOpen, type LeasingKeeper } from "./keeper.ts";
import { DefaultParams, readyDueHeight, validateParams } from "./params.ts";
import { validateHostKey } from "./ssh-keys.ts";
import { CloseReason, Lease, type LeasingGenesis, LeaseState, type Params, Provider } from "./types.ts";
import { validateImage, validateProviderFields, validateResources, validateSshEndpoint, validateSshKeys, validateWholeVcpus } from "./validate.ts";

const U64 = /^\d{1,19}$/;
const DECIMAL = /^\d{1,78}$/;
const bad = (why: string): AppError => ErrInvalidRequest.wrap(`leasing genesis: ${why}`);

function parseParams(raw: unknown): Params {
  if (raw === undefined) return DefaultParams;
  const r = readObject(raw, "leasing genesis.params", Object.keys(DefaultParams));
  const num = (key: keyof Params): bigint => {
    const v = r[key];
    if (v === undefined) return DefaultParams[key] as bigint;
    if (typeof v !== "string" || !U64.test(v)) throw bad(`params.${key} must be a decimal string`);
    return BigInt(v);
  };
  const p: Params = {
    minBond: r.minBond === undefined ? DefaultParams.minBond : String(r.minBond), readyTimeoutBlocks: num("readyTimeoutBlocks"), maxClosesPerBlock: num("maxClosesPerBlock"),
    rewardShareBps: num("rewardShareBps"), expectedBlockTimeMs: num("expectedBlockTimeMs"), takeBps: num("takeBps"),
  };
  validateParams(p);
  return p;
}

/**
 * JSON → record through the codec, refusing what it would not keep as written: an unknown field (a typo), a uint64
 * that is not a decimal string below 2^64 (the codec wraps "18446744073709551617" to 1 and "-1" to 2^64 − 1), a
 * string field given as a number (dropped to ""), a list that is not of strings.
 */
function record<T>(codec: { fromPartial(o: Partial<T>): T; encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, raw: unknown, what: string): T {
  const shape = codec.fromPartial({}) as Record<string, unknown>;
  const o = readObject(raw, `leasing genesis.${what}`, Object.keys(shape));
  for (const [k, v] of Object.entries(o)) {
    const want = shape[k];
    const fits = typeof want === "bigint" ? typeof v === "string" && /^\d{1,20}$/.test(v) && BigInt(v) < 2n ** 64n
      : Array.isArray(want) ? Array.isArray(v) && v.every((x) => typeof x === "string")
        : typeof v === typeof want;
    if (!fits) throw bad(`${what}.${k} ${JSON.stringify(v)?.slice(0, 40) ?? String(v)} must be ${typeof want === "bigint" ? "a uint64 as a decimal string" : Array.isArray(want) ? "a list of strings" : `a ${typeof want}`}`);
  }
  try {
    const m = codec.fromPartial(o as Partial<T>);
    return codec.decode(codec.encode(m).finish());
  } catch (e) {
    throw bad(`${what}: ${(e as Error).message}`);
  }
}

const decimal = (v: unknown, what: string): bigint => {
  if (v === undefined) return 0n;
  if (typeof v !== "string" || !DECIMAL.test(v)) throw bad(`${what} must be a decimal string`);
  return BigInt(v);
};

/** An amount field of a record: decimal digits only ("" is 0, as the keeper reads it); BigInt alone takes "0x10", " 7". */
const AMOUNT = /^\d{0,78}$/;

/** Runs a message's check on a genesis record's fields, naming the record in what it throws. */
function named(at: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    throw bad(`${at}: ${(e as Error).message}`);
  }
}

function amounts<T>(r: T, fields: readonly (keyof T & string)[], at: string): void {
  for (const f of fields) if (!AMOUNT.test(String(r[f]))) throw bad(`${at}.${f} ${JSON.stringify(String(r[f]).slice(0, 80))} must be a decimal string`);
}

/** A provider's fields, as MsgRegisterProvider/MsgUpdateProvider check them, and its amounts. */
function checkProvider(p: Provider, i: number): void {
  const at = `providers[${i}] (${p.owner})`;
  named(at, () => validateProviderFields(p));
  amounts(p, ["bond", "rewardIndex", "pendingRewards", "paidTotal", "rewardsPaid", "takeTotal"], at);
}

/**
 * A lease's fields. An open lease's as MsgCreateLease (and, once ready, MsgLeaseReady) checks them, with the heights
 * and due-index key its state implies, except that a ready lease may lack the host key line (leases made ready before
 * MsgLeaseReady required it; `lease ssh` refuses to pin from the fingerprint alone); a closed lease is history (the catalog and key rules may have changed since
 * it was made), so only its amounts, state and close are checked.
 */
function checkLease(l: Lease, i: number): void {
  const at = `leases[${i}] (lease ${l.id})`;
  named(at, () => (addressBytes(l.tenant, "tenant"), addressBytes(l.provider, "provider")));
  amounts(l, ["rate", "balance", "deposited", "paid", "refunded"], at);
  if (l.state < LeaseState.pending || l.state > LeaseState.closed) throw bad(`${at}.state ${l.state} is not 1 (pending), 2 (ready) or 3 (closed)`);
  if (l.state === LeaseState.closed) {
    if (!(Object.values(CloseReason) as string[]).includes(l.closeReason)) throw bad(`${at}.closeReason ${JSON.stringify(l.closeReason.slice(0, 40))} is not one of ${Object.values(CloseReason).join(", ")}`);
    if (l.closedHeight === 0n) throw bad(`${at}.closedHeight must be set on a closed lease`);
    return;
  }
  named(at, () => {
    validateResources(l, "lease", false);
    validateWholeVcpus(l.cpuMillis, "lease");
    validateImage(l.image);
    validateSshKeys(l.sshPubkeys);
  });
  if (l.closedHeight !== 0n || l.closeReason !== "") throw bad(`${at}: an open lease has no closedHeight or closeReason`);
  if (l.state === LeaseState.pending) {
    if (l.readyHeight !== 0n || l.settledHeight !== 0n || l.sshHost !== "" || l.sshPort !== 0n || l.hostKeyFingerprint !== "" || l.hostPublicKey !== "") throw bad(`${at}: a pending lease has no readyHeight, settledHeight or SSH endpoint yet`);
    if (l.dueHeight <= l.createdHeight) throw bad(`${at}.dueHeight ${l.dueHeight} must be its ready deadline, after createdHeight ${l.createdHeight}`);
    return;
  }
  if (l.readyHeight < l.createdHeight || l.readyHeight === 0n || l.settledHeight < l.readyHeight) throw bad(`${at}: heights must be createdHeight ≤ readyHeight ≤ settledHeight`);
  named(at, () => (validateSshEndpoint(l.sshHost, l.sshPort), validateHostKey(l.hostKeyFingerprint, l.hostPublicKey, true)));
  const due = readyDueHeight(l.settledHeight, BigInt(l.balance), BigInt(l.rate));
  if (l.dueHeight !== due) throw bad(`${at}.dueHeight ${l.dueHeight} ≠ settledHeight + ⌊balance / rate⌋ = ${due} (the sweep would close it at the wrong height)`);
}

/** Pure checks, before anything is written: every record's fields, then what the invariants require. */
function check(g: LeasingGenesis): void {
  g.providers.forEach(checkProvider);
  g.leases.forEach(checkLease);
  const providers = new Map<string, { p: Provider; cpu: bigint; mem: bigint; disk: bigint; bw: bigint; n: bigint; rate: bigint }>();
  for (const p of g.providers) {
    if (providers.has(p.owner)) throw bad(`provider ${p.owner} listed twice`);
    if (BigInt(p.rewardsPaid) > BigInt(p.takeTotal)) throw bad(`provider ${p.owner} was paid more rewards than its take`);
    providers.set(p.owner, { p, cpu: 0n, mem: 0n, disk: 0n, bw: 0n, n: 0n, rate: 0n });
  }
  const ids = new Set<bigint>();
  let open = 0n;
  for (const l of g.leases) {
    if (l.id === 0n || l.id >= g.nextLeaseId || ids.has(l.id)) throw bad(`lease id ${l.id} is 0, repeated, or not below nextLeaseId ${g.nextLeaseId}`);
    ids.add(l.id);
    const bal = BigInt(l.balance);
    if (BigInt(l.deposited) - BigInt(l.paid) - BigInt(l.refunded) !== bal) throw bad(`lease ${l.id}: deposited − paid − refunded ≠ balance`);
    if (!isOpen(l)) {
      if (bal !== 0n) throw bad(`closed lease ${l.id} holds ${bal}`);
      continue;
    }
    open += bal;
    const u = providers.get(l.provider);
    if (!u) throw bad(`open lease ${l.id} is on ${l.provider}, which is not a provider`);
    providers.set(l.provider, { ...u, cpu: u.cpu + l.cpuMillis, mem: u.mem + l.memoryMib, disk: u.disk + l.diskGib, bw: u.bw + l.bandwidthMbps, n: u.n + 1n, rate: u.rate + (l.state === LeaseState.ready ? BigInt(l.rate) : 0n) });
  }
  for (const { p, cpu, mem, disk, bw, n, rate } of providers.values()) {
    if (cpu !== p.usedCpuMillis || mem !== p.usedMemoryMib || disk !== p.usedDiskGib || bw !== p.usedBandwidthMbps || n !== p.openLeases || rate !== p.readyRate) throw bad(`provider ${p.owner}: used capacity, open leases or ready rate ≠ its open leases`);
    if (cpu > p.cpuMillis || mem > p.memoryMib || disk > p.diskGib || bw > p.bandwidthMbps) throw bad(`provider ${p.owner} uses more than its capacity`);
    if (BigInt(p.rewardIndex) > g.rewardIndex) throw bad(`provider ${p.owner}'s reward index is ahead of the global one`);
  }
  if (g.totals.deposits - g.totals.payments - g.totals.refunds !== open) throw bad(`totals: deposits − payments − refunds ≠ open lease balances ${open}`);
}

/** The params as genesis JSON (bigints as decimal strings), e.g. for the devnet generator. */
export function leasingGenesisJson(p: Params = DefaultParams): { params: Record<string, string> } {
  return { params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) };
}

export function leasingGenesis(k: LeasingKeeper): GenesisHandler<LeasingGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams, providers: [], leases: [], nextLeaseId: 1n, totals: { deposits: 0n, payments: 0n, refunds: 0n }, rewardIndex: 0n }),
    validateGenesis(raw) {
      const g = readObject(raw ?? {}, "leasing genesis", ["params", "providers", "leases", "nextLeaseId", "totals", "rewardIndex"]);
      const t = readObject(g.totals ?? {}, "leasing genesis.totals");
      const gs: LeasingGenesis = {
        params: parseParams(g.params),
        providers: readList(g.providers, "leasing genesis.providers").map((p, i) => record(Provider, p, `providers[${i}]`)),
        leases: readList(g.leases, "leasing genesis.leases").map((l, i) => record(Lease, l, `leases[${i}]`)),
        nextLeaseId: g.nextLeaseId === undefined ? 1n : decimal(g.nextLeaseId, "nextLeaseId"),
        totals: { deposits: decimal(t.deposits, "totals.deposits"), payments: decimal(t.payments, "totals.payments"), refunds: decimal(t.refunds, "totals.refunds") },
        rewardIndex: decimal(g.rewardIndex, "rewardIndex"),
      };
      try {
        check(gs);
      } catch (e) {
        throw e instanceof AppError ? e : bad((e as Error).message); // e.g. a non-decimal amount string
      }
      return gs;
    },
    initGenesis(ctx, gs) {
      k.importState(ctx.store, gs);
    },
    exportGenesis: (ctx) => k.exportState(ctx.store),
    toJson: (g) => leasingGenesisToJson(g),
  };
}

/** An exported genesis as JSON (64-bit integers as decimal strings), to write into genesis.json. */
export function leasingGenesisToJson(g: LeasingGenesis): unknown {
  return JSON.parse(JSON.stringify(g, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? undefined : v)));
}
