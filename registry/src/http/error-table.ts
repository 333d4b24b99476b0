import type { ServerResponse } from "node:http";
import { RegistryError, TokenError, type ErrorKind } from "../errors.ts";

/** The one table from domain error kinds to OCI error codes and HTTP statuses (house rule 13). */
const TABLE: Readonly<Record<ErrorKind, { readonly code: string; readonly status: number }>> = {
  BLOB_UNKNOWN: { code: "BLOB_UNKNOWN", status: 404 },
  BLOB_UPLOAD_INVALID: { code: "BLOB_UPLOAD_INVALID", status: 400 },
  BLOB_UPLOAD_UNKNOWN: { code: "BLOB_UPLOAD_UNKNOWN", status: 404 },
  DIGEST_INVALID: { code: "DIGEST_INVALID", status: 400 },
  MANIFEST_BLOB_UNKNOWN: { code: "MANIFEST_BLOB_UNKNOWN", status: 400 },
  MANIFEST_INVALID: { code: "MANIFEST_INVALID", status: 400 },
  MANIFEST_UNKNOWN: { code: "MANIFEST_UNKNOWN", status: 404 },
  MANIFEST_TOO_LARGE: { code: "SIZE_INVALID", status: 413 },
  NAME_INVALID: { code: "NAME_INVALID", status: 400 },
  NAME_UNKNOWN: { code: "NAME_UNKNOWN", status: 404 },
  TAG_INVALID: { code: "MANIFEST_INVALID", status: 400 },
  SIZE_INVALID: { code: "SIZE_INVALID", status: 400 },
  UNAUTHORIZED: { code: "UNAUTHORIZED", status: 401 },
  DENIED: { code: "DENIED", status: 403 },
  UNSUPPORTED: { code: "UNSUPPORTED", status: 405 },
  CHUNK_OUT_OF_ORDER: { code: "BLOB_UPLOAD_INVALID", status: 416 },
  // The blob exists; only the range is wrong. distribution answers RANGE_INVALID (not in the spec's list); zot
  // BLOB_UPLOAD_INVALID. BLOB_UNKNOWN would tell a client the blob is gone.
  RANGE_NOT_SATISFIABLE: { code: "RANGE_INVALID", status: 416 },
  NOT_FOUND: { code: "NOT_FOUND", status: 404 },
  // distribution's errcode for a dependency that is down (here: the chain that says who owns a namespace).
  UNAVAILABLE: { code: "UNAVAILABLE", status: 503 },
  BLOB_TOO_LARGE: { code: "SIZE_INVALID", status: 413 },
  // distribution's errcode for a client over its request rate or quota (sent with Retry-After when it can wait).
  TOO_MANY_REQUESTS: { code: "TOOMANYREQUESTS", status: 429 },
  // A request to one of the registry's own endpoints (not the OCI API) it cannot read.
  BAD_REQUEST: { code: "BAD_REQUEST", status: 400 },
};

export interface ErrorBody {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly detail: unknown;
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof RegistryError) {
    const row = TABLE[err.kind];
    return { status: row.status, code: row.code, message: err.message, detail: err.detail };
  }
  if (err instanceof TokenError) return { status: 401, code: "UNAUTHORIZED", message: err.message, detail: undefined };
  return { status: 500, code: "UNKNOWN", message: "internal server error", detail: undefined };
}

/** Writes the spec's JSON error document (no body for HEAD). */
export function writeError(res: ServerResponse, method: string | undefined, err: unknown, extraHeaders: Record<string, string> = {}): ErrorBody {
  const e = toErrorBody(err);
  if (res.headersSent) {
    res.destroy();
    return e;
  }
  const body = JSON.stringify({ errors: [{ code: e.code, message: e.message, ...(e.detail === undefined ? {} : { detail: e.detail }) }] });
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.statusCode = e.status;
  res.end(method === "HEAD" ? undefined : body);
  return e;
}
