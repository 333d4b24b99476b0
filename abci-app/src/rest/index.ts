export { createRestApp, startRestServer, restModules, type RestOptions } from "./server.ts";
export { DEFAULT_LIMITS, parseRateLimit, parseTrustProxy, type RestLimits } from "./limits.ts";
export type { RestModule, RestRoute, RestContext } from "../sdk/client/route-table.ts";
export { createMetrics, instrument, instrumentStore, type AppMetrics } from "./metrics.ts";
