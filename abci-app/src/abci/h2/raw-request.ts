// For the native gRPC server's specs that speak raw HTTP/2: a gRPC request's header block and its length-prefixed
// message, written by hand so a spec can send what no well-behaved client would (split, repeated, cut short).
import { encodeLiteral } from "./hpack.ts";

/** The HPACK block of a gRPC request to `path` (literals only, no table state). */
export const requestHeaders = (path: string): Buffer => Buffer.concat([
  encodeLiteral(":method", "POST"), encodeLiteral(":scheme", "http"), encodeLiteral(":path", path),
  encodeLiteral(":authority", "x"), encodeLiteral("content-type", "application/grpc"), encodeLiteral("te", "trailers"),
]);

/** A gRPC length-prefixed message, uncompressed. */
export const grpcMessage = (bytes: Uint8Array): Buffer => {
  const b = Buffer.alloc(5 + bytes.length);
  b.writeUInt32BE(bytes.length, 1);
  b.set(bytes, 5);
  return b;
};
