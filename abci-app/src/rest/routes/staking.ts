// x/staking's gateway routes (the SDK's `cosmos/staking/v1beta1/query.proto` HTTP bindings). Lists pass the
// `pagination.*` parameters through to the ABCI query (which pages in the store) and print its PageResponse.
// JSON as the SDK gateway prints it: snake_case, amounts and heights as strings, decimals as LegacyDec strings
// ("0.100000000000000000"), times as RFC 3339, the consensus key as a typed Any.
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
  bondStatusToJSON, type DelegationResponse, type Params, type RedelegationResponse, type UnbondingDelegation, type Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Header } from "cosmjs-types/tendermint/types/types";
import { formatDec } from "../../modules/staking/index.ts";
import { badRequest } from "../errors.ts";
import { coinJson } from "../json.ts";
import { parsePageRequest } from "../pagination.ts";
import { addressParam, HEIGHT, type RestModule, type RestParam, type RestRoute, type RouteCall } from "../route-table.ts";

const VALOPER = /^trustvaloper1[02-9ac-hj-np-z]{38,58}$/;
const STATUSES = ["BOND_STATUS_UNBONDED", "BOND_STATUS_UNBONDING", "BOND_STATUS_BONDED"];
const S = "/cosmos.staking.v1beta1.Query/";

const valParam: RestParam = { name: "validator_addr", in: "path", required: true, description: "validator operator address (trustvaloper1…)", pattern: VALOPER };
const delParam: RestParam = { ...addressParam, name: "delegator_addr", description: "delegator account address (trust1…)" };

/** Dec on the wire (the integer scaled by 10^18) → the SDK's LegacyDec string. */
const dec = (wire: string): string => formatDec(BigInt(wire || "0"));

export function timestampJson(t: Timestamp | undefined): string {
  const s = t?.seconds ?? 0n;
  const iso = new Date(Number(s) * 1000).toISOString().slice(0, 19);
  const nanos = t?.nanos ?? 0;
  return `${iso}${nanos ? `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}` : ""}Z`;
}

const durationJson = (d: Duration | undefined): string => {
  const nanos = d?.nanos ?? 0;
  return `${d?.seconds ?? 0n}${nanos ? `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}` : ""}s`;
};

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

const delegationJson = (r: DelegationResponse): unknown => ({
  delegation: { delegator_address: r.delegation.delegatorAddress, validator_address: r.delegation.validatorAddress, shares: dec(r.delegation.shares) },
  balance: coinJson(r.balance),
});

const unbondingJson = (u: UnbondingDelegation): unknown => ({
  delegator_address: u.delegatorAddress, validator_address: u.validatorAddress,
  entries: u.entries.map((e) => ({
    creation_height: e.creationHeight.toString(), completion_time: timestampJson(e.completionTime), initial_balance: e.initialBalance,
    balance: e.balance, unbonding_id: e.unbondingId.toString(), unbonding_on_hold_ref_count: e.unbondingOnHoldRefCount.toString(),
  })),
});

