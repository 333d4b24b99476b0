import {
  QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse, QueryParamsResponse, QueryValidatorCommissionRequest, QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse, QueryValidatorSlashesRequest, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { Delegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { addressBytes, bech32Address, valoperAddress, valoperBytes } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { paginate } from "../../sdk/pagination.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import type { KVReader } from "../../store/index.ts";
import { addDec, toWire, type DecCoins } from "./dec-coins.ts";
import { ErrNoDelegationExists, ErrNoValidatorExists } from "./errors.ts";
import type { StakingKeeper } from "./expected-keepers.ts";
import { calculateRewards, virtualRatio } from "./f1.ts";
import { paramsProto, type DistrViewKeeper } from "./keeper.ts";
import { DISTR_QUERY_SCHEMAS } from "./schemas.ts";

const P = "/cosmos.distribution.v1beta1.Query/";

/**
 * A delegation's rewards now, without writing: the validator's current period is ended virtually (the SDK branches
 * the context and increments the period; here the ratio of the virtual period is computed in place).
 */
export function pendingRewards(k: DistrViewKeeper, store: KVReader, height: bigint, val: Uint8Array, v: Validator, del: Uint8Array, d: Delegation): DecCoins {
  const { ratioAt, endingPeriod } = virtualRatio(k, store, val, v);
  return calculateRewards(k, store, height, val, v, del, d, ratioAt, endingPeriod);
}

/** The `/cosmos.distribution.v1beta1.Query/*` paths cosmjs's setupDistributionExtension uses. */
export function distributionQueries(k: DistrViewKeeper, staking: StakingKeeper): QueryHandler[] {
  const q = (method: string, handle: QueryHandler["handle"]): QueryHandler => ({ path: `${P}${method}`, request: DISTR_QUERY_SCHEMAS.get(method), handle });
  const validator = (store: KVReader, addr: string): [Uint8Array, Validator] => {
    const val = valoperBytes(addr);
    const v = staking.getValidator(store, val);
    if (!v) throw ErrNoValidatorExists.wrap(addr);
    return [val, v];
  };
  return [
    q("Params", (ctx) => QueryParamsResponse.encode({ params: paramsProto(k.getParams(ctx.store)) }).finish()),
    q("ValidatorOutstandingRewards", (ctx, data) => {
      const [val] = validator(ctx.store, QueryValidatorOutstandingRewardsRequest.decode(data).validatorAddress);
      return QueryValidatorOutstandingRewardsResponse.encode({ rewards: { rewards: toWire(k.outstanding(ctx.store, val)) } }).finish();
    }),
    q("ValidatorCommission", (ctx, data) => {
      const [val] = validator(ctx.store, QueryValidatorCommissionRequest.decode(data).validatorAddress);
      return QueryValidatorCommissionResponse.encode({ commission: { commission: toWire(k.commission(ctx.store, val)) } }).finish();
    }),
    q("ValidatorDistributionInfo", (ctx, data) => {
      // SDK v0.50: the self-delegation's pending rewards (as DelegationRewards computes them for the operator's own
      // account) and the accumulated commission; operator_address is that account address, as the SDK answers it.
      const addr = QueryValidatorDistributionInfoRequest.decode(data).validatorAddress;
      const [val, v] = validator(ctx.store, addr);
      const d = staking.getDelegation(ctx.store, val, val);
      if (!d) throw ErrNoDelegationExists.wrap(`${bech32Address(val)} -> ${addr}`);
      return QueryValidatorDistributionInfoResponse.encode({
        operatorAddress: bech32Address(val), selfBondRewards: toWire(pendingRewards(k, ctx.store, ctx.height, val, v, val, d)), commission: toWire(k.commission(ctx.store, val)),
      }).finish();
    }),
    q("ValidatorSlashes", (ctx, data) => {
      const req = QueryValidatorSlashesRequest.decode(data);
      if (req.startingHeight > req.endingHeight) throw ErrInvalidRequest.wrap("starting height greater than ending height");
      const val = valoperBytes(req.validatorAddress);
      // Paged in the store, as the SDK's: next_key is the store key of the next event, and a request's key resumes there.
      const { items, page } = paginate(req.pagination, (start) => k.slashEventsKeyed(ctx.store, val, req.startingHeight, req.endingHeight, start),
        (e) => ({ validatorPeriod: e.validatorPeriod, fraction: e.fraction.toString() }));
      return QueryValidatorSlashesResponse.encode({ slashes: items, pagination: page }).finish();
    }),
    q("DelegationRewards", (ctx, data) => {
      const req = QueryDelegationRewardsRequest.decode(data);
      const [val, v] = validator(ctx.store, req.validatorAddress);
      const del = addressBytes(req.delegatorAddress, "delegator address");
      const d = staking.getDelegation(ctx.store, del, val);
      if (!d) throw ErrNoDelegationExists.wrap(`${req.delegatorAddress} -> ${req.validatorAddress}`);
      return QueryDelegationRewardsResponse.encode({ rewards: toWire(pendingRewards(k, ctx.store, ctx.height, val, v, del, d)) }).finish();
    }),
    q("DelegationTotalRewards", (ctx, data) => {
      const del = addressBytes(QueryDelegationTotalRewardsRequest.decode(data).delegatorAddress, "delegator address");
      let total: DecCoins = [];
      const rewards = [];
      for (const [, d] of staking.delegationsOf(ctx.store, del)) {
        const [val, v] = validator(ctx.store, d.validatorAddress);
        const r = pendingRewards(k, ctx.store, ctx.height, val, v, del, d);
        rewards.push({ validatorAddress: valoperAddress(val), reward: toWire(r) });
        total = addDec(total, r);
      }
      return QueryDelegationTotalRewardsResponse.encode({ rewards, total: toWire(total) }).finish();
    }),
    q("DelegatorValidators", (ctx, data) => {
      const del = addressBytes(QueryDelegatorValidatorsRequest.decode(data).delegatorAddress, "delegator address");
      return QueryDelegatorValidatorsResponse.encode({ validators: [...staking.delegationsOf(ctx.store, del)].map(([, d]) => d.validatorAddress) }).finish();
    }),
    q("DelegatorWithdrawAddress", (ctx, data) => {
      const del = addressBytes(QueryDelegatorWithdrawAddressRequest.decode(data).delegatorAddress, "delegator address");
      return QueryDelegatorWithdrawAddressResponse.encode({ withdrawAddress: k.withdrawAddress(ctx.store, del) }).finish();
    }),
    q("CommunityPool", (ctx) => QueryCommunityPoolResponse.encode({ pool: toWire(k.communityPool(ctx.store)) }).finish()),
  ];
}
