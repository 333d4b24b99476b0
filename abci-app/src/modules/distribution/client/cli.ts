// `trustnet query distribution …`: rewards, commission, validator-distribution-info, outstanding-rewards,
// community-pool, withdraw-address, slashes and params, declared as data (cli/ builds the commands). Amounts are DecCoins: shown in TRUST, exact (18
// places of utrust) in JSON, with the whole utrust beside them; rates and slash fractions as
// LegacyDec text ("0.020000000000000000"), as the SDK's CLI prints them.
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse, QueryDelegatorWithdrawAddressRequest, QueryDelegatorWithdrawAddressResponse, QueryParamsResponse,
  QueryValidatorCommissionRequest, QueryValidatorCommissionResponse, QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { allPages, type CliQuery, pageAfter, parseHeight } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { decText } from "../../../sdk/client/json.ts";
import { DENOM } from "../../../sdk/coins.ts";
import { paramsJson } from "./rest.ts";

const Q = "/cosmos.distribution.v1beta1.Query/";
const E18 = 10n ** 18n;
const VALIDATOR = "trustvaloper1…, the operator's trust1… address, or a key name";
const LAST_HEIGHT = (2n ** 64n - 1n).toString();

/** A wire DecCoin (amount scaled by 10^18) as exact utrust ("123.000000000000000456") and whole utrust. */
const decCoinJson = (c: DecCoin): { denom: string; amount: string; whole: string } => ({ denom: c.denom, amount: decText(c.amount), whole: (BigInt(c.amount || "0") / E18).toString() });
const show = (cs: readonly DecCoin[]): string => (cs.length === 0 ? formatTrust(0n) : cs.map((c) => (c.denom === DENOM ? formatTrust(BigInt(c.amount) / E18) : `${BigInt(c.amount) / E18}${c.denom}`)).join(", "));

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
      if (val !== undefined) {
        const r = QueryDelegationRewardsResponse.decode(await query(`${Q}DelegationRewards`, QueryDelegationRewardsRequest.encode({ delegatorAddress: del, validatorAddress: val }).finish()));
        return { json: { delegator: del, validator: val, rewards: r.rewards.map(decCoinJson) }, text: `${del} has ${show(r.rewards)} of rewards from ${val}` };
      }
      const r = QueryDelegationTotalRewardsResponse.decode(await query(`${Q}DelegationTotalRewards`, QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: del }).finish()));
      const rows = r.rewards.map((x) => ({ validator: x.validatorAddress, rewards: x.reward.map(decCoinJson) }));
      return {
        json: { delegator: del, rewards: rows, total: r.total.map(decCoinJson) },
        text: rows.length === 0 ? `${del} has no delegations` : [...r.rewards.map((x) => `${x.validatorAddress}  ${show(x.reward)}`), `total: ${show(r.total)}`].join("\n"),
      };
    },
  },
  {
    name: "commission", describe: "a validator's accumulated commission (default: the active key's validator)", path: `${Q}ValidatorCommission`,
    args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorCommissionRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const c = QueryValidatorCommissionResponse.decode(value).commission?.commission ?? [];
      return { json: { validator: a.validator, commission: c.map(decCoinJson) }, text: `${a.validator} has ${show(c)} of commission` };
    },
  },
  {
    name: "validator-distribution-info", describe: "a validator's commission and its self-delegation's pending rewards (default: the active key's validator)",
    path: `${Q}ValidatorDistributionInfo`, args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorDistributionInfoRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryValidatorDistributionInfoResponse.decode(value);
      return {
        json: { validator: a.validator, operator_address: r.operatorAddress, self_bond_rewards: r.selfBondRewards.map(decCoinJson), commission: r.commission.map(decCoinJson) },
        text: `${a.validator} has ${show(r.commission)} of commission and ${show(r.selfBondRewards)} of self-delegation rewards (to ${r.operatorAddress})`,
      };
    },
  },
  {
    name: "outstanding-rewards", aliases: ["validator-outstanding-rewards"], describe: "what a validator's delegators and commission are owed but have not withdrawn (default: the active key's validator)",
    path: `${Q}ValidatorOutstandingRewards`, args: [{ name: "validator", describe: VALIDATOR, kind: "validator", optional: true }],
    encode: (a) => QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryValidatorOutstandingRewardsResponse.decode(value).rewards?.rewards ?? [];
      return { json: { validator: a.validator, rewards: r.map(decCoinJson) }, text: `${a.validator} has ${show(r)} of outstanding rewards` };
    },
  },
  {
    name: "community-pool", describe: "the community pool's coins", path: `${Q}CommunityPool`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const p = QueryCommunityPoolResponse.decode(value).pool;
      return { json: { pool: p.map(decCoinJson) }, text: `community pool: ${show(p)}` };
    },
  },
  {
    name: "withdraw-address", describe: "where a delegator's rewards are paid (its own address unless it set another; default: the active key)", path: `${Q}DelegatorWithdrawAddress`,
    args: [{ name: "delegator", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    encode: (a) => QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: a.delegator ?? "" }).finish(),
    format(value, a) {
      const w = QueryDelegatorWithdrawAddressResponse.decode(value).withdrawAddress;
      return { json: { delegator: a.delegator, withdraw_address: w }, text: w === a.delegator ? `${w} (its own address)` : w };
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
      const rows = all.map((e) => ({ validator_period: e.validatorPeriod.toString(), fraction: decText(e.fraction) }));
      return {
        json: { validator: val, slashes: rows },
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
