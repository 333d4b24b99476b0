// `trustnet query distribution …`: rewards (and rewards-by-validator, simd's name for its one-validator form), commission, validator-distribution-info, outstanding-rewards,
// community-pool, withdraw-address, slashes and params, declared as data (cli/ builds the commands). `-o json` prints
// the body of the matching REST route (client/rest.ts's functions, the same ones), as simd's CLI prints the gRPC
// response: DecCoins, rates and slash fractions as LegacyDec text ("1.500000000000000000"); lists read every page, so
// `slashes` prints no `pagination`. The text is for people: amounts in whole TRUST.
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse, QueryDelegatorWithdrawAddressRequest, QueryDelegatorWithdrawAddressResponse, QueryParamsResponse,
  QueryValidatorCommissionRequest, QueryValidatorCommissionResponse, QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { type AbciQuery, allPages, type CliQuery, type CliQueryResult, pageAfter, parseHeight } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { DENOM } from "../../../sdk/coins.ts";
import {
  commissionJson, communityPoolJson, delegationRewardsJson, distributionInfoJson, outstandingRewardsJson, paramsJson, slashJson, totalRewardsJson, withdrawAddressJson,
} from "./rest.ts";

const Q = "/cosmos.distribution.v1beta1.Query/";
const E18 = 10n ** 18n;
const VALIDATOR = "trustvaloper1…, the operator's trust1… address, or a key name";
const LAST_HEIGHT = (2n ** 64n - 1n).toString();

const show = (cs: readonly DecCoin[]): string => (cs.length === 0 ? formatTrust(0n) : cs.map((c) => (c.denom === DENOM ? formatTrust(BigInt(c.amount) / E18) : `${BigInt(c.amount) / E18}${c.denom}`)).join(", "));

/** One delegation's pending rewards: `rewards <d> <v>` and `rewards-by-validator <d> <v>`. */
async function rewardsFrom(query: AbciQuery, del: string, val: string): Promise<CliQueryResult> {
  const r = QueryDelegationRewardsResponse.decode(await query(`${Q}DelegationRewards`, QueryDelegationRewardsRequest.encode({ delegatorAddress: del, validatorAddress: val }).finish()));
  return { json: delegationRewardsJson(r), text: `${del} has ${show(r.rewards)} of rewards from ${val}` };
}

