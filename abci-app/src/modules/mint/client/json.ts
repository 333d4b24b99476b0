// x/mint's answers in the SDK gateway's JSON (snake_case, rates as LegacyDec text): one view for the REST routes
// and the CLI queries.
import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { decText } from "../../../sdk/client/json.ts";

export const P = "/cosmos.mint.v1beta1.Query/";

/** A bytes-encoded LegacyDec (inflation, annual provisions) as its text. */
export const decBytesText = (b: Uint8Array): string => decText(new TextDecoder().decode(b));

export function mintParamsJson(p: Params) {
  return {
    mint_denom: p.mintDenom, inflation_rate_change: decText(p.inflationRateChange), inflation_max: decText(p.inflationMax),
    inflation_min: decText(p.inflationMin), goal_bonded: decText(p.goalBonded), blocks_per_year: p.blocksPerYear.toString(),
  };
}
