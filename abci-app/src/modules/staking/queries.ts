import {
  QueryDelegationRequest, QueryDelegationResponse, QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse, QueryParamsResponse, QueryPoolResponse, QueryRedelegationsRequest, QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse, QueryValidatorDelegationsRequest, QueryValidatorDelegationsResponse,
  QueryValidatorRequest, QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse, QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, bondStatusFromJSON, type Delegation, type DelegationResponse, type Redelegation, type RedelegationResponse, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { addressBytes } from "../../sdk/address.ts";
import type { QueryCtx } from "../../sdk/context.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import type { KVReader } from "../../store/index.ts";
import { valoperBytes } from "./addresses.ts";
import { ErrNoDelegation, ErrNoHistoricalInfo, ErrNoUnbondingDelegation, ErrNoValidatorFound, ErrNoRedelegation } from "./errors.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { sharesOf, type StakingViewKeeper, tokensOf } from "./keeper.ts";
import { BondedPool, NotBondedPool } from "./keys.ts";
import { paginate } from "../../sdk/pagination.ts";
import { STAKING_QUERY_SCHEMAS } from "./schemas.ts";

const P = "/cosmos.staking.v1beta1.Query/";

function statusFilter(s: string): BondStatus | undefined {
  if (s === "") return undefined;
  const st = bondStatusFromJSON(s);
  if (st === BondStatus.UNRECOGNIZED || st === BondStatus.BOND_STATUS_UNSPECIFIED) throw ErrInvalidRequest.wrap(`invalid validator status ${JSON.stringify(s.slice(0, 60))}`);
  return st;
}

export function stakingQueries(k: StakingViewKeeper, bank: Pick<BankKeeper, "getBalance" | "moduleAccounts">): QueryHandler[] {
  const denom = (store: KVReader): string => k.getParams(store).bondDenom;
  const validator = (store: KVReader, addr: string): Validator => {
    const v = k.getValidator(store, valoperBytes(addr));
    if (!v) throw ErrNoValidatorFound.wrap(`validator ${addr} not found`);
    return v;
  };
  const delegationResponse = (store: KVReader, d: Delegation): DelegationResponse => {
    const v = k.getValidator(store, valoperBytes(d.validatorAddress));
    const shares = BigInt(d.shares);
    const total = v ? sharesOf(v) : 0n;
    const amount = v && total > 0n ? (shares * tokensOf(v)) / total : 0n;
    return { delegation: d, balance: { denom: denom(store), amount: amount.toString() } };
  };
  const redelegationResponse = (r: Redelegation): RedelegationResponse => ({
    redelegation: r, entries: r.entries.map((e) => ({ redelegationEntry: e, balance: e.initialBalance })),
  });
  const q = (method: string, handle: (ctx: QueryCtx, data: Uint8Array) => Uint8Array): QueryHandler => ({ path: `${P}${method}`, request: STAKING_QUERY_SCHEMAS.get(method), handle });
  return [
    q("Validators", (ctx, data) => {
      const req = QueryValidatorsRequest.decode(data);
      const st = statusFilter(req.status);
      const { items, page } = paginate(req.pagination, (start) => k.iterateValidators(ctx.store, start), (v) => v, (v) => st === undefined || v.status === st);
      return QueryValidatorsResponse.encode({ validators: items, pagination: page }).finish();
    }),
    q("Validator", (ctx, data) => QueryValidatorResponse.encode({ validator: validator(ctx.store, QueryValidatorRequest.decode(data).validatorAddr) }).finish()),
    q("ValidatorDelegations", (ctx, data) => {
      const req = QueryValidatorDelegationsRequest.decode(data);
      const val = valoperBytes(req.validatorAddr);
      const { items, page } = paginate(req.pagination, (start) => k.delegationsTo(ctx.store, val, start), (d) => delegationResponse(ctx.store, d));
      return QueryValidatorDelegationsResponse.encode({ delegationResponses: items, pagination: page }).finish();
    }),
    q("ValidatorUnbondingDelegations", (ctx, data) => {
      const req = QueryValidatorUnbondingDelegationsRequest.decode(data);
      const val = valoperBytes(req.validatorAddr);
      const { items, page } = paginate(req.pagination, (start) => k.unbondingsFrom(ctx.store, val, start), (u) => u);
      return QueryValidatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination: page }).finish();
    }),
    q("Delegation", (ctx, data) => {
      const req = QueryDelegationRequest.decode(data);
      const d = k.getDelegation(ctx.store, addressBytes(req.delegatorAddr, "delegator address"), valoperBytes(req.validatorAddr));
      if (!d) throw ErrNoDelegation.wrap(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryDelegationResponse.encode({ delegationResponse: delegationResponse(ctx.store, d) }).finish();
    }),
    q("UnbondingDelegation", (ctx, data) => {
      const req = QueryUnbondingDelegationRequest.decode(data);
      const u = k.getUnbonding(ctx.store, addressBytes(req.delegatorAddr, "delegator address"), valoperBytes(req.validatorAddr));
      if (!u) throw ErrNoUnbondingDelegation.wrap(`unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryUnbondingDelegationResponse.encode({ unbond: u }).finish();
    }),
    q("DelegatorDelegations", (ctx, data) => {
      const req = QueryDelegatorDelegationsRequest.decode(data);
      const del = addressBytes(req.delegatorAddr, "delegator address");
      const { items, page } = paginate(req.pagination, (start) => k.delegationsOf(ctx.store, del, start), (d) => delegationResponse(ctx.store, d));
      return QueryDelegatorDelegationsResponse.encode({ delegationResponses: items, pagination: page }).finish();
    }),
    q("DelegatorUnbondingDelegations", (ctx, data) => {
      const req = QueryDelegatorUnbondingDelegationsRequest.decode(data);
      const del = addressBytes(req.delegatorAddr, "delegator address");
      const { items, page } = paginate(req.pagination, (start) => k.unbondingsOf(ctx.store, del, start), (u) => u);
      return QueryDelegatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination: page }).finish();
    }),
    q("Redelegations", (ctx, data) => {
      const req = QueryRedelegationsRequest.decode(data);
      if (req.delegatorAddr === "") throw ErrInvalidRequest.wrap("delegator address is required");
      const del = addressBytes(req.delegatorAddr, "delegator address");
      const src = req.srcValidatorAddr === "" ? undefined : valoperBytes(req.srcValidatorAddr, "source validator address");
      const dst = req.dstValidatorAddr === "" ? undefined : valoperBytes(req.dstValidatorAddr, "destination validator address");
      if (src && dst) {
        const r = k.getRedelegation(ctx.store, del, src, dst);
        if (!r) throw ErrNoRedelegation.wrap(`redelegation not found for delegator address ${req.delegatorAddr} from validator address ${req.srcValidatorAddr}`);
        return QueryRedelegationsResponse.encode({ redelegationResponses: [redelegationResponse(r)], pagination: undefined }).finish();
      }
      const { items, page } = paginate(req.pagination, (start) => k.redelegationsOf(ctx.store, del, start), redelegationResponse,
        (r) => (req.srcValidatorAddr === "" || r.validatorSrcAddress === req.srcValidatorAddr) && (req.dstValidatorAddr === "" || r.validatorDstAddress === req.dstValidatorAddr));
      return QueryRedelegationsResponse.encode({ redelegationResponses: items, pagination: page }).finish();
    }),
    q("DelegatorValidators", (ctx, data) => {
      const req = QueryDelegatorValidatorsRequest.decode(data);
      const del = addressBytes(req.delegatorAddr, "delegator address");
      const { items, page } = paginate(req.pagination, (start) => k.delegationsOf(ctx.store, del, start), (d) => validator(ctx.store, d.validatorAddress));
      return QueryDelegatorValidatorsResponse.encode({ validators: items, pagination: page }).finish();
    }),
    q("DelegatorValidator", (ctx, data) => {
      const req = QueryDelegatorValidatorRequest.decode(data);
      if (!k.getDelegation(ctx.store, addressBytes(req.delegatorAddr, "delegator address"), valoperBytes(req.validatorAddr))) throw ErrNoDelegation.wrap(`${req.delegatorAddr} -> ${req.validatorAddr}`);
      return QueryDelegatorValidatorResponse.encode({ validator: validator(ctx.store, req.validatorAddr) }).finish();
    }),
    q("HistoricalInfo", (ctx, data) => {
      const { height } = QueryHistoricalInfoRequest.decode(data);
      const hist = k.historicalInfo(ctx.store, height);
      if (!hist) throw ErrNoHistoricalInfo.wrap(`historical info for height ${height} not found`);
      return QueryHistoricalInfoResponse.encode({ hist }).finish();
    }),
    q("Pool", (ctx) => {
      const d = denom(ctx.store);
      const bal = (m: string): string => bank.getBalance(ctx.store, bank.moduleAccounts.get(m).address, d).toString();
      return QueryPoolResponse.encode({ pool: { bondedTokens: bal(BondedPool), notBondedTokens: bal(NotBondedPool) } }).finish();
    }),
    q("Params", (ctx) => QueryParamsResponse.encode({ params: k.paramsProto(ctx.store) }).finish()),
  ];
}
