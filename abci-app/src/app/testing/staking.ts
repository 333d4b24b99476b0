// Test harness: a real TrustNetApp on real SQLite with a staking genesis, blocks with controllable time.
import assert from "node:assert/strict";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { sha256 } from "@cosmjs/crypto";
import type { Misbehavior, ResponseFinalizeBlock, ValidatorUpdate, VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { addressBytes } from "../../sdk/address.ts";
import { DEFAULT_CHAIN_ID, DENOM } from "../../client/chain.ts";
import { signTx, testKey, type TestKey } from "./tx-builder.ts";
import { TrustNetApp } from "../trustnet-app.ts";
import { StateStore } from "../../store/index.ts";
import { valoperAddress } from "../../modules/staking/addresses.ts";

export const CHAIN = DEFAULT_CHAIN_ID;
/** The harness chain's evidence max age: 5 blocks and 10 s (both must pass for evidence to expire). */
export const EVIDENCE = { maxAgeNumBlocks: 5n, maxAgeDuration: { seconds: 10n, nanos: 0 }, maxBytes: 1_048_576n };
export const T0 = 1_700_000_000n;

export interface Operator {
  readonly key: TestKey;
  readonly valoper: string;
  readonly consKey: Uint8Array;
}

export async function operator(seed: number): Promise<Operator> {
  const key = await testKey(seed);
  return { key, valoper: valoperAddress(addressBytes(key.address)), consKey: sha256(new TextEncoder().encode(`cons-${seed}`)) };
}

export interface Harness {
  readonly app: TrustNetApp;
  /** The app's store: a spec closes it before removing its directory (its WAL checkpointer thread writes there). */
  readonly store: StateStore;
  height: bigint;
  /** Seconds since T0 of the last block. */
  clock: bigint;
  /** `commit`: the previous block's votes (decided_last_commit) and the block's evidence. */
  block(txs?: Uint8Array[], advanceSeconds?: bigint, commit?: { votes?: VoteInfo[]; misbehavior?: Misbehavior[] }): ResponseFinalizeBlock;
  tx(key: TestKey, msgs: EncodeObject[], gas?: bigint): Promise<Uint8Array>;
  /** Gives back the sequence `tx` took, for a tx the ante never charged (refused in decoding/validateBasic). */
  rollbackSequence(key: TestKey): void;
  /** Signs, includes in a block, returns the tx result. */
  /** `charged`: the ante ran (fee and sequence spent); a tx refused in decoding/validateBasic costs nothing. */
  run(key: TestKey, msgs: EncodeObject[], advanceSeconds?: bigint): Promise<{ code: number; codespace: string; log: string; updates: ValidatorUpdate[]; charged: boolean }>;
  balance(address: string): bigint;
  query<T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T): T;
  queryCode(path: string, data: Uint8Array): number;
  readonly initValidators: ValidatorUpdate[];
  /** The `decided_last_commit` votes of the last block. */
  lastVotes: VoteInfo[];
}

export interface HarnessOptions {
  /** A fresh SQLite path per call (the spec makes temporary directories; this file does no I/O of its own). */
  readonly dbPath: () => string;
  readonly validators: readonly Operator[];
  readonly funded: readonly TestKey[];
  readonly params?: Record<string, unknown>;
  readonly selfDelegation?: bigint;
  readonly cometValidators?: (ours: ValidatorUpdate[]) => ValidatorUpdate[];
  /** Every module invariant after every block (default true; a replay of blocks already checked may skip it). */
  readonly checkInvariants?: boolean;
  /** Every block's `decided_last_commit` carries a COMMIT vote of each validator CometBFT has (else no votes). */
  readonly signing?: boolean;
  /** Extra app_state sections (mint, distribution, …). */
  readonly appState?: Record<string, unknown>;
  /** The genesis `slashing` section (default: none, the module's defaults). */
  readonly slashing?: Record<string, unknown>;
  /** The nanoseconds of every block's time after genesis (default 0: whole seconds), for times that are not whole seconds. */
  readonly blockNanos?: number;
}

export function genesisJson(o: HarnessOptions): unknown {
  const fund = (a: string) => ({ address: a, coins: [{ denom: DENOM, amount: "100000000000" }] });
  return {
    auth: { accounts: [...o.funded.map((k) => ({ address: k.address })), ...o.validators.map((v) => ({ address: v.key.address }))] },
    bank: { balances: [...o.funded.map((k) => fund(k.address)), ...o.validators.map((v) => fund(v.key.address))] },
    staking: {
      params: { unbonding_time: "60s", ...o.params },
      validators: o.validators.map((v, i) => ({
        operator_address: v.valoper, consensus_pubkey: Buffer.from(v.consKey).toString("base64"),
        self_delegation: String(o.selfDelegation ?? 10_000_000n * BigInt(i + 1)), description: { moniker: `node${i}` },
        commission: { rate: "0.1", max_rate: "0.2", max_change_rate: "0.01" },
      })),
    },
    ...o.appState,
    ...(o.slashing ? { slashing: o.slashing } : {}),
  };
}

