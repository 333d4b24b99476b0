// The OpenAPI 3.0 document of the REST surface, generated from the same route table the router serves.
import type { RestRoute } from "../sdk/client/route-table.ts";

const PAGINATION = [
  { name: "pagination.key", description: "base64 key of the first item (next_key of the previous page); not with offset", schema: { type: "string", format: "byte" } },
  { name: "pagination.offset", description: "items to skip; not with key", schema: { type: "integer", minimum: 0 } },
  { name: "pagination.limit", description: "page size (default 100, clamped to 1000)", schema: { type: "integer", minimum: 0 } },
  { name: "pagination.count_total", description: "count all items into pagination.total (offset paging only)", schema: { type: "boolean" } },
  { name: "pagination.reverse", description: "newest/last first", schema: { type: "boolean" } },
].map((p) => ({ ...p, in: "query", required: false }));

const ERROR = {
  description: "SDK error body (google.rpc.Status)",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Status" } } },
};

export function openApiDocument(routes: readonly RestRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
      tags: [r.tag ?? "other"],
      parameters: [
        ...(r.params ?? []).map((p) => ({
          name: p.name, in: p.in, required: p.in === "path" ? true : (p.required ?? false), description: p.description + (p.multiSegment ? " (may span several path segments)" : ""),
          schema: ((item) => (p.repeated ? { type: "array", items: item } : item))({ type: p.type ?? "string", ...(p.pattern && (p.type ?? "string") === "string" ? { pattern: p.pattern.source } : {}) }),
        })),
        ...(r.paginated ? PAGINATION : []),
        ...(r.method === "get" ? [{ name: "x-cosmos-block-height", in: "header", required: false, description: "query at this height (0 = latest)", schema: { type: "string" } }] : []),
      ],
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } },
        "400": ERROR, "404": ERROR, "429": ERROR, "500": ERROR, "503": ERROR,
      },
    };
    if (r.body) op.requestBody = { required: true, content: { "application/json": { schema: { type: "object", description: r.body.description, required: r.body.required, properties: r.body.properties } } } };
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "TrustNet REST API", version,
      description: "Cosmos SDK gateway conventions: snake_case fields, 64-bit integers as strings, bytes as base64, enums by name, Any with @type. Errors are {code, message, details} with grpc-gateway HTTP statuses.",
    },
    paths,
    components: {
      schemas: {
        Status: { type: "object", required: ["code", "message", "details"], properties: { code: { type: "integer", description: "gRPC status code" }, message: { type: "string" }, details: { type: "array", items: { type: "object" } } } },
      },
    },
  };
}
