// A SigVerifyPool worker thread: verifies packed batches of secp256k1 triples with the process's fastest backend.
// Message in: { id, packed } where packed holds n records of TRIPLE_BYTES (sig 64 ‖ hash 32 ‖ key 33).
// Message out: { id, ok } with one byte per record (1 = verified).
import { parentPort } from "node:worker_threads";
import { defaultVerifier } from "./secp256k1-backend.ts";
import { TRIPLE_BYTES } from "./sig-verify-batch.ts";

if (!parentPort) throw new Error("sig-verify-worker.ts runs as a worker thread");
const port = parentPort;
port.on("message", (m: { id: number; packed: Uint8Array }) => {
  const n = Math.floor(m.packed.length / TRIPLE_BYTES);
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * TRIPLE_BYTES;
    const sig = m.packed.subarray(at, at + 64);
    const hash = m.packed.subarray(at + 64, at + 96);
    const pub = m.packed.subarray(at + 96, at + TRIPLE_BYTES);
    ok[i] = defaultVerifier(sig, hash, pub) ? 1 : 0;
  }
  port.postMessage({ id: m.id, ok }, [ok.buffer]);
});
