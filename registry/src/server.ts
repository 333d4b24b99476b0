import { RateLimiter } from "./http/rate-limit.ts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { jsonLogger, limitConnectionsPerClient } from "@trustnet/abci-app";
import type { RegistryConfig } from "./config.ts";
import type { StorageDriver } from "./storage/driver.ts";
import { FsDriver } from "./storage/fs-driver.ts";
import { MemoryDriver } from "./storage/memory-driver.ts";
import { RegistryStore } from "./storage/registry-store.ts";
import { collectGarbage, type GcReport } from "./storage/gc.ts";
import { freeSpaceGuard } from "./storage/disk-guard.ts";
import { Authenticator } from "./auth/access.ts";
import { loadOrCreateSecret } from "./auth/secret.ts";
import { LoginCutoffs } from "./auth/login-cutoffs.ts";
import type { NamespaceOwners } from "./auth/namespace-owners.ts";
import { noChainProbe, noopTagRecorder, type ChainProbe, type TagRecorder } from "./hooks.ts";
import { RegistryApp } from "./http/app.ts";
import type { RegistryMetrics } from "./metrics.ts";

export const REGISTRY_VERSION = "0.1.0";

export interface RegistryDeps {
  readonly owners: NamespaceOwners;
  readonly tagRecorder?: TagRecorder;
  readonly chainProbe?: ChainProbe;
  readonly logger?: Logger;
  /** Injected clock (tests age blobs and tokens with it). */
  readonly now?: () => Date;
  /** Prometheus metrics: requests and storage actions are counted and timed into it. */
  readonly metrics?: RegistryMetrics;
}

export interface Registry {
  readonly server: Server;
  /** e.g. http://127.0.0.1:8000 */
  readonly url: string;
  /** host:port, as docker wants it. */
  readonly address: string;
  close(): Promise<void>;
  gc(opts?: { readonly dryRun?: boolean; readonly graceMs?: number }): Promise<GcReport>;
  /** Ids of the open upload sessions. */
  uploadSessions(): Promise<string[]>;
  /** Purges sessions idle longer than uploadTtlSeconds or older than uploadMaxAgeSeconds, as of `at`; returns how many. */
  purgeUploads(at?: Date): Promise<number>;
}

