export { startRestServer, type RestOptions } from "./server.ts";
export { createMetrics, instrument, instrumentStore, type AppMetrics } from "./metrics.ts";
