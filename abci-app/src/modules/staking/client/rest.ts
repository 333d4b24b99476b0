// x/staking's gateway routes (the SDK's `cosmos/staking/v1beta1/query.proto` HTTP bindings). Lists pass the
// `pagination.*` parameters through to the ABCI query (which pages in the store) and print its PageResponse.
// JSON as the SDK gateway prints it: snake_case, amounts and heights as strings, decimals as LegacyDec strings
// ("0.100000000000000000"), times and durations as jsonpb prints a Timestamp and a Duration (protoTimestamp,
// protoDuration: "600.500s"), the consensus key as a typed Any.
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import {
  QueryDelegationRequest, QueryDelegationResponse, QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse, QueryParamsResponse, QueryPoolResponse, QueryRedelegationsRequest, QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse, QueryValidatorDelegationsRequest, QueryValidatorDelegationsResponse,
  QueryValidatorRequest, QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse, QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import {
  bondStatusToJSON, type DelegationResponse, type HistoricalInfo, type Params, type Pool, type RedelegationResponse, type UnbondingDelegation, type Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Header } from "cosmjs-types/tendermint/types/types";
import { formatDec } from "../dec.ts";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { coinJson, protoDuration, protoTimestamp } from "../../../sdk/client/json.ts";
import { forwardedPage, pageResponseJson } from "../../../sdk/client/pagination.ts";
import { addressParam, HEIGHT, type RestContext, type RestModule, type RestParam, type RestRoute, type RouteCall } from "../../../sdk/client/route-table.ts";

const VALOPER = /^trustvaloper1[02-9ac-hj-np-z]{38,58}$/;
const STATUSES = ["BOND_STATUS_UNBONDED", "BOND_STATUS_UNBONDING", "BOND_STATUS_BONDED"];
const S = "/cosmos.staking.v1beta1.Query/";

const valParam: RestParam = { name: "validator_addr", in: "path", required: true, description: "validator operator address (trustvaloper1…)", pattern: VALOPER };
const delParam: RestParam = { ...addressParam, name: "delegator_addr", description: "delegator account address (trust1…)" };

/** Dec on the wire (the integer scaled by 10^18) → the SDK's LegacyDec string. */
const dec = (wire: string): string => formatDec(BigInt(wire || "0"));

/** A Timestamp as the gateway's jsonpb prints it (0, 3, 6 or 9 fractional digits: ".500Z", not ".5Z"); unset is the epoch. */
const timestampJson = (t: Timestamp | undefined): string => protoTimestamp(t ?? { seconds: 0n, nanos: 0 });

/** A Duration as the gateway's jsonpb prints it (0, 3, 6 or 9 fractional digits: "600.500s", not "600.5s"); unset is "0s". */
const durationJson = (d: Duration | undefined): string => protoDuration(d ?? { seconds: 0n, nanos: 0 });

/** A validator as the gateway prints it; `trustnet query staking validators|validator|… -o json` prints the same (client/cli.ts). */
export function validatorJson(v: Validator): Record<string, unknown> {
  const pk = v.consensusPubkey;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: pk ? { "@type": pk.typeUrl, key: Buffer.from(PubKey.decode(pk.value).key).toString("base64") } : null,
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: dec(v.delegatorShares),
    description: {
      moniker: v.description?.moniker ?? "", identity: v.description?.identity ?? "", website: v.description?.website ?? "",
      security_contact: v.description?.securityContact ?? "", details: v.description?.details ?? "",
    },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: timestampJson(v.unbondingTime),
    commission: {
      commission_rates: {
        rate: dec(v.commission?.commissionRates.rate ?? "0"), max_rate: dec(v.commission?.commissionRates.maxRate ?? "0"),
        max_change_rate: dec(v.commission?.commissionRates.maxChangeRate ?? "0"),
      },
      update_time: timestampJson(v.commission?.updateTime),
    },
    min_self_delegation: v.minSelfDelegation,
    unbonding_on_hold_ref_count: v.unbondingOnHoldRefCount.toString(),
    unbonding_ids: v.unbondingIds.map(String),
  };
}

