export { DEC_ONE, formatDec, parseHumanDec, parseWireDec, toWireDec } from "../../sdk/dec.ts";

/** floor(a * b / c); c > 0. */
export function mulDivFloor(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new Error("mulDivFloor: non-positive divisor");
  return (a * b) / c;
}
