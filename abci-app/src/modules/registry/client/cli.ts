// `trustnet query registry …`: the registry module's CLI queries, declared as data (cli/ builds the commands).
import { RegistryQueryClient } from "../../../client/query-clients.ts";
import type { AbciQuery, CliQuery } from "../../../sdk/client/cli-query.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { QueryNamespaceRequest, QueryNamespaceResponse } from "../types.ts";

const Q = "/trustnet.registry.v1.Query/";
/** The typed client (which walks every page of a list) over the CLI's query function. */
const over = (query: AbciQuery): RegistryQueryClient => new RegistryQueryClient({ request: (service, method, data) => query(`/${service}/${method}`, data) });

export const registryCliQueries: readonly CliQuery[] = [
  {
    name: "namespace", describe: "a namespace and its owner", path: `${Q}Namespace`,
    args: [{ name: "namespace", describe: "namespace, e.g. library", kind: "string" }],
    encode: (a) => QueryNamespaceRequest.encode({ namespace: a.namespace ?? "" }).finish(),
    format(value) {
      const n = QueryNamespaceResponse.decode(value).namespace[0];
      return { json: { namespace: protoJson(n ?? null) }, text: n ? `${n.namespace}  owned by ${n.owner}` : "not claimed" };
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
