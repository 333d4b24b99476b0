// cosmjs' own CometBFT client (Comet38Client, so StargateClient and QueryClient) over the app's query router in the
// same process: a spec reads the real app exactly as a cosmjs program reads a node, with no node and no port.
import { Comet38Client, type RpcClient } from "@cosmjs/tendermint-rpc";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

/** A Comet38Client whose `abci_query` is `query` (the app's, TrustNetApp.query); any other method is an error. */
export function inProcessComet(query: (req: RequestQuery) => Partial<ResponseQuery>): Comet38Client {
  const rpc: RpcClient = {
    execute: (request) => {
      if (request.method !== "abci_query") return Promise.reject(new Error(`in-process comet: ${request.method} is not served`));
      const p = request.params as { path: string; data: string; height?: string };
      const r = query({ path: p.path, data: Buffer.from(p.data, "hex"), height: BigInt(p.height ?? "0"), prove: false });
      // CometBFT's JSON of ResponseQuery: numbers as strings, bytes base64
      const response = {
        code: r.code ?? 0, log: r.log ?? "", info: r.info ?? "", index: String(r.index ?? 0n), key: Buffer.from(r.key ?? new Uint8Array()).toString("base64"),
        value: Buffer.from(r.value ?? new Uint8Array()).toString("base64"), height: String(r.height ?? 0n), codespace: r.codespace ?? "",
      };
      return Promise.resolve({ jsonrpc: "2.0" as const, id: request.id, result: { response } });
    },
    disconnect: () => undefined,
  };
  return Comet38Client.create(rpc);
}
