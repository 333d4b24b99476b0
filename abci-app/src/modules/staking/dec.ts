// The 18-place fixed-point decimals moved to the kernel (sdk/dec.ts): slashing and distribution use them too.
export { DEC_ONE, formatDec, mulDivFloor, parseHumanDec, parseWireDec, toWireDec } from "../../sdk/dec.ts";
