// Public surface of @trustnet/abci-app (house rule 19: explicit named exports).
export { TrustNetApp, APP_VERSION, type AppOptions } from "./app/trustnet-app.ts";
export { addressFromPubkey, BECH32_PREFIX, moduleAddress } from "./sdk/address.ts";
export { registryMsgTypes, registryTypes } from "./modules/registry/index.ts";
export { type MessageCodec } from "./sdk/proto-codec.ts";
export { serveAbci } from "./abci/index.ts";
export { leasingMsgTypes, leasingTypes } from "./modules/leasing/index.ts";
export { DefaultLeasingParams, leaseRate, leasingGenesisJson, SUPPORTED_IMAGES } from "./modules/leasing/index.ts";
