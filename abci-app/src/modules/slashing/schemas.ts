// Strict-scan schemas (sdk/proto-scan.ts) of x/slashing's message and query requests, from
// cosmos/slashing/v1beta1/{tx,query}.proto: field numbers and kinds as there.
import type { MessageSchema } from "../../sdk/proto-scan.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { PageRequest } from "../../sdk/tx/schemas.ts";

const S = "cosmos.slashing.v1beta1.";

export const SLASHING_MSG_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  [`/${S}MsgUnjail`, schema(`${S}MsgUnjail`, [[1, { name: "validator_addr", kind: "string" }]])],
]);

/** Query request schemas by method name (`/cosmos.slashing.v1beta1.Query/<method>`). */
export const SLASHING_QUERY_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map([
  ["Params", schema(`${S}QueryParamsRequest`, [])],
  ["SigningInfo", schema(`${S}QuerySigningInfoRequest`, [[1, { name: "cons_address", kind: "string" }]])],
  ["SigningInfos", schema(`${S}QuerySigningInfosRequest`, [[1, { name: "pagination", kind: "message", message: () => PageRequest }]])],
]);