/** Builds the storage driver, the stores, auth and the HTTP server, and starts listening. */
export async function createRegistry(config: RegistryConfig, deps: RegistryDeps): Promise<Registry> {
  const now = deps.now ?? ((): Date => new Date());
  const log = deps.logger ?? jsonLogger({ level: config.logLevel, base: { svc: "registry" } });
  let driver: StorageDriver;
  /** The filesystem driver's sweep of temp files left by a crash mid-write (before serving, then with each purge). */
  let removeStaleTemps = (): Promise<void> => Promise.resolve();
  let secret: Uint8Array;
  if (config.storage === "inmemory") {
    driver = new MemoryDriver(now);
    secret = randomBytes(32);
  } else {
    await mkdir(config.dataDir, { recursive: true });
    const fs = new FsDriver(config.dataDir, { fsync: config.fsync });
    removeStaleTemps = async (): Promise<void> => {
      const n = await fs.removeStalePutTemps(now().getTime());
      if (n > 0) log.info({ removed: n }, "removed temp files left by an interrupted write");
    };
    await removeStaleTemps();
    driver = fs;
    secret = await loadOrCreateSecret(config.dataDir); // checks that auth/ is closed to other users
  }
  // A revoked login ends at its exp; a bearer token issued for it up to bearerTtlSeconds later (skew on both).
  const horizon = config.maxTokenLifetimeSeconds + config.bearerTtlSeconds + 2 * config.clockSkewSeconds;
  const cutoffs = await LoginCutoffs.load(config.storage === "inmemory" ? undefined : config.dataDir, horizon);
  if (deps.metrics) driver = deps.metrics.instrumentDriver(driver);
  const store = new RegistryStore(driver, () => now().getTime());
  store.uploads.limits = { maxBlobBytes: config.maxBlobBytes, maxSessionsPerUser: config.maxUploadSessionsPerUser };
  store.openQuota.limitBytes = config.openPushQuotaBytes;
  if (config.storage === "filesystem") store.uploads.diskGuard = freeSpaceGuard(config.dataDir, config.minFreeDiskBytes);
  const auth = new Authenticator(
    {
      service: config.service,
      maxTokenLifetimeSeconds: config.maxTokenLifetimeSeconds,
      clockSkewSeconds: config.clockSkewSeconds,
      anonymousPull: config.anonymousPull,
      defaultNamespace: config.defaultNamespace,
      defaultNamespaceOpen: config.defaultNamespaceOpen,
      bearerTtlSeconds: config.bearerTtlSeconds,
    },
    deps.owners,
    secret,
    now,
    cutoffs,
  );
  const app = new RegistryApp({
    store, auth, log, now,
    tagRecorder: deps.tagRecorder ?? noopTagRecorder,
    chainProbe: deps.chainProbe ?? noChainProbe,
    version: REGISTRY_VERSION,
    realm: config.realm || undefined,
    sparseManifests: config.sparseManifests,
    rateLimiter: new RateLimiter({ perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }),
    revokeLimiter: new RateLimiter({ perSecond: config.revokeRateLimitPerMinute / 60, burst: config.revokeRateLimitPerMinute }),
  });
  const server = createServer({
    requestTimeout: config.requestTimeoutSeconds * 1000,
    headersTimeout: config.headersTimeoutSeconds * 1000,
    keepAliveTimeout: Math.min(65_000, config.idleTimeoutSeconds * 1000),
    keepAlive: true,
    // Node checks the headers and request deadlines every 30 s by default: a client trickling header lines would
    // hold its socket for up to 30 s past headersTimeout.
    connectionsCheckingInterval: 1000,
  }, deps.metrics ? deps.metrics.instrumentHandler(app.handle) : app.handle);
  server.timeout = config.idleTimeoutSeconds * 1000; // socket inactivity
  server.maxConnections = config.maxConnections;
  limitConnectionsPerClient(server, config.maxConnectionsPerClient);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  auth.listening(addr.port);
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const gc = (opts: { dryRun?: boolean; graceMs?: number } = {}): Promise<GcReport> =>
    collectGarbage(store, {
      graceMs: opts.graceMs ?? config.gcGraceSeconds * 1000,
      now: now(),
      uploadTtlMs: config.uploadTtlSeconds * 1000,
      ...(opts.dryRun === undefined ? {} : { dryRun: opts.dryRun }),
    });
  const timers: NodeJS.Timeout[] = [];
  const purgeEvery = Math.max(1000, Math.min(config.uploadTtlSeconds * 500, 600_000));
  timers.push(setInterval(() => {
    store.uploads.purgeExpired(now(), config.uploadTtlSeconds * 1000, config.uploadMaxAgeSeconds * 1000).catch((err: unknown) => log.warn({ err }, "upload purge failed"));
    removeStaleTemps().catch((err: unknown) => log.warn({ err }, "temp file sweep failed"));
  }, purgeEvery));
  if (config.gcIntervalSeconds > 0) {
    timers.push(setInterval(() => {
      gc().then((r) => log.info({ gc: { ...r, deleted: r.deleted.length } }, "gc done"), (err: unknown) => log.warn({ err }, "gc failed"));
    }, config.gcIntervalSeconds * 1000));
  }
  for (const t of timers) t.unref();
  log.info({ url: `http://${host}:${addr.port}`, storage: config.storage, dataDir: config.dataDir }, "registry listening");
  return {
    server,
    url: `http://${host}:${addr.port}`,
    address: `${host}:${addr.port}`,
    gc,
    uploadSessions: () => store.uploads.list(),
    purgeUploads: (at = now()) => store.uploads.purgeExpired(at, config.uploadTtlSeconds * 1000, config.uploadMaxAgeSeconds * 1000),
    close: async (): Promise<void> => {
      for (const t of timers) clearInterval(t);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
