// A real gRPC client for the ABCI service, for specs: @grpc/grpc-js with the method table's cosmjs-types codecs,
// so the server is checked against an independent gRPC implementation (the peer CometBFT's grpc-go stands for).
import {
  credentials, makeGenericClientConstructor, type Client, type ClientOptions, type MethodDefinition, type ServiceDefinition,
  type ServiceError,
} from "@grpc/grpc-js";
import { ABCI_METHODS, METHOD_KEYS, type MethodKey, type MethodSpec } from "../dispatch.ts";
import { GRPC_SERVICE_NAME } from "../grpc-server.ts";

/** The service definition: method name → path, codecs (no .proto file). */
export function abciServiceDefinition(): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const key of METHOD_KEYS) {
    const spec = ABCI_METHODS[key] as MethodSpec<MethodKey>;
    def[spec.name] = {
      path: `/${GRPC_SERVICE_NAME}/${spec.name}`,
      requestStream: false,
      responseStream: false,
      originalName: key,
      requestSerialize: (m: unknown) => Buffer.from(spec.request.encode(m as never).finish()),
      requestDeserialize: (b: Buffer) => spec.request.decode(b),
      responseSerialize: (m: unknown) => Buffer.from(spec.response.encode(m as never).finish()),
      responseDeserialize: (b: Buffer) => spec.response.decode(b),
    };
  }
  return def;
}

/** A grpc-js client of tendermint.abci.ABCI at `address` (host:port or unix:///path, as AbciServer.address gives). */
export function abciGrpcClient(address: string, options?: ClientOptions): Client {
  const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
  return new Ctor(address, credentials.createInsecure(), options);
}

type Unary = (req: unknown, cb: (err: ServiceError | null, res?: unknown) => void) => void;

/** One unary call by gRPC method name ("Echo", "FinalizeBlock", …). */
export function grpcCall<T>(client: Client, method: string, req: unknown): Promise<T> {
  const fn = (client as unknown as Record<string, Unary>)[method];
  if (!fn) throw new Error(`no method ${method}`);
  return new Promise((resolve, reject) => {
    fn.call(client, req, (err, res) => { if (err) reject(err); else resolve(res as T); });
  });
}
