// For the gRPC servers' specs: unary calls through a @grpc/grpc-js generic client (makeGenericClientConstructor), as
// promises, and the app both servers serve.
import { setTimeout as sleep } from "node:timers/promises";
import type { Client, ServiceError } from "@grpc/grpc-js";
import type { RequestCheckTx, RequestFinalizeBlock, RequestInfo, RequestQuery, ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "./base-application.ts";

type Unary = (req: unknown, cb: (err: ServiceError | null, res?: unknown) => void) => void;

/** Calls `method` (e.g. "CheckTx") on `client`; rejects with the ServiceError. */
export function grpcCall<T>(client: Client, method: string, req: unknown): Promise<T> {
  const fn = (client as unknown as Record<string, Unary>)[method];
  if (!fn) return Promise.reject(new Error(`no method ${method}`));
  return new Promise((resolve, reject) => {
    fn.call(client, req, (err, res) => { if (err) reject(err); else resolve(res as T); });
  });
}

/**
 * The app both gRPC servers' specs serve: Info greets, Query echoes after a short wait that depends on its data
 * (calls overlap if the server lets them), CheckTx answers a code from the tx's length or throws for a 0xff tx,
 * FinalizeBlock always throws.
 */
export class GrpcTestApp extends BaseApplication {
  active = 0;
  maxActive = 0;
  override info(req: RequestInfo): { data: string; lastBlockHeight: bigint } {
    return { data: `hello ${req.version}`, lastBlockHeight: 7n };
  }
  override async query(req: RequestQuery): Promise<{ value: Uint8Array; height: bigint; log: string }> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    await sleep(req.data.length === 1 ? (req.data[0] ?? 0) % 4 : 0);
    this.active -= 1;
    return { value: req.data, height: 3n, log: req.path };
  }
  override checkTx(req: RequestCheckTx): Partial<ResponseCheckTx> {
    if (req.tx[0] === 0xff) throw new Error("boom ünïcode %");
    return { code: req.tx.length % 3, log: `tx of ${req.tx.length}`, gasWanted: BigInt(req.tx.length) };
  }
  override finalizeBlock(req: RequestFinalizeBlock): never {
    throw new Error(`state corrupted at ${req.height}`);
  }
}
