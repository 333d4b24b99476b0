export * as leasingTypes from "./types.ts";
export { leasingMsgTypes } from "./types.ts";
