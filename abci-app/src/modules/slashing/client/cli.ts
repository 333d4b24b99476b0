// `trustnet query slashing …`: signing-info and params, declared as data (cli/ builds the commands). A validator
// named by its operator (trustvaloper1…, trust1… or a key name) is looked up in x/staking for its consensus key
// first: x/slashing keys its records by the consensus address (trustvalcons1…).
import { sha256 } from "@cosmjs/crypto";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { QueryValidatorRequest, QueryValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { VALCONS_PREFIX, valconsAddress } from "../../../sdk/address.ts";
import { type AbciQuery, allPages, type CliQuery, pageAfter } from "../../../sdk/client/cli-query.ts";
import { protoTimestamp } from "../../../sdk/client/json.ts";
import { infoJson, paramsJson } from "./rest.ts";

const Q = "/cosmos.slashing.v1beta1.Query/";

/** The consensus address of a validator given as trustvalcons1… (as it is) or as its operator (looked up). */
async function consensusAddress(query: AbciQuery, validator: string): Promise<string> {
  if (validator.startsWith(`${VALCONS_PREFIX}1`)) return validator;
  const { validator: v } = QueryValidatorResponse.decode(await query("/cosmos.staking.v1beta1.Query/Validator", QueryValidatorRequest.encode({ validatorAddr: validator }).finish()));
  if (!v.consensusPubkey) throw new Error(`${validator} has no consensus key`);
  return valconsAddress(sha256(PubKey.decode(v.consensusPubkey.value).key).slice(0, 20));
}

/** "trustvalcons1…: 3 missed in the window (signing since height 12)", and its jail on a second line. */
function signingInfoText(i: ValidatorSigningInfo): string {
  return [
    `${i.address}: ${i.missedBlocksCounter} missed in the window (signing since height ${i.startHeight})`,
    i.tombstoned ? "TOMBSTONED: jailed forever (double sign)" : i.jailedUntil.seconds > 0n || i.jailedUntil.nanos > 0 ? `jailed until ${protoTimestamp(i.jailedUntil)}` : "never jailed for downtime",
  ].join("\n");
}

export const slashingCliQueries: readonly CliQuery[] = [
  {
    name: "signing-info", describe: "a validator's liveness record: missed blocks in the window, jailed until, tombstoned",
    args: [{ name: "validator", describe: `${VALCONS_PREFIX}1…, trustvaloper1…, the operator's trust1… address, or a key name`, kind: "consensus" }],
    async run(query, a) {
      const cons = await consensusAddress(query, a.validator ?? "");
      const i = QuerySigningInfoResponse.decode(await query(`${Q}SigningInfo`, QuerySigningInfoRequest.encode({ consAddress: cons }).finish())).valSigningInfo;
      // {val_signing_info: …}: REST's /signing_infos/{cons_address} body, as simd's autocli prints the gRPC response.
      return { json: { val_signing_info: infoJson(i) }, text: signingInfoText(i) };
    },
  },
  {
    // The SDK's `query slashing signing-infos`: every validator's record (every page, at one height), as REST's
    // /cosmos/slashing/v1beta1/signing_infos lists them, in the order of their consensus addresses.
    name: "signing-infos", describe: "every validator's liveness record (every page is fetched)", args: [],
    async run(query) {
      const all = await allPages(query, `${Q}SigningInfos`, (key) => QuerySigningInfosRequest.encode({ pagination: pageAfter(key) }).finish(), (value) => {
        const r = QuerySigningInfosResponse.decode(value);
        return { items: r.info, nextKey: r.pagination?.nextKey };
      });
      return { json: { info: all.map(infoJson) }, text: all.length === 0 ? "no signing infos" : all.map(signingInfoText).join("\n") };
    },
  },
  {
    name: "params", describe: "the liveness window, the jail time and the slash fractions", path: `${Q}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const j = paramsJson(QueryParamsResponse.decode(value).params);
      return { json: { params: j }, text: Object.entries(j ?? {}).map(([k, v]) => `${k}: ${v}`).join("\n") };
    },
  },
];
