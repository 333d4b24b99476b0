// x/distribution's gateway routes (the Cosmos SDK's /cosmos/distribution/v1beta1/…). DecCoin amounts and rates are
// written as the gateway writes a LegacyDec: "1234.500000000000000000".
import {
  QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse, QueryParamsResponse, QueryValidatorCommissionRequest, QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse, QueryValidatorSlashesRequest, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Params, ValidatorSlashEvent } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { badRequest, fromAppCode, notFound } from "../../../sdk/client/rest-errors.ts";
import { decText } from "../../../sdk/client/json.ts";
import { forwardedPage, pageResponseJson } from "../../../sdk/client/pagination.ts";
import { ADDRESS, HEIGHT, type RestModule, type RestParam, type RestRoute, type RouteCall } from "../../../sdk/client/route-table.ts";

const P = "/cosmos.distribution.v1beta1.Query/";
const VALOPER = /^trustvaloper1[02-9ac-hj-np-z]{38,58}$/;

// The routes' bodies, one function each, as SDK v0.50's gateway prints the gRPC response; `trustnet query distribution
// … -o json` prints the same (client/cli.ts), as simd's CLI does.

/** DecCoins as the gateway prints them: the wire amount (scaled by 10^18) as LegacyDec text, "1.500000000000000000". */
export const decCoinsJson = (cs: readonly DecCoin[]): { denom: string; amount: string }[] => cs.map((c) => ({ denom: c.denom, amount: decText(c.amount) }));
/** /delegators/{d}/rewards/{v}: {rewards: DecCoins}. */
export const delegationRewardsJson = (r: QueryDelegationRewardsResponse): Record<string, unknown> => ({ rewards: decCoinsJson(r.rewards) });
/** /delegators/{d}/rewards: {rewards: [{validator_address, reward}], total}. */
export const totalRewardsJson = (r: QueryDelegationTotalRewardsResponse): Record<string, unknown> => ({
  rewards: r.rewards.map((x) => ({ validator_address: x.validatorAddress, reward: decCoinsJson(x.reward) })), total: decCoinsJson(r.total),
});
/** /validators/{v}/commission: {commission: {commission: DecCoins}} (ValidatorAccumulatedCommission inside the response). */
export const commissionJson = (r: QueryValidatorCommissionResponse): Record<string, unknown> => ({ commission: { commission: decCoinsJson(r.commission?.commission ?? []) } });
/** /validators/{v}/outstanding_rewards: {rewards: {rewards: DecCoins}} (ValidatorOutstandingRewards inside the response). */
export const outstandingRewardsJson = (r: QueryValidatorOutstandingRewardsResponse): Record<string, unknown> => ({ rewards: { rewards: decCoinsJson(r.rewards?.rewards ?? []) } });
/** /validators/{v}: {operator_address, self_bond_rewards, commission}. */
export const distributionInfoJson = (r: QueryValidatorDistributionInfoResponse): Record<string, unknown> => ({
  operator_address: r.operatorAddress, self_bond_rewards: decCoinsJson(r.selfBondRewards), commission: decCoinsJson(r.commission),
});
/** One of /validators/{v}/slashes' `slashes`: {validator_period, fraction}. */
export const slashJson = (s: ValidatorSlashEvent): { validator_period: string; fraction: string } => ({ validator_period: s.validatorPeriod.toString(), fraction: decText(s.fraction) });
/** /delegators/{d}/withdraw_address: {withdraw_address}. */
export const withdrawAddressJson = (r: QueryDelegatorWithdrawAddressResponse): Record<string, unknown> => ({ withdraw_address: r.withdrawAddress });
/** /community_pool: {pool: DecCoins}. */
export const communityPoolJson = (r: QueryCommunityPoolResponse): Record<string, unknown> => ({ pool: decCoinsJson(r.pool) });

/** x/distribution's params as the gateway prints them; `trustnet query distribution params -o json` prints the same (client/cli.ts). */
export const paramsJson = (p: Params): Record<string, string | boolean> => ({
  community_tax: decText(p.communityTax), base_proposer_reward: decText(p.baseProposerReward), bonus_proposer_reward: decText(p.bonusProposerReward), withdraw_addr_enabled: p.withdrawAddrEnabled,
});

const valParam: RestParam = { name: "validator_address", in: "path", required: true, description: "validator operator address (trustvaloper1…)", pattern: VALOPER };
const delParam: RestParam = { name: "delegator_address", in: "path", required: true, description: "delegator account address (trust1…)", pattern: ADDRESS };
const heightParam = (name: string): RestParam => ({ name, in: "query", description: `${name.replace("_", " ")} (inclusive)`, pattern: HEIGHT });

function heightOf(c: RouteCall, name: string, dflt: bigint): bigint {
  const v = c.query[name];
  if (v === undefined) return dflt;
  if (typeof v !== "string" || !HEIGHT.test(v)) throw badRequest(`${name} must be a positive integer`);
  return BigInt(v);
}