const redelegationJson = (r: RedelegationResponse): unknown => {
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

const paramsJson = (p: Params | undefined): unknown => ({
  unbonding_time: durationJson(p?.unbondingTime), max_validators: p?.maxValidators ?? 0, max_entries: p?.maxEntries ?? 0,
  historical_entries: p?.historicalEntries ?? 0, bond_denom: p?.bondDenom ?? "", min_commission_rate: dec(p?.minCommissionRate ?? "0"),
});

const b64 = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString("base64");
const headerJson = (h: Header | undefined): unknown => h && ({
  version: { block: h.version.block.toString(), app: h.version.app.toString() }, chain_id: h.chainId, height: h.height.toString(),
  time: timestampJson(h.time), last_block_id: { hash: b64(h.lastBlockId.hash), part_set_header: { total: h.lastBlockId.partSetHeader.total, hash: b64(h.lastBlockId.partSetHeader.hash) } },
  last_commit_hash: b64(h.lastCommitHash), data_hash: b64(h.dataHash), validators_hash: b64(h.validatorsHash), next_validators_hash: b64(h.nextValidatorsHash),
  consensus_hash: b64(h.consensusHash), app_hash: b64(h.appHash), last_results_hash: b64(h.lastResultsHash), evidence_hash: b64(h.evidenceHash),
  proposer_address: b64(h.proposerAddress),
});

/** The gateway's `pagination.*` parameters as the proto PageRequest the ABCI query pages with. */
function pageRequest(c: RouteCall): PageRequest {
  const p = parsePageRequest(c.query);
  return { key: p.key ?? new Uint8Array(), offset: BigInt(p.offset), limit: BigInt(p.limit), countTotal: p.countTotal, reverse: p.reverse };
}

const pageJson = (p: PageResponse | undefined): unknown => ({
  next_key: p && p.nextKey.length > 0 ? Buffer.from(p.nextKey).toString("base64") : null, total: (p?.total ?? 0n).toString(),
});

function optional(c: RouteCall, name: string, pattern: RegExp, what: string): string {
  const v = c.query[name];
  if (v === undefined || v === "") return "";
  if (typeof v !== "string" || !pattern.test(v)) throw badRequest(`invalid ${name}: ${what}`);
  return v;
}

export const stakingRoutes: RestModule = {
  name: "staking",
  routes: (ctx): RestRoute[] => {
    const P = "/cosmos/staking/v1beta1";
    const query = async <T>(c: RouteCall, method: string, req: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> => decode(await ctx.abciQuery(c, `${S}${method}`, req));
    return [
      {
        method: "get", path: `${P}/validators`, summary: "Validators, optionally by status (BOND_STATUS_BONDED|UNBONDING|UNBONDED)", paginated: true,
        params: [{ name: "status", in: "query", description: "BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED", pattern: /^BOND_STATUS_(BONDED|UNBONDING|UNBONDED)$/ }],
        handler: async (c) => {
          const status = optional(c, "status", /^BOND_STATUS_(BONDED|UNBONDING|UNBONDED)$/, STATUSES.join(", "));
          const r = await query(c, "Validators", QueryValidatorsRequest.encode({ status, pagination: pageRequest(c) }).finish(), QueryValidatorsResponse.decode);
          return { validators: r.validators.map(validatorJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/validators/{validator_addr}`, summary: "One validator", params: [valParam],
        handler: async (c) => ({ validator: validatorJson((await query(c, "Validator", QueryValidatorRequest.encode({ validatorAddr: c.params.validator_addr as string }).finish(), QueryValidatorResponse.decode)).validator) }),
      },
      {
        method: "get", path: `${P}/validators/{validator_addr}/delegations`, summary: "Delegations to a validator", params: [valParam], paginated: true,
        handler: async (c) => {
          const r = await query(c, "ValidatorDelegations", QueryValidatorDelegationsRequest.encode({ validatorAddr: c.params.validator_addr as string, pagination: pageRequest(c) }).finish(), QueryValidatorDelegationsResponse.decode);
          return { delegation_responses: r.delegationResponses.map(delegationJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/validators/{validator_addr}/delegations/{delegator_addr}`, summary: "One delegation", params: [valParam, delParam],
        handler: async (c) => {
          const r = await query(c, "Delegation", QueryDelegationRequest.encode({ delegatorAddr: c.params.delegator_addr as string, validatorAddr: c.params.validator_addr as string }).finish(), QueryDelegationResponse.decode);
          return { delegation_response: r.delegationResponse ? delegationJson(r.delegationResponse) : null };
        },
      },
      {
        method: "get", path: `${P}/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation`, summary: "One unbonding delegation", params: [valParam, delParam],
        handler: async (c) => {
          const r = await query(c, "UnbondingDelegation", QueryUnbondingDelegationRequest.encode({ delegatorAddr: c.params.delegator_addr as string, validatorAddr: c.params.validator_addr as string }).finish(), QueryUnbondingDelegationResponse.decode);
          return { unbond: unbondingJson(r.unbond) };
        },
      },
      {
        method: "get", path: `${P}/validators/{validator_addr}/unbonding_delegations`, summary: "Unbonding delegations from a validator", params: [valParam], paginated: true,
        handler: async (c) => {
          const r = await query(c, "ValidatorUnbondingDelegations", QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: c.params.validator_addr as string, pagination: pageRequest(c) }).finish(), QueryValidatorUnbondingDelegationsResponse.decode);
          return { unbonding_responses: r.unbondingResponses.map(unbondingJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/delegations/{delegator_addr}`, summary: "A delegator's delegations", params: [delParam], paginated: true,
        handler: async (c) => {
          const r = await query(c, "DelegatorDelegations", QueryDelegatorDelegationsRequest.encode({ delegatorAddr: c.params.delegator_addr as string, pagination: pageRequest(c) }).finish(), QueryDelegatorDelegationsResponse.decode);
          return { delegation_responses: r.delegationResponses.map(delegationJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/delegators/{delegator_addr}/unbonding_delegations`, summary: "A delegator's unbonding delegations", params: [delParam], paginated: true,
        handler: async (c) => {
          const r = await query(c, "DelegatorUnbondingDelegations", QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: c.params.delegator_addr as string, pagination: pageRequest(c) }).finish(), QueryDelegatorUnbondingDelegationsResponse.decode);
          return { unbonding_responses: r.unbondingResponses.map(unbondingJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/delegators/{delegator_addr}/redelegations`, summary: "A delegator's redelegations, optionally from/to given validators", paginated: true,
        params: [delParam, { name: "src_validator_addr", in: "query", description: "source validator (trustvaloper1…)", pattern: VALOPER }, { name: "dst_validator_addr", in: "query", description: "destination validator (trustvaloper1…)", pattern: VALOPER }],
        handler: async (c) => {
          const req = {
            delegatorAddr: c.params.delegator_addr as string, srcValidatorAddr: optional(c, "src_validator_addr", VALOPER, "trustvaloper1…"),
            dstValidatorAddr: optional(c, "dst_validator_addr", VALOPER, "trustvaloper1…"), pagination: pageRequest(c),
          };
          const r = await query(c, "Redelegations", QueryRedelegationsRequest.encode(req).finish(), QueryRedelegationsResponse.decode);
          return { redelegation_responses: r.redelegationResponses.map(redelegationJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/delegators/{delegator_addr}/validators`, summary: "The validators a delegator delegates to", params: [delParam], paginated: true,
        handler: async (c) => {
          const r = await query(c, "DelegatorValidators", QueryDelegatorValidatorsRequest.encode({ delegatorAddr: c.params.delegator_addr as string, pagination: pageRequest(c) }).finish(), QueryDelegatorValidatorsResponse.decode);
          return { validators: r.validators.map(validatorJson), pagination: pageJson(r.pagination) };
        },
      },
      {
        method: "get", path: `${P}/delegators/{delegator_addr}/validators/{validator_addr}`, summary: "One validator a delegator delegates to", params: [delParam, valParam],
        handler: async (c) => {
          const r = await query(c, "DelegatorValidator", QueryDelegatorValidatorRequest.encode({ delegatorAddr: c.params.delegator_addr as string, validatorAddr: c.params.validator_addr as string }).finish(), QueryDelegatorValidatorResponse.decode);
          return { validator: validatorJson(r.validator) };
        },
      },
      {
        method: "get", path: `${P}/historical_info/{height}`, summary: "The header and bonded set kept for a recent height",
        params: [{ name: "height", in: "path", required: true, description: "block height", pattern: HEIGHT }],
        handler: async (c) => {
          const r = await query(c, "HistoricalInfo", QueryHistoricalInfoRequest.encode({ height: BigInt(c.params.height as string) }).finish(), QueryHistoricalInfoResponse.decode);
          return { hist: r.hist ? { header: headerJson(r.hist.header), valset: r.hist.valset.map(validatorJson) } : null };
        },
      },
      {
        method: "get", path: `${P}/pool`, summary: "Bonded and not-bonded pool balances",
        handler: async (c) => {
          const r = await query(c, "Pool", new Uint8Array(), QueryPoolResponse.decode);
          return { pool: { not_bonded_tokens: r.pool.notBondedTokens, bonded_tokens: r.pool.bondedTokens } };
        },
      },
      {
        method: "get", path: `${P}/params`, summary: "x/staking parameters",
        handler: async (c) => ({ params: paramsJson((await query(c, "Params", new Uint8Array(), QueryParamsResponse.decode)).params) }),
      },
    ];
  },
};
