// Strict-scan schemas of x/mint's query requests (cosmos/mint/v1beta1/query.proto): all three take no fields.
import type { MessageSchema } from "../../sdk/proto-scan.ts";
import { schema } from "../../sdk/proto-scan.ts";

const S = "cosmos.mint.v1beta1.";
export const MINT_QUERY_SCHEMAS: ReadonlyMap<string, MessageSchema> = new Map(
  ["Params", "Inflation", "AnnualProvisions"].map((m) => [m, schema(`${S}Query${m}Request`, [])] as const),
);
