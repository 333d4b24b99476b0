export { startRestServer, type RestOptions } from "./server.ts";
export { createMetrics, instrument, type AppMetrics } from "./metrics.ts";