export const distributionRoutes: RestModule = {
  name: "distribution",
  routes: (ctx): RestRoute[] => {
    // distribution's own "not found" codes (12 no validator, 13 no delegation) are 404s; the rest map as sdk codes
    const q = async <T>(c: RouteCall, method: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> => {
      const r = await ctx.abciQueryRaw(c, `${P}${method}`, data);
      if (r.code === 12 || r.code === 13) throw notFound(r.log);
      if (r.code !== 0) throw fromAppCode(r.code, r.log);
      return decode(r.value);
    };
    const D = "/cosmos/distribution/v1beta1";
    return [
      {
        method: "get", path: `${D}/params`, summary: "x/distribution parameters",
        handler: async (c) => {
          const p = (await q(c, "Params", new Uint8Array(), QueryParamsResponse.decode)).params;
          return { params: paramsJson(p) };
        },
      },
      {
        method: "get", path: `${D}/validators/{validator_address}/outstanding_rewards`, summary: "Rewards distributed to a validator and not yet withdrawn (its delegators' and its commission)", params: [valParam],
        handler: async (c) => outstandingRewardsJson(await q(c, "ValidatorOutstandingRewards", QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: c.params.validator_address as string }).finish(), QueryValidatorOutstandingRewardsResponse.decode)),
      },
      {
        method: "get", path: `${D}/validators/{validator_address}/commission`, summary: "A validator's accumulated commission", params: [valParam],
        handler: async (c) => commissionJson(await q(c, "ValidatorCommission", QueryValidatorCommissionRequest.encode({ validatorAddress: c.params.validator_address as string }).finish(), QueryValidatorCommissionResponse.decode)),
      },
      {
        method: "get", path: `${D}/validators/{validator_address}`, summary: "A validator's commission and its self-delegation's pending rewards (operator_address: the operator's account address)", params: [valParam],
        handler: async (c) => distributionInfoJson(await q(c, "ValidatorDistributionInfo", QueryValidatorDistributionInfoRequest.encode({ validatorAddress: c.params.validator_address as string }).finish(), QueryValidatorDistributionInfoResponse.decode)),
      },
      {
        method: "get", path: `${D}/validators/{validator_address}/slashes`, summary: "A validator's slash events between two heights", params: [valParam, heightParam("starting_height"), heightParam("ending_height")], paginated: true,
        handler: async (c) => {
          const r = await q(c, "ValidatorSlashes", QueryValidatorSlashesRequest.encode({
            validatorAddress: c.params.validator_address as string, startingHeight: heightOf(c, "starting_height", 0n), endingHeight: heightOf(c, "ending_height", 2n ** 63n - 1n),
            pagination: forwardedPage(c.query),
          }).finish(), QueryValidatorSlashesResponse.decode);
          return { slashes: r.slashes.map(slashJson), pagination: pageResponseJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${D}/delegators/{delegator_address}/rewards/{validator_address}`, summary: "A delegation's pending rewards", params: [delParam, valParam],
        handler: async (c) => delegationRewardsJson(await q(c, "DelegationRewards", QueryDelegationRewardsRequest.encode({ delegatorAddress: c.params.delegator_address as string, validatorAddress: c.params.validator_address as string }).finish(), QueryDelegationRewardsResponse.decode)),
      },
      {
        method: "get", path: `${D}/delegators/{delegator_address}/rewards`, summary: "A delegator's pending rewards per validator and in total", params: [delParam],
        handler: async (c) => totalRewardsJson(await q(c, "DelegationTotalRewards", QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: c.params.delegator_address as string }).finish(), QueryDelegationTotalRewardsResponse.decode)),
      },
      {
        method: "get", path: `${D}/delegators/{delegator_address}/validators`, summary: "The validators a delegator delegates to", params: [delParam],
        handler: async (c) => ({ validators: (await q(c, "DelegatorValidators", QueryDelegatorValidatorsRequest.encode({ delegatorAddress: c.params.delegator_address as string }).finish(), QueryDelegatorValidatorsResponse.decode)).validators }),
      },
      {
        method: "get", path: `${D}/delegators/{delegator_address}/withdraw_address`, summary: "Where a delegator's rewards are paid", params: [delParam],
        handler: async (c) => withdrawAddressJson(await q(c, "DelegatorWithdrawAddress", QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: c.params.delegator_address as string }).finish(), QueryDelegatorWithdrawAddressResponse.decode)),
      },
      {
        method: "get", path: `${D}/community_pool`, summary: "The community pool (community tax and rounding dust)",
        handler: async (c) => communityPoolJson(await q(c, "CommunityPool", new Uint8Array(), QueryCommunityPoolResponse.decode)),
      },
    ];
  },
};
