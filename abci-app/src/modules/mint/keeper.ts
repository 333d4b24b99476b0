import { Minter as MinterProto, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { fromUtf8, utf8 } from "../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import type { BankKeeper, StakingKeeper } from "./expected-keepers.ts";
import { Prefix } from "./keys.ts";
import { DefaultMinter, DefaultParams, type Minter, type MintParams } from "./types.ts";

const amount = (v: Uint8Array | undefined): bigint => (v ? BigInt(fromUtf8(v)) : 0n);

export function paramsProto(p: MintParams): Params {
  return {
    mintDenom: p.mintDenom, inflationRateChange: p.inflationRateChange.toString(), inflationMax: p.inflationMax.toString(),
    inflationMin: p.inflationMin.toString(), goalBonded: p.goalBonded.toString(), blocksPerYear: p.blocksPerYear,
  };
}

/** Read-only mint state. */
export class MintViewKeeper {
  getParams(store: KVReader): MintParams {
    const raw = store.get(Prefix.params);
    if (!raw) return DefaultParams;
    const p = Params.decode(raw);
    return {
      mintDenom: p.mintDenom, inflationRateChange: BigInt(p.inflationRateChange), inflationMax: BigInt(p.inflationMax),
      inflationMin: BigInt(p.inflationMin), goalBonded: BigInt(p.goalBonded), blocksPerYear: p.blocksPerYear,
    };
  }

  getMinter(store: KVReader): Minter {
    const raw = store.get(Prefix.minter);
    if (!raw) return DefaultMinter;
    const m = MinterProto.decode(raw);
    return { inflation: BigInt(m.inflation), annualProvisions: BigInt(m.annualProvisions) };
  }

  /** What the last BeginBlock minted (0 before the first block); the leasing module reads it. */
  blockProvision(store: KVReader): bigint {
    return amount(store.get(Prefix.provision));
  }

  totalMinted(store: KVReader): bigint {
    return amount(store.get(Prefix.minted));
  }

  genesisSupply(store: KVReader): bigint {
    return amount(store.get(Prefix.genesisSupply));
  }
}

/** The mint keeper: the only code that writes mint state. */
export class MintKeeper extends MintViewKeeper {
  readonly bank: BankKeeper;
  readonly staking: StakingKeeper;

  constructor(bank: BankKeeper, staking: StakingKeeper) {
    super();
    this.bank = bank;
    this.staking = staking;
  }

  setParams(store: KVStore, p: MintParams): void {
    store.set(Prefix.params, Params.encode(paramsProto(p)).finish());
  }

  setMinter(store: KVStore, m: Minter): void {
    store.set(Prefix.minter, MinterProto.encode({ inflation: m.inflation.toString(), annualProvisions: m.annualProvisions.toString() }).finish());
  }

  recordProvision(store: KVStore, provision: bigint): void {
    store.set(Prefix.provision, utf8(provision.toString()));
    if (provision > 0n) store.set(Prefix.minted, utf8((this.totalMinted(store) + provision).toString()));
  }

  setGenesisSupply(store: KVStore, supply: bigint): void {
    store.set(Prefix.genesisSupply, utf8(supply.toString()));
  }
}