/** A delegation with its balance as the gateway prints it; `trustnet query staking delegation|delegations|validator-delegations -o json` print the same (client/cli.ts). */
export const delegationJson = (r: DelegationResponse): unknown => ({
  delegation: { delegator_address: r.delegation.delegatorAddress, validator_address: r.delegation.validatorAddress, shares: dec(r.delegation.shares) },
  balance: coinJson(r.balance),
});

/** An unbonding delegation as the gateway prints it; `trustnet query staking unbonding|unbonding-delegation|validator-unbonding-delegations -o json` print the same (client/cli.ts). */
export const unbondingJson = (u: UnbondingDelegation): unknown => ({
  delegator_address: u.delegatorAddress, validator_address: u.validatorAddress,
  entries: u.entries.map((e) => ({
    creation_height: e.creationHeight.toString(), completion_time: timestampJson(e.completionTime), initial_balance: e.initialBalance,
    balance: e.balance, unbonding_id: e.unbondingId.toString(), unbonding_on_hold_ref_count: e.unbondingOnHoldRefCount.toString(),
  })),
});

/** A redelegation with its entries' balances as the gateway prints it; `trustnet query staking redelegations|redelegation -o json` print the same (client/cli.ts). */
export const redelegationJson = (r: RedelegationResponse): unknown => {
  const entry = (e: RedelegationResponse["redelegation"]["entries"][number]): unknown => ({
    creation_height: e.creationHeight.toString(), completion_time: timestampJson(e.completionTime), initial_balance: e.initialBalance,
    shares_dst: dec(e.sharesDst), unbonding_id: e.unbondingId.toString(), unbonding_on_hold_ref_count: e.unbondingOnHoldRefCount.toString(),
  });
  return {
    redelegation: {
      delegator_address: r.redelegation.delegatorAddress, validator_src_address: r.redelegation.validatorSrcAddress,
      validator_dst_address: r.redelegation.validatorDstAddress, entries: r.redelegation.entries.map(entry),
    },
    entries: r.entries.map((e) => ({ redelegation_entry: entry(e.redelegationEntry), balance: e.balance })),
  };
};

/** x/staking's params as the gateway prints them; `trustnet query staking params -o json` prints the same (client/cli.ts). */
export const paramsJson = (p: Params | undefined): Record<string, string | number> => ({
  unbonding_time: durationJson(p?.unbondingTime), max_validators: p?.maxValidators ?? 0, max_entries: p?.maxEntries ?? 0,
  historical_entries: p?.historicalEntries ?? 0, bond_denom: p?.bondDenom ?? "", min_commission_rate: dec(p?.minCommissionRate ?? "0"),
});

/** The pool as the gateway prints it; `trustnet query staking pool -o json` prints the same (client/cli.ts). */
export const poolJson = (p: Pool): Record<string, unknown> => ({ pool: { not_bonded_tokens: p.notBondedTokens, bonded_tokens: p.bondedTokens } });

const b64 = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString("base64");
const headerJson = (h: Header | undefined): unknown => h && ({
  version: { block: h.version.block.toString(), app: h.version.app.toString() }, chain_id: h.chainId, height: h.height.toString(),
  time: timestampJson(h.time), last_block_id: { hash: b64(h.lastBlockId.hash), part_set_header: { total: h.lastBlockId.partSetHeader.total, hash: b64(h.lastBlockId.partSetHeader.hash) } },
  last_commit_hash: b64(h.lastCommitHash), data_hash: b64(h.dataHash), validators_hash: b64(h.validatorsHash), next_validators_hash: b64(h.nextValidatorsHash),
  consensus_hash: b64(h.consensusHash), app_hash: b64(h.appHash), last_results_hash: b64(h.lastResultsHash), evidence_hash: b64(h.evidenceHash),
  proposer_address: b64(h.proposerAddress),
});

/** A height's historical info as the gateway prints it; `trustnet query staking historical-info -o json` prints the same (client/cli.ts). */
export const historicalInfoJson = (hist: HistoricalInfo | undefined): Record<string, unknown> => ({
  hist: hist ? { header: headerJson(hist.header), valset: hist.valset.map(validatorJson) } : null,
});

/** The gateway's `pagination.*` parameters as the proto PageRequest the ABCI query pages with. */
const pageRequest = (c: RouteCall): PageRequest => forwardedPage(c.query);
const pageJson = pageResponseJson;

