// `trustnet query mint …`: params, inflation, annual-provisions (what `simd q mint` offers), declared as data (cli/
// builds the commands). The JSON is the SDK gateway's (as /cosmos/mint/v1beta1/… answers); the text is for people.
import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { CliQuery } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { DENOM } from "../../../sdk/coins.ts";
import { decBytesText, mintParamsJson, P } from "./json.ts";

const wire = (b: Uint8Array): string => new TextDecoder().decode(b) || "0";

export const mintCliQueries: readonly CliQuery[] = [
  {
    name: "params", describe: "the mint denomination, the inflation band and its rate of change, the bonded goal, blocks per year", path: `${P}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const params = mintParamsJson(QueryParamsResponse.decode(value).params);
      return { json: { params }, text: Object.entries(params).map(([k, v]) => `${k}: ${v}`).join("\n") };
    },
  },
  {
    name: "inflation", describe: "the current annual inflation rate", path: `${P}Inflation`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      // As the SDK's `query mint inflation` prints it, and as `mint params` prints the band: LegacyDec text
      // ("0.130000004123456789"), not a percentage carrying every one of those 18 places.
      const inflation = decBytesText(QueryInflationResponse.decode(value).inflation);
      return { json: { inflation }, text: inflation };
    },
  },
  {
    name: "annual-provisions", describe: "the current annual provisions: the tokens minted in a year at the current inflation", path: `${P}AnnualProvisions`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const b = QueryAnnualProvisionsResponse.decode(value).annualProvisions;
      const json = { annual_provisions: decBytesText(b) };
      return { json, text: `${formatTrust(BigInt(wire(b)) / 10n ** 18n)} a year (${json.annual_provisions}${DENOM})` };
    },
  },
];
