// `trustnet query distribution …`: rewards and commission, declared as data (cli/ builds the commands). Amounts
// are DecCoins: shown in TRUST, exact (18 places of utrust) in JSON, with the whole utrust beside them.
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegationTotalRewardsRequest, QueryDelegationTotalRewardsResponse,
  QueryValidatorCommissionRequest, QueryValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { CliQuery } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { decText } from "../../../sdk/client/json.ts";
import { DENOM } from "../../../sdk/coins.ts";

const Q = "/cosmos.distribution.v1beta1.Query/";
const E18 = 10n ** 18n;
const VALIDATOR = "trustvaloper1…, the operator's trust1… address, or a key name";

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
];
