// The registry's Prometheus metrics under distribution's names and labels (distribution metrics/prometheus.go), so
// stock registry panels work: registry_http_requests_total{handler,code,method},
// registry_http_request_duration_seconds{handler,method}, registry_http_in_flight_requests{handler},
// registry_storage_action_seconds{driver,action}. One prom-client Registry per process, served on its own
// loopback listener (distribution's debug address), never on the public registry port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { StorageDriver } from "./storage/driver.ts";
import { route, type Route } from "./http/router.ts";

/** distribution's route names (`-` → `_`), from the router's kinds: a bounded label set. */
const HANDLER: Record<Route["kind"], string> = {
  base: "base", catalog: "catalog", token: "token", revoke: "auth_revoke", health: "health", uploads: "blob_upload", upload: "blob_upload_chunk",
  blob: "blob", manifest: "manifest", tags: "tags", referrers: "referrers", none: "unmatched",
};
const METHODS = new Set(["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"]);
/** The handler/method pairs the API serves: their latency series exist from the start, so a rate() over the first
 * requests after start-up already has a baseline (a series born with its first observation has no increase). */
const SERVED: readonly (readonly [string, string])[] = [
  ["base", "GET"], ["catalog", "GET"], ["token", "GET"], ["health", "GET"], ["blob", "GET"], ["blob", "HEAD"], ["blob", "DELETE"],
  ["blob_upload", "POST"], ["blob_upload_chunk", "PATCH"], ["blob_upload_chunk", "PUT"], ["blob_upload_chunk", "GET"], ["blob_upload_chunk", "DELETE"],
  ["manifest", "GET"], ["manifest", "HEAD"], ["manifest", "PUT"], ["manifest", "DELETE"], ["tags", "GET"], ["referrers", "GET"],
];

/** StorageDriver's actions (storage/driver.ts). */
const DRIVER_ACTIONS = ["getContent", "putContent", "reader", "copyTo", "writer", "stat", "list", "move", "delete", "walk"] as const;

export class RegistryMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"handler" | "code" | "method">;
  readonly #duration: Histogram<"handler" | "method">;
  readonly #inFlight: Gauge<"handler">;
  readonly #storage: Histogram<"driver" | "action">;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.#requests = new Counter({ name: "registry_http_requests_total", help: "Total number of HTTP requests made.", labelNames: ["handler", "code", "method"], registers });
    this.#duration = new Histogram({
      name: "registry_http_request_duration_seconds", help: "The HTTP request latencies in seconds.", labelNames: ["handler", "method"], registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
    for (const [handler, method] of SERVED) this.#duration.zero({ handler, method });
    this.#inFlight = new Gauge({ name: "registry_http_in_flight_requests", help: "The in-flight HTTP requests", labelNames: ["handler"], registers });
    this.#storage = new Histogram({
      name: "registry_storage_action_seconds", help: "The number of seconds that the storage action takes", labelNames: ["driver", "action"], registers,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  }

  /** Counts and times every request by handler (route kind), method and status. */
  instrumentHandler(handle: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      let path = req.url ?? "/";
      const q = path.indexOf("?");
      if (q >= 0) path = path.slice(0, q);
      const handler = HANDLER[route(path).kind];
      const method = METHODS.has(req.method ?? "") ? (req.method as string) : "OTHER";
      const end = this.#duration.startTimer({ handler, method });
      this.#inFlight.inc({ handler });
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        end();
        this.#inFlight.dec({ handler });
        this.#requests.inc({ handler, method, code: String(res.statusCode) });
      };
      res.on("finish", finish);
      res.on("close", finish);
      handle(req, res);
    };
  }

  /** A driver whose every (async) action is timed under registry_storage_action_seconds{driver,action}. */
  instrumentDriver(d: StorageDriver): StorageDriver {
    const hist = this.#storage;
    // Every action's series exists from the start (see SERVED above).
    for (const action of DRIVER_ACTIONS) hist.zero({ driver: d.name, action });
    return new Proxy(d, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== "function" || typeof prop !== "string") return v;
        return (...args: unknown[]): unknown => {
          const end = hist.startTimer({ driver: target.name, action: prop });
          let r: unknown;
          try {
            r = (v as (...a: unknown[]) => unknown).apply(target, args);
          } catch (err) {
            end();
            throw err;
          }
          if (r instanceof Promise) return r.finally(end);
          end();
          return r;
        };
      },
    });
  }

  /** Serves GET /metrics on host:port (loopback in the devnet). */
  async listen(host: string, port: number): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        () => res.writeHead(500, { "content-type": "text/plain" }).end("internal error\n"),
      );
    });
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    server.maxConnections = 16;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return server;
  }
}