export const distributionCliQueries: readonly CliQuery[] = [
  {
    name: "rewards", describe: "a delegator's pending rewards, per validator and in total, or from one validator (default: the active key)",
    args: [
      { name: "delegator", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true },
      { name: "validator", describe: `only the rewards from this validator: ${VALIDATOR}`, kind: "validator", optional: true, whenOmitted: "absent" },
    ],
    async run(query, a) {
      const del = a.delegator ?? "";
      const val = a.validator;
      if (val !== undefined) return rewardsFrom(query, del, val);
      const r = QueryDelegationTotalRewardsResponse.decode(await query(`${Q}DelegationTotalRewards`, QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: del }).finish()));
      return {
        json: totalRewardsJson(r),
        text: r.rewards.length === 0 ? `${del} has no delegations` : [...r.rewards.map((x) => `${x.validatorAddress}  ${show(x.reward)}`), `total: ${show(r.total)}`].join("\n"),
      };
    },
  },
  {
    // simd v0.50's name for DelegationRewards (its `rewards` is DelegationTotalRewards alone): `rewards <d> <v>`.
    name: "rewards-by-validator", describe: "a delegator's pending rewards from one validator (rewards <delegator> <validator>, as the SDK CLI names it)",
    args: [
      { name: "delegator", describe: "trust1… address or key name", kind: "address" },
      { name: "validator", describe: VALIDATOR, kind: "validator" },
    ],
    run: (query, a) => rewardsFrom(query, a.delegator ?? "", a.validator ?? ""),
  },
  {
    name: "commission", describe: "a validator's accumulated commission (default: the active key's validator)", path: `${Q}ValidatorCommission`,
    args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorCommissionRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryValidatorCommissionResponse.decode(value);
      return { json: commissionJson(r), text: `${a.validator} has ${show(r.commission?.commission ?? [])} of commission` };
    },
  },
  {
    name: "validator-distribution-info", describe: "a validator's commission and its self-delegation's pending rewards (default: the active key's validator)",
    path: `${Q}ValidatorDistributionInfo`, args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorDistributionInfoRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryValidatorDistributionInfoResponse.decode(value);
      return {
        json: distributionInfoJson(r),
        text: `${a.validator} has ${show(r.commission)} of commission and ${show(r.selfBondRewards)} of self-delegation rewards (to ${r.operatorAddress})`,
      };
    },
  },
  {
    name: "outstanding-rewards", aliases: ["validator-outstanding-rewards"], describe: "what a validator's delegators and commission are owed but have not withdrawn (default: the active key's validator)",
    path: `${Q}ValidatorOutstandingRewards`, args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryValidatorOutstandingRewardsResponse.decode(value);
      return { json: outstandingRewardsJson(r), text: `${a.validator} has ${show(r.rewards?.rewards ?? [])} of outstanding rewards` };
    },
  },
  {
    name: "community-pool", describe: "the community pool's coins", path: `${Q}CommunityPool`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const r = QueryCommunityPoolResponse.decode(value);
      return { json: communityPoolJson(r), text: `community pool: ${show(r.pool)}` };
    },
  },
  {
    name: "withdraw-address", describe: "where a delegator's rewards are paid (its own address unless it set another; default: the active key)", path: `${Q}DelegatorWithdrawAddress`,
    args: [{ name: "delegator", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    encode: (a) => QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: a.delegator ?? "" }).finish(),
    format(value, a) {
      const r = QueryDelegatorWithdrawAddressResponse.decode(value);
      const w = r.withdrawAddress;
      return { json: withdrawAddressJson(r), text: w === a.delegator ? `${w} (its own address)` : w };
    },
  },
  {
    name: "slashes", describe: "a validator's slash events between two heights (every page is fetched)",
    args: [{ name: "validator", describe: VALIDATOR, kind: "validator" }],
    options: [
      { name: "start", describe: "from this height (default 0)" },
      { name: "end", describe: "to this height, inclusive (default: the latest)" },
    ],
    check(a) {
      const start = parseHeight(a.start ?? "0", "--start");
      const end = parseHeight(a.end ?? LAST_HEIGHT, "--end");
      if (start > end) throw new Error(`--start ${start} is after --end ${end}`);
    },
    async run(query, a) {
      const val = a.validator ?? "";
      const startingHeight = parseHeight(a.start ?? "0", "--start");
      const endingHeight = parseHeight(a.end ?? LAST_HEIGHT, "--end");
      const all = await allPages(query, `${Q}ValidatorSlashes`, (key) => QueryValidatorSlashesRequest.encode({
        validatorAddress: val, startingHeight, endingHeight, pagination: pageAfter(key),
      }).finish(), (value) => {
        const r = QueryValidatorSlashesResponse.decode(value);
        return { items: r.slashes, nextKey: r.pagination?.nextKey };
      });
      const rows = all.map(slashJson);
      return {
        json: { slashes: rows },
        text: rows.length === 0 ? `${val} has no slash events${a.start || a.end ? " in those heights" : ""}` : rows.map((e) => `period ${e.validator_period}: slashed ${e.fraction}`).join("\n"),
      };
    },
  },
  {
    name: "params", describe: "the community tax and whether a delegator may set its withdraw address", path: `${Q}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const j = paramsJson(QueryParamsResponse.decode(value).params);
      return { json: { params: j }, text: Object.entries(j).map(([k, v]) => `${k}: ${String(v)}`).join("\n") };
    },
  },
];