function optional(c: RouteCall, name: string, pattern: RegExp, what: string): string {
  const v = c.query[name];
  if (v === undefined || v === "") return "";
  if (typeof v !== "string" || !pattern.test(v)) throw badRequest(`invalid ${name}: ${what}`);
  return v;
}

/** One gateway route: the ABCI query `method` with the request built from the call, its response as JSON. */
interface StakingRoute<R> {
  readonly path: string;
  readonly summary: string;
  readonly params?: readonly RestParam[];
  /** A list: takes `pagination.*` and answers `pagination`. */
  readonly paginated?: boolean;
  readonly method: string;
  request(c: RouteCall): Uint8Array;
  decode(b: Uint8Array): R;
  json(r: R): Record<string, unknown>;
}

/** The route table entry of `r` (lists append the query's PageResponse as `pagination`). */
const route = <R extends object>(r: StakingRoute<R>) => (ctx: RestContext): RestRoute => ({
  method: "get", path: `/cosmos/staking/v1beta1${r.path}`, summary: r.summary, ...(r.params ? { params: r.params } : {}), ...(r.paginated ? { paginated: true } : {}),
  handler: async (c: RouteCall) => {
    const res = r.decode(await ctx.abciQuery(c, `${S}${r.method}`, r.request(c)));
    return r.paginated ? { ...r.json(res), pagination: pageJson((res as { pagination?: PageResponse }).pagination) } : r.json(res);
  },
});
const del = (c: RouteCall): string => c.params.delegator_addr as string;
const val = (c: RouteCall): string => c.params.validator_addr as string;
const EMPTY = (): Uint8Array => new Uint8Array();
const STATUS_PATTERN = /^BOND_STATUS_(BONDED|UNBONDING|UNBONDED)$/;
const srcParam: RestParam = { name: "src_validator_addr", in: "query", description: "source validator (trustvaloper1…)", pattern: VALOPER };
const dstParam: RestParam = { name: "dst_validator_addr", in: "query", description: "destination validator (trustvaloper1…)", pattern: VALOPER };

