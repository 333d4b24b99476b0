// Unary calls through a @grpc/grpc-js generic client (makeGenericClientConstructor), as promises: for specs.
import type { Client, ServiceError } from "@grpc/grpc-js";

type Unary = (req: unknown, cb: (err: ServiceError | null, res?: unknown) => void) => void;

/** Calls `method` (e.g. "CheckTx") on `client`; rejects with the ServiceError. */
export function grpcCall<T>(client: Client, method: string, req: unknown): Promise<T> {
  const fn = (client as unknown as Record<string, Unary>)[method];
  if (!fn) return Promise.reject(new Error(`no method ${method}`));
  return new Promise((resolve, reject) => {
    fn.call(client, req, (err, res) => { if (err) reject(err); else resolve(res as T); });
  });
}