export async function harness(o: HarnessOptions): Promise<Harness> {
  const store = StateStore.open(o.dbPath());
  const app = new TrustNetApp({ store, checkInvariants: o.checkInvariants ?? true });
  const accountNumbers = new Map<string, bigint>();
  const seqs = new Map<string, bigint>();
  const all = [...o.funded, ...o.validators.map((v) => v.key)];
  all.forEach((k, i) => accountNumbers.set(k.address, BigInt(i)));
  const appState = new TextEncoder().encode(JSON.stringify(genesisJson(o)));
  const probeStore = StateStore.open(o.dbPath());
  const probe = new TrustNetApp({ store: probeStore });
  const ours = (probe.initChain({ time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: appState, initialHeight: 1n }).validators ?? []) as ValidatorUpdate[];
  // Closed now: an open store's WAL checkpointer thread could still be writing files while a spec removes its directory.
  probeStore.close();
  const init = app.initChain({
    time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n }, evidence: EVIDENCE } as never,
    validators: o.cometValidators ? o.cometValidators(ours) : ours, appStateBytes: appState, initialHeight: 1n,
  });
  // the validator set CometBFT has, by base64 pubkey (updates applied as they come; no H+2 delay here)
  const valset = new Map<string, ValidatorUpdate>();
  const applyUpdates = (us: readonly ValidatorUpdate[]): void => {
    for (const u of us) {
      const id = Buffer.from(u.pubKey.ed25519 ?? []).toString("base64");
      if (u.power === 0n) valset.delete(id);
      else valset.set(id, u);
    }
  };
  applyUpdates((init.validators ?? []) as ValidatorUpdate[]);
  const h: Harness = {
    app, store, height: 0n, clock: 0n, initValidators: (init.validators ?? []) as ValidatorUpdate[],
    lastVotes: [],
    block(txs = [], advance = 1n, commit = {}) {
      h.height++;
      h.clock += advance;
      const votes = commit.votes ?? (o.signing && h.height > 1n ? [...valset.values()].map((u) => ({ validator: { address: sha256(u.pubKey.ed25519 ?? new Uint8Array()).slice(0, 20), power: u.power }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT })) : []);
      h.lastVotes = votes;
      const r = app.finalizeBlock({ txs, height: h.height, time: { seconds: T0 + h.clock, nanos: o.blockNanos ?? 0 }, hash: new Uint8Array(32), misbehavior: commit.misbehavior ?? [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes } });
      app.commit();
      applyUpdates(r.validatorUpdates ?? []);
      return r as ResponseFinalizeBlock;
    },
    async tx(key, msgs, gas = 600_000n) {
      if (!accountNumbers.has(key.address)) throw new Error(`unknown account ${key.address}`);
      const seq = seqs.get(key.address) ?? 0n;
      seqs.set(key.address, seq + 1n);
      return signTx(key, msgs, { chainId: CHAIN, accountNumber: accountNumbers.get(key.address) ?? 0n, sequence: seq, gas });
    },
    rollbackSequence(key) {
      seqs.set(key.address, (seqs.get(key.address) ?? 1n) - 1n);
    },
    async run(key, msgs, advance = 1n) {
      const r = h.block([await h.tx(key, msgs)], advance);
      const res = r.txResults[0];
      assert.ok(res);
      const charged = res.code === 0 || res.gasUsed > 0n;
      if (!charged) h.rollbackSequence(key);
      return { code: res.code, codespace: res.codespace, log: res.log, updates: r.validatorUpdates, charged };
    },
    balance(address) {
      return h.query("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom: DENOM }).finish(), (b) => BigInt(QueryBalanceResponse.decode(b).balance?.amount ?? "0"));
    },
    query(path, data, decode) {
      const r = app.query({ path, data, height: 0n, prove: false });
      assert.equal(r.code, 0, r.log);
      return decode(r.value as Uint8Array);
    },
    queryCode(path, data) {
      return app.query({ path, data, height: 0n, prove: false }).code ?? 0;
    },
  };
  return h;
}

export const FEE = (gas = 600_000n): bigint => (gas * 25n + 999n) / 1000n;
