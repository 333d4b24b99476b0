import { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../sdk/errors.ts";
import { decodeBech32, VALCONS_PREFIX } from "../../sdk/address.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import { MISSED_CHUNK_BITS, missedChunkKey, missedPrefix, Prefix, signingInfoKey } from "./keys.ts";
import { paramsFromProto, paramsProto } from "./params.ts";
import { DefaultParams, type SlashingParams } from "./types.ts";
import type { ConsensusParamsKeeper, StakingKeeper } from "./expected-keepers.ts";

export { VALCONS_PREFIX, valconsAddress } from "../../sdk/address.ts";

/** A `trustvalcons1…` address -> its 20 bytes; `field` names it in the error. */
export function consBytes(address: string, field = "consensus address"): Uint8Array {
  if (address === "") throw ErrInvalidRequest.wrap(`empty ${field}`);
  const d = decodeBech32(address, field);
  if (d.prefix !== VALCONS_PREFIX || d.data.length !== 20) throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: want a 20-byte ${VALCONS_PREFIX} address`);
  return d.data;
}
const CHUNK_BYTES = MISSED_CHUNK_BITS / 8;

/** Read-only slashing state: params, signing infos (in consensus-address order) and the missed-blocks bitmap. */
export class SlashingViewKeeper {
  getParams(store: KVReader): SlashingParams {
    const raw = store.get(Prefix.params);
    return raw ? paramsFromProto(Params.decode(raw)) : DefaultParams;
  }

  getSigningInfo(store: KVReader, cons: Uint8Array): ValidatorSigningInfo | undefined {
    const raw = store.get(signingInfoKey(cons));
    return raw ? ValidatorSigningInfo.decode(raw) : undefined;
  }

  *iterateSigningInfos(store: KVReader, start?: Uint8Array): IterableIterator<[Uint8Array, ValidatorSigningInfo]> {
    for (const [k, v] of store.iterate(Prefix.signingInfo, start ? { start } : {})) yield [k, ValidatorSigningInfo.decode(v)];
  }

  /** Whether the block at bitmap `index` (0 <= index < window) was missed. One read. */
  getMissed(store: KVReader, cons: Uint8Array, index: bigint): boolean {
    const chunk = store.get(missedChunkKey(cons, Number(index / BigInt(MISSED_CHUNK_BITS))));
    const bit = Number(index % BigInt(MISSED_CHUNK_BITS));
    return chunk !== undefined && ((chunk[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
  }

  /** Every missed index of a validator's window, ascending (queries and invariants; never per block). */
  missedIndexes(store: KVReader, cons: Uint8Array): bigint[] {
    const out: bigint[] = [];
    const prefix = missedPrefix(cons);
    for (const [k, chunk] of store.iterate(prefix)) {
      const base = BigInt(new DataView(k.buffer, k.byteOffset + prefix.length, 4).getUint32(0)) * BigInt(MISSED_CHUNK_BITS);
      for (let bit = 0; bit < MISSED_CHUNK_BITS; bit++) if (((chunk[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0) out.push(base + BigInt(bit));
    }
    return out;
  }
}

export class SlashingKeeper extends SlashingViewKeeper {
  readonly staking: StakingKeeper;
  readonly consensus: ConsensusParamsKeeper;

  constructor(staking: StakingKeeper, consensus: ConsensusParamsKeeper) {
    super();
    this.staking = staking;
    this.consensus = consensus;
  }

  setParams(store: KVStore, p: SlashingParams): void {
    store.set(Prefix.params, Params.encode(paramsProto(p)).finish());
  }

  setSigningInfo(store: KVStore, cons: Uint8Array, info: ValidatorSigningInfo): void {
    store.set(signingInfoKey(cons), ValidatorSigningInfo.encode(info).finish());
  }

  /** Sets or clears one bit: one chunk read and one write; an all-clear chunk is deleted. */
  setMissed(store: KVStore, cons: Uint8Array, index: bigint, missed: boolean): void {
    const key = missedChunkKey(cons, Number(index / BigInt(MISSED_CHUNK_BITS)));
    const chunk = new Uint8Array(CHUNK_BYTES);
    const old = store.get(key);
    if (old) chunk.set(old);
    const bit = Number(index % BigInt(MISSED_CHUNK_BITS));
    const byte = chunk[bit >> 3] ?? 0;
    chunk[bit >> 3] = missed ? byte | (1 << (bit & 7)) : byte & ~(1 << (bit & 7));
    if (chunk.every((b) => b === 0)) store.delete(key);
    else store.set(key, chunk);
  }

  /** Forgets a validator's whole window (after a downtime jail): at most window/1024 chunk deletes. */
  clearMissed(store: KVStore, cons: Uint8Array): void {
    for (const k of [...store.iterate(missedPrefix(cons))].map(([key]) => key)) store.delete(k);
  }
}