const STAKING_ROUTES = [
  route({
    path: "/validators", summary: "Validators, optionally by status (BOND_STATUS_BONDED|UNBONDING|UNBONDED)", paginated: true, method: "Validators",
    params: [{ name: "status", in: "query", description: "BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED", pattern: STATUS_PATTERN }],
    request: (c) => QueryValidatorsRequest.encode({ status: optional(c, "status", STATUS_PATTERN, STATUSES.join(", ")), pagination: pageRequest(c) }).finish(),
    decode: QueryValidatorsResponse.decode, json: (r) => ({ validators: r.validators.map(validatorJson) }),
  }),
  route({
    path: "/validators/{validator_addr}", summary: "One validator", params: [valParam], method: "Validator",
    request: (c) => QueryValidatorRequest.encode({ validatorAddr: val(c) }).finish(), decode: QueryValidatorResponse.decode, json: (r) => ({ validator: validatorJson(r.validator) }),
  }),
  route({
    path: "/validators/{validator_addr}/delegations", summary: "Delegations to a validator", params: [valParam], paginated: true, method: "ValidatorDelegations",
    request: (c) => QueryValidatorDelegationsRequest.encode({ validatorAddr: val(c), pagination: pageRequest(c) }).finish(),
    decode: QueryValidatorDelegationsResponse.decode, json: (r) => ({ delegation_responses: r.delegationResponses.map(delegationJson) }),
  }),
  route({
    path: "/validators/{validator_addr}/delegations/{delegator_addr}", summary: "One delegation", params: [valParam, delParam], method: "Delegation",
    request: (c) => QueryDelegationRequest.encode({ delegatorAddr: del(c), validatorAddr: val(c) }).finish(),
    decode: QueryDelegationResponse.decode, json: (r) => ({ delegation_response: r.delegationResponse ? delegationJson(r.delegationResponse) : null }),
  }),
  route({
    path: "/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation", summary: "One unbonding delegation", params: [valParam, delParam], method: "UnbondingDelegation",
    request: (c) => QueryUnbondingDelegationRequest.encode({ delegatorAddr: del(c), validatorAddr: val(c) }).finish(),
    decode: QueryUnbondingDelegationResponse.decode, json: (r) => ({ unbond: unbondingJson(r.unbond) }),
  }),
  route({
    path: "/validators/{validator_addr}/unbonding_delegations", summary: "Unbonding delegations from a validator", params: [valParam], paginated: true, method: "ValidatorUnbondingDelegations",
    request: (c) => QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: val(c), pagination: pageRequest(c) }).finish(),
    decode: QueryValidatorUnbondingDelegationsResponse.decode, json: (r) => ({ unbonding_responses: r.unbondingResponses.map(unbondingJson) }),
  }),
  route({
    path: "/delegations/{delegator_addr}", summary: "A delegator's delegations", params: [delParam], paginated: true, method: "DelegatorDelegations",
    request: (c) => QueryDelegatorDelegationsRequest.encode({ delegatorAddr: del(c), pagination: pageRequest(c) }).finish(),
    decode: QueryDelegatorDelegationsResponse.decode, json: (r) => ({ delegation_responses: r.delegationResponses.map(delegationJson) }),
  }),
  route({
    path: "/delegators/{delegator_addr}/unbonding_delegations", summary: "A delegator's unbonding delegations", params: [delParam], paginated: true, method: "DelegatorUnbondingDelegations",
    request: (c) => QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: del(c), pagination: pageRequest(c) }).finish(),
    decode: QueryDelegatorUnbondingDelegationsResponse.decode, json: (r) => ({ unbonding_responses: r.unbondingResponses.map(unbondingJson) }),
  }),
  route({
    path: "/delegators/{delegator_addr}/redelegations", summary: "A delegator's redelegations, optionally from/to given validators", params: [delParam, srcParam, dstParam], paginated: true, method: "Redelegations",
    request: (c) => QueryRedelegationsRequest.encode({
      delegatorAddr: del(c), srcValidatorAddr: optional(c, srcParam.name, VALOPER, srcParam.description), dstValidatorAddr: optional(c, dstParam.name, VALOPER, dstParam.description), pagination: pageRequest(c),
    }).finish(),
    decode: QueryRedelegationsResponse.decode, json: (r) => ({ redelegation_responses: r.redelegationResponses.map(redelegationJson) }),
  }),
  route({
    path: "/delegators/{delegator_addr}/validators", summary: "The validators a delegator delegates to", params: [delParam], paginated: true, method: "DelegatorValidators",
    request: (c) => QueryDelegatorValidatorsRequest.encode({ delegatorAddr: del(c), pagination: pageRequest(c) }).finish(),
    decode: QueryDelegatorValidatorsResponse.decode, json: (r) => ({ validators: r.validators.map(validatorJson) }),
  }),
  route({
    path: "/delegators/{delegator_addr}/validators/{validator_addr}", summary: "One validator a delegator delegates to", params: [delParam, valParam], method: "DelegatorValidator",
    request: (c) => QueryDelegatorValidatorRequest.encode({ delegatorAddr: del(c), validatorAddr: val(c) }).finish(),
    decode: QueryDelegatorValidatorResponse.decode, json: (r) => ({ validator: validatorJson(r.validator) }),
  }),
  route({
    path: "/historical_info/{height}", summary: "The header and bonded set kept for a recent height", method: "HistoricalInfo",
    params: [{ name: "height", in: "path", required: true, description: "block height", pattern: HEIGHT }],
    request: (c) => QueryHistoricalInfoRequest.encode({ height: BigInt(c.params.height as string) }).finish(),
    decode: QueryHistoricalInfoResponse.decode, json: (r) => historicalInfoJson(r.hist),
  }),
  route({
    path: "/pool", summary: "Bonded and not-bonded pool balances", method: "Pool", request: EMPTY,
    decode: QueryPoolResponse.decode, json: (r) => poolJson(r.pool),
  }),
  route({ path: "/params", summary: "x/staking parameters", method: "Params", request: EMPTY, decode: QueryParamsResponse.decode, json: (r) => ({ params: paramsJson(r.params) }) }),
];

export const stakingRoutes: RestModule = { name: "staking", routes: (ctx): RestRoute[] => STAKING_ROUTES.map((r) => r(ctx)) };
