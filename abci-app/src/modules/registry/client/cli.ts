// `trustnet query registry …`: the registry module's CLI queries, declared as data (cli/ builds the commands). The
// JSON has the proto field names (`namespace_deposit`, `media_type`), as every CLI JSON document and the REST routes
// (rest.ts); the CLI lists the records without the gateway's `pagination` (it fetches every page).
import { RegistryQueryClient } from "../../../client/query-clients.ts";
import type { AbciQuery, CliQuery } from "../../../sdk/client/cli-query.ts";
import { formatCoin } from "../../../sdk/client/display.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { type NamespaceInfo, QueryNamespaceRequest, QueryNamespaceResponse, QueryParamsRequest, QueryParamsResponse, type WireCoin } from "../types.ts";

const Q = "/trustnet.registry.v1.Query/";
/** The typed client (which walks every page of a list) over the CLI's query function. */
const over = (query: AbciQuery): RegistryQueryClient => new RegistryQueryClient({ request: (service, method, data) => query(`/${service}/${method}`, data) });

/** A held deposit as people read it: "1 TRUST (1000000utrust)", "none". */
export const depositText = (coins: readonly WireCoin[]): string => (coins.length === 0 ? "none" : coins.map(formatCoin).join(", "));
/** One namespace's line: name, owner and the deposit its release refunds. */
export const namespaceLine = (n: NamespaceInfo): string => `${n.namespace}  owned by ${n.owner}  deposit ${depositText(n.deposit)}`;

export const registryCliQueries: readonly CliQuery[] = [
  {
    name: "params", describe: "the registry's params: the deposit a namespace claim locks", path: `${Q}Params`, args: [],
    encode: () => QueryParamsRequest.encode({}).finish(),
    format(value) {
      const p = QueryParamsResponse.decode(value).params[0];
      return { json: { params: protoJson(p ?? null) }, text: `namespace_deposit: ${depositText(p?.namespaceDeposit ?? [])} (locked by each claim, refunded on release)` };
    },
  },
  {
    name: "namespace", describe: "a namespace, its owner and the deposit it holds", path: `${Q}Namespace`,
    args: [{ name: "namespace", describe: "namespace, e.g. library", kind: "string" }],
    encode: (a) => QueryNamespaceRequest.encode({ namespace: a.namespace ?? "" }).finish(),
    format(value) {
      const n = QueryNamespaceResponse.decode(value).namespace[0];
      return { json: { namespace: protoJson(n ?? null) }, text: n ? namespaceLine(n) : "not claimed" };
    },
  },
  {
    name: "tags", describe: "the current tags of a repository (every page)",
    args: [{ name: "namespace", describe: "namespace, e.g. library", kind: "string" }, { name: "repo", describe: "repository inside the namespace", kind: "string" }],
    async run(query, a) {
      const records = await over(query).tags(a.namespace ?? "", a.repo ?? "");
      return { json: protoJson({ records }), text: records.length === 0 ? "no tags" : records.map((r) => `${r.tag}  ${r.digest}  (height ${r.height})`).join("\n") };
    },
  },
  {
    name: "registries", describe: "registered registry operators and their endpoints (every page)", args: [],
    async run(query) {
      const registries = await over(query).registries();
      return { json: protoJson({ registries }), text: registries.length === 0 ? "no registries" : registries.map((r) => `${r.operator}  ${r.endpoint}`).join("\n") };
    },
  },
];
