import { DEC_ONE } from "../../sdk/dec.ts";

/** x/distribution's Params (the proposer rewards are deprecated since SDK v0.47 and always zero here). */
export interface DistrParams {
  /** The share of every block's rewards that goes to the community pool (a Dec in [0, 1]). */
  readonly communityTax: bigint;
  /** Whether MsgSetWithdrawAddress is allowed. */
  readonly withdrawAddrEnabled: boolean;
}

export const DefaultParams: DistrParams = { communityTax: (2n * DEC_ONE) / 100n, withdrawAddrEnabled: true };
