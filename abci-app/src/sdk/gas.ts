import { DENOM } from "./coins.ts";
import { ErrOutOfGas } from "./errors.ts";

/** The minimum gas price of a devnet genesis (auth params), and what clients pay by default. */
export const DEFAULT_GAS_PRICE = `0.025${DENOM}`;

/** Gas costs, as the Cosmos SDK's KVGasConfig and auth params, so that gas estimates look familiar. */
export const GasCosts = {
  readFlat: 1000n,
  readPerByte: 3n,
  writeFlat: 2000n,
  writePerByte: 30n,
  deleteFlat: 1000n,
  iterNext: 30n,
  txSizePerByte: 10n,
  sigVerifySecp256k1: 1000n,
} as const;

/** A gas meter; `limit` undefined = infinite (simulation, genesis). Deterministic: bigint arithmetic only. */
export class GasMeter {
  readonly limit: bigint | undefined;
  #consumed = 0n;

  constructor(limit?: bigint) {
    this.limit = limit;
  }

  get consumed(): bigint {
    return this.#consumed;
  }

  consume(amount: bigint, descriptor: string): void {
    this.#consumed += amount;
    if (this.limit !== undefined && this.#consumed > this.limit) {
      throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.#consumed}`);
    }
  }
}
