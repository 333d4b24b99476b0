// The deterministic block schedule of the crash test: block h is a pure function of h, so the parent can replay
// heights 1..H independently and know what state and app hash height H must have.
import { toHex } from "../bytes.ts";
import type { Value } from "../types.ts";
import { enc } from "./helpers.ts";

export const KEY_SPACE = 5000;
export const WRITES_PER_BLOCK = 800;

export function crashBlock(h: bigint): Map<string, Value | null> {
  const n = Number(h);
  const block = new Map<string, Value | null>();
  for (let i = 0; i < WRITES_PER_BLOCK; i++) {
    const k = (n * 7919 + i * 13) % KEY_SPACE;
    block.set(toHex(enc(`acct/${String(k)}`)), (n + i) % 5 === 0 ? null : enc(`${String(n)}:${String(i)}`));
  }
  block.set(toHex(enc("height")), enc(String(n)));
  return block;
}
