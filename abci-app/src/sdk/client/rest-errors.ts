// The SDK gateway's error body `{code, message, details}` (a google.rpc.Status) and grpc-gateway's HTTP status for
// each gRPC code (grpc-gateway runtime/errors.go HTTPStatusFromCode). Internal failures never reach the client.

/** gRPC status codes used here. */
export const Grpc = {
  InvalidArgument: 3, NotFound: 5, AlreadyExists: 6, PermissionDenied: 7, ResourceExhausted: 8, FailedPrecondition: 9,
  OutOfRange: 11, Unimplemented: 12, Internal: 13, Unavailable: 14, Unknown: 2, DeadlineExceeded: 4,
} as const;

const HTTP_OF_GRPC: Record<number, number> = { 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 11: 400, 12: 501, 13: 500, 14: 503 };

export class RestError extends Error {
  readonly grpc: number;
  constructor(grpc: number, message: string) {
    super(message);
    this.grpc = grpc;
  }
  get status(): number {
    return HTTP_OF_GRPC[this.grpc] ?? 500;
  }
}

export const badRequest = (message: string): RestError => new RestError(Grpc.InvalidArgument, message);
export const notFound = (message: string): RestError => new RestError(Grpc.NotFound, message);

/** Per module codespace: the query error codes that mean "not found" (the SDK's keepers answer codes.NotFound). */
const NOT_FOUND_OF_CODESPACE: Readonly<Record<string, readonly number[]>> = {
  staking: [3, 19, 26, 28, 38], // no validator, delegation, unbonding delegation, redelegation, historical info
};

/** App query result code → gRPC status; the log is the app's own user-facing message. */
export function fromAppCode(code: number, log: string, codespace = "sdk"): RestError {
  const moduleNotFound = NOT_FOUND_OF_CODESPACE[codespace];
  if (moduleNotFound) return new RestError(moduleNotFound.includes(code) ? Grpc.NotFound : Grpc.InvalidArgument, log);
  if (code === 22 || code === 38) return new RestError(Grpc.NotFound, log);
  if ([2, 3, 7, 8, 10, 18, 26, 29].includes(code)) return new RestError(Grpc.InvalidArgument, log);
  if (code === 6) return new RestError(Grpc.Unimplemented, log);
  return new RestError(Grpc.Internal, "internal error");
}

export interface SdkErrorBody {
  readonly code: number;
  readonly message: string;
  readonly details: readonly unknown[];
}

/** What a thrown value becomes on the wire: RestErrors as they are, anything else as "internal error". */
export function errorBody(err: unknown): { status: number; body: SdkErrorBody; internal: boolean } {
  if (err instanceof RestError) return { status: err.status, body: { code: err.grpc, message: err.message, details: [] }, internal: false };
  const e = err as { type?: string; status?: number };
  // body-parser's errors: malformed JSON, too large, wrong charset.
  if (e?.type === "entity.parse.failed") return { status: 400, body: { code: Grpc.InvalidArgument, message: "request body is not valid JSON", details: [] }, internal: false };
  if (e?.type === "entity.too.large") return { status: 413, body: { code: Grpc.ResourceExhausted, message: "request body too large", details: [] }, internal: false };
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return { status: 415, body: { code: Grpc.InvalidArgument, message: "unsupported request body encoding", details: [] }, internal: false };
  // Any other error that carries a client status (the router's URI decoding, body-parser's inflate of a body that is
  // not what its Content-Encoding says): the client's fault, answered as such and not logged as the server's.
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { code: Grpc.InvalidArgument, message: "bad request: the path or body could not be decoded", details: [] }, internal: false };
  }
  return { status: 500, body: { code: Grpc.Internal, message: "internal error", details: [] }, internal: true };
}
