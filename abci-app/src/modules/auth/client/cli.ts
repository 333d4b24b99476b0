// `trustnet query auth …`: the auth module's CLI queries, declared as data (cli/ builds the commands).
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import type { CliQuery } from "../../../sdk/client/cli-query.ts";
import { accountJson } from "../../../sdk/client/json.ts";

export const authCliQueries: readonly CliQuery[] = [
  {
    name: "account", describe: "an account: its number, sequence and public key", path: "/cosmos.auth.v1beta1.Query/Account",
    args: [{ name: "address", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    encode: (a) => QueryAccountRequest.encode({ address: a.address ?? "" }).finish(),
    format(value) {
      const json = accountJson(QueryAccountResponse.decode(value).account) as { address: string; account_number: string; sequence: string; pub_key: { key: string } | null };
      return { json, text: `${json.address}  account ${json.account_number}  sequence ${json.sequence}${json.pub_key ? `  pubkey ${json.pub_key.key}` : "  (no public key yet)"}` };
    },
  },
];
