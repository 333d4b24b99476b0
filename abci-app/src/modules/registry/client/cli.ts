// `trustnet query registry …`: the registry module's CLI queries, declared as data (cli/ builds the commands).
import type { CliQuery } from "../../../sdk/client/cli-query.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import { QueryNamespaceRequest, QueryNamespaceResponse, QueryRegistriesResponse, QueryTagRecordsResponse, QueryTagsRequest } from "../types.ts";

const Q = "/trustnet.registry.v1.Query/";

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
    name: "tags", describe: "the current tags of a repository", path: `${Q}Tags`,
    args: [{ name: "namespace", describe: "namespace, e.g. library", kind: "string" }, { name: "repo", describe: "repository inside the namespace", kind: "string" }],
    encode: (a) => QueryTagsRequest.encode({ namespace: a.namespace ?? "", repo: a.repo ?? "" }).finish(),
    format(value) {
      const { records } = QueryTagRecordsResponse.decode(value);
      return { json: protoJson({ records }), text: records.length === 0 ? "no tags" : records.map((r) => `${r.tag}  ${r.digest}  (height ${r.height})`).join("\n") };
    },
  },
  {
    name: "registries", describe: "registered registry operators and their endpoints", path: `${Q}Registries`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const { registries } = QueryRegistriesResponse.decode(value);
      return { json: protoJson({ registries }), text: registries.length === 0 ? "no registries" : registries.map((r) => `${r.operator}  ${r.endpoint}`).join("\n") };
    },
  },
];
