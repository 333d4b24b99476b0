export { createRestApp, startRestServer, REST_MODULES, type RestOptions } from "./server.ts";
export { DEFAULT_LIMITS, parseRateLimit, type RestLimits } from "./limits.ts";
export type { RestModule, RestRoute, RestContext } from "./route-table.ts";
export { createMetrics, instrument, instrumentStore, type AppMetrics } from "./metrics.ts";
