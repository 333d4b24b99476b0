// Strict-scan schemas of x/distribution's messages and query requests (cosmos/distribution/v1beta1/{tx,query}.proto):
// field numbers and kinds as there. A field missing here is an unknown field, rejected before decoding.
import type { FieldSpec, MessageSchema } from "../../sdk/proto-scan.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { PageRequest } from "../../sdk/tx/schemas.ts";

const str = (name: string): FieldSpec => ({ name, kind: "string" });
const varint = (name: string): FieldSpec => ({ name, kind: "varint" });
const S = "cosmos.distribution.v1beta1.";

export const DISTR_MSG_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  [`/${S}MsgWithdrawDelegatorReward`, schema(`${S}MsgWithdrawDelegatorReward`, [[1, str("delegator_address")], [2, str("validator_address")]])],
  [`/${S}MsgWithdrawValidatorCommission`, schema(`${S}MsgWithdrawValidatorCommission`, [[1, str("validator_address")]])],
  [`/${S}MsgSetWithdrawAddress`, schema(`${S}MsgSetWithdrawAddress`, [[1, str("delegator_address")], [2, str("withdraw_address")]])],
]);

const req = (method: string, fields: readonly (readonly [number, FieldSpec])[]): readonly [string, MessageSchema] => [method, schema(`${S}Query${method}Request`, fields)];

/** Query request schemas by method name (`/cosmos.distribution.v1beta1.Query/<method>`). */
export const DISTR_QUERY_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  req("Params", []),
  req("ValidatorOutstandingRewards", [[1, str("validator_address")]]),
  req("ValidatorCommission", [[1, str("validator_address")]]),
  req("ValidatorDistributionInfo", [[1, str("validator_address")]]),
  req("ValidatorSlashes", [[1, str("validator_address")], [2, varint("starting_height")], [3, varint("ending_height")], [4, { name: "pagination", kind: "message", message: () => PageRequest }]]),
  req("DelegationRewards", [[1, str("delegator_address")], [2, str("validator_address")]]),
  req("DelegationTotalRewards", [[1, str("delegator_address")]]),
  req("DelegatorValidators", [[1, str("delegator_address")]]),
  req("DelegatorWithdrawAddress", [[1, str("delegator_address")]]),
  req("CommunityPool", []),
]);
