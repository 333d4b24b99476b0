// Does an ABCI app answer at an address? One Echo of a fresh nonce over the transport CometBFT will use (the socket
// framing, or gRPC): for the launchers (the devnet supervisor, `node start`) that start CometBFT only once their
// app answers, where "something accepts a connection" would also be true of a process that is not an ABCI app, or
// of the app before it serves.
import { randomBytes } from "node:crypto";
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import type { ResponseEcho } from "cosmjs-types/tendermint/abci/types";
import { parseListenAddress } from "./address.ts";
import { abciServiceDefinition } from "./grpc-server.ts";
import type { AbciTransport } from "./server-types.ts";
import { AbciSocketClient } from "./socket-client.ts";

/** An Echo answer is a few dozen bytes: a peer announcing more is not answering the probe. */
const PROBE_MAX_MESSAGE_BYTES = 64 * 1024;

async function socketEcho(address: string, message: string, timeoutMs: number): Promise<string | undefined> {
  let client: AbciSocketClient | undefined;
  const timer = new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs).unref());
  const call = (async (): Promise<string | undefined> => {
    client = await AbciSocketClient.connect(address, { maxMessageBytes: PROBE_MAX_MESSAGE_BYTES, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
    const [answer] = await client.call({ echo: { message } });
    return answer?.echo?.message;
  })().catch(() => undefined);
  try {
    return await Promise.race([call, timer]);
  } finally {
    client?.destroy();
    // a connection made after the timer fired is closed too
    void call.then(() => client?.destroy());
  }
}

async function grpcEcho(address: string, message: string, timeoutMs: number): Promise<string | undefined> {
  const a = parseListenAddress(address);
  const Ctor = makeGenericClientConstructor(abciServiceDefinition(), "ABCI");
  const client: Client = new Ctor(a.kind === "unix" ? `unix://${a.path}` : `${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`, credentials.createInsecure());
  try {
    const echo = (client as unknown as Record<string, (req: unknown, opts: { deadline: number }, cb: (err: ServiceError | null, res?: ResponseEcho) => void) => void>)["Echo"];
    if (echo === undefined) return undefined;
    return await new Promise((resolve) => {
      echo.call(client, { message }, { deadline: Date.now() + timeoutMs }, (err, res) => resolve(err ? undefined : res?.message));
    });
  } finally {
    client.close();
  }
}

/**
 * True when an ABCI app at `address` (`tcp://host:port` or `unix:///path`) answers an Echo of a fresh nonce over
 * `transport` with that nonce, within `timeoutMs`. Never throws: refused, closed, silent or not ABCI is false.
 */
export async function abciEchoes(address: string, transport: AbciTransport, timeoutMs = 1000): Promise<boolean> {
  const message = `trustnet-probe-${randomBytes(8).toString("hex")}`;
  const answer = await (transport === "grpc" ? grpcEcho(address, message, timeoutMs) : socketEcho(address, message, timeoutMs)).catch(() => undefined);
  return answer === message;
}
