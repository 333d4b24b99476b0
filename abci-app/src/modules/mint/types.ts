import { DEC_ONE } from "../../sdk/dec.ts";

/** x/mint's Params; decimals are 18-place fixed point (sdk/dec.ts). */
export interface MintParams {
  readonly mintDenom: string;
  /** Maximum yearly change of the inflation rate. */
  readonly inflationRateChange: bigint;
  readonly inflationMax: bigint;
  readonly inflationMin: bigint;
  /** The bonded ratio inflation steers towards. */
  readonly goalBonded: bigint;
  /** Expected blocks per year: the annual provision is spread over this many blocks. */
  readonly blocksPerYear: bigint;
}

/** The minter state: the current inflation rate and annual provisions (a Dec of mint-denom units). */
export interface Minter {
  readonly inflation: bigint;
  readonly annualProvisions: bigint;
}

const pct = (n: bigint): bigint => (n * DEC_ONE) / 100n;

/** The SDK's defaults (x/mint/types/params.go): 13% change, 7–20%, 67% goal, 5 s blocks. */
export const DefaultParams: MintParams = {
  mintDenom: "utrust",
  inflationRateChange: pct(13n),
  inflationMax: pct(20n),
  inflationMin: pct(7n),
  goalBonded: pct(67n),
  blocksPerYear: (60n * 60n * 8766n) / 5n,
};

export const DefaultMinter: Minter = { inflation: pct(13n), annualProvisions: 0n };
