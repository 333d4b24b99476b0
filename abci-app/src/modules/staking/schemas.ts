// Strict-scan schemas (app/proto-scan.ts) of x/staking's messages and query requests, from
// cosmos/staking/v1beta1/{tx,query,staking}.proto: field numbers and kinds as there. A field missing here is an
// unknown field, rejected before cosmjs-types decodes the bytes.
import type { FieldSpec, MessageSchema } from "../../sdk/proto-scan.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { Coin, PageRequest } from "../../sdk/tx/schemas.ts";

const str = (name: string): FieldSpec => ({ name, kind: "string" });
const varint = (name: string): FieldSpec => ({ name, kind: "varint" });
const msg = (name: string, message: () => MessageSchema): FieldSpec => ({ name, kind: "message", message });
const coin = (name: string): FieldSpec => msg(name, () => Coin);
const page: FieldSpec = msg("pagination", () => PageRequest);
const S = "cosmos.staking.v1beta1.";

const Description = schema(`${S}Description`, [[1, str("moniker")], [2, str("identity")], [3, str("website")], [4, str("security_contact")], [5, str("details")]]);
const CommissionRates = schema(`${S}CommissionRates`, [[1, str("rate")], [2, str("max_rate")], [3, str("max_change_rate")]]);

/** By type URL; the consensus pubkey Any of MsgCreateValidator resolves through the tx scan's pubkey schemas. */
export const STAKING_MSG_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  [`/${S}MsgCreateValidator`, schema(`${S}MsgCreateValidator`, [
    [1, msg("description", () => Description)], [2, msg("commission", () => CommissionRates)], [3, str("min_self_delegation")],
    [4, str("delegator_address")], [5, str("validator_address")], [6, { name: "pubkey", kind: "any" }], [7, coin("value")],
  ])],
  [`/${S}MsgEditValidator`, schema(`${S}MsgEditValidator`, [
    [1, msg("description", () => Description)], [2, str("validator_address")], [3, str("commission_rate")], [4, str("min_self_delegation")],
  ])],
  [`/${S}MsgDelegate`, schema(`${S}MsgDelegate`, [[1, str("delegator_address")], [2, str("validator_address")], [3, coin("amount")]])],
  [`/${S}MsgUndelegate`, schema(`${S}MsgUndelegate`, [[1, str("delegator_address")], [2, str("validator_address")], [3, coin("amount")]])],
  [`/${S}MsgBeginRedelegate`, schema(`${S}MsgBeginRedelegate`, [
    [1, str("delegator_address")], [2, str("validator_src_address")], [3, str("validator_dst_address")], [4, coin("amount")],
  ])],
  [`/${S}MsgCancelUnbondingDelegation`, schema(`${S}MsgCancelUnbondingDelegation`, [
    [1, str("delegator_address")], [2, str("validator_address")], [3, coin("amount")], [4, varint("creation_height")],
  ])],
]);

const req = (method: string, fields: readonly (readonly [number, FieldSpec])[]): readonly [string, MessageSchema] =>
  [method, schema(`${S}Query${method}Request`, fields)];

/** Query request schemas by method name (`/cosmos.staking.v1beta1.Query/<method>`). */
export const STAKING_QUERY_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  req("Validators", [[1, str("status")], [2, page]]),
  req("Validator", [[1, str("validator_addr")]]),
  req("ValidatorDelegations", [[1, str("validator_addr")], [2, page]]),
  req("ValidatorUnbondingDelegations", [[1, str("validator_addr")], [2, page]]),
  req("Delegation", [[1, str("delegator_addr")], [2, str("validator_addr")]]),
  req("UnbondingDelegation", [[1, str("delegator_addr")], [2, str("validator_addr")]]),
  req("DelegatorDelegations", [[1, str("delegator_addr")], [2, page]]),
  req("DelegatorUnbondingDelegations", [[1, str("delegator_addr")], [2, page]]),
  req("Redelegations", [[1, str("delegator_addr")], [2, str("src_validator_addr")], [3, str("dst_validator_addr")], [4, page]]),
  req("DelegatorValidators", [[1, str("delegator_addr")], [2, page]]),
  req("DelegatorValidator", [[1, str("delegator_addr")], [2, str("validator_addr")]]),
  req("HistoricalInfo", [[1, varint("height")]]),
  req("Pool", []),
  req("Params", []),
]);
