import { readFile } from "node:fs/promises";
import { isIPv4, isIPv6 } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";

export interface RegistryConfig {
  /** Where blobs, manifests, uploads and the token secret live. */
  readonly dataDir: string;
  readonly storage: "filesystem" | "inmemory";
  /** Flush every write to disk before acknowledging it (power-loss safe). */
  readonly fsync: boolean;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /**
   * This registry's identity: the Bearer `service` and the audience login tokens must carry. Empty (the default):
   * the operator address when the registry has an operator key, else its URL as the client reached it
   * (`http://<Host header>`, which must name this machine and its listening port). A token made for one registry is
   * refused by every other.
   */
  readonly service: string;
  /** Longest login-token lifetime (`exp - iat`) accepted; `trustnet registry login --ttl` stays within it. */
  readonly maxTokenLifetimeSeconds: number;
  /** Clock difference tolerated when checking a token's `iat` and `exp`. */
  readonly clockSkewSeconds: number;
  readonly anonymousPull: boolean;
  /** Namespace that single-component names (`app`) belong to. */
  readonly defaultNamespace: string;
  /** Off by default. When on, any account on chain (an address that received funds once) may push single-component names; only the pushes of the default namespace's owner and members are recorded on chain. */
  readonly defaultNamespaceOpen: boolean;
  /**
   * Accept a manifest whose referenced blobs or child manifests are not in the repository ("sparse" manifests).
   * Off by default, as CNCF distribution v3 refuses an image manifest with absent layers (MANIFEST_BLOB_UNKNOWN).
   */
  readonly sparseManifests: boolean;
  /** Upload sessions idle this long are purged. */
  readonly uploadTtlSeconds: number;
  /** Upload sessions opened this long ago are purged, however active. */
  readonly uploadMaxAgeSeconds: number;
  /** Open upload sessions one address may hold (429 beyond). */
  readonly maxUploadSessionsPerUser: number;
  /**
   * Bytes one account may hold through pushes allowed only because the default namespace is open: its uploads in
   * progress plus the blobs and manifests those pushes added to the store, until GC removes them (403 DENIED beyond,
   * nothing stored). The namespace's owner and members are never counted.
   */
  readonly openPushQuotaBytes: number;
  /** Uploads are refused (403 DENIED) while the data directory's filesystem has less free space than this; 0 = off. */
  readonly minFreeDiskBytes: number;
  /** Largest blob accepted, in bytes (413 SIZE_INVALID beyond; a larger declared Content-Length is refused before any byte is read). */
  readonly maxBlobBytes: number;
  /** A whole request (headers and body) must finish within this; 0 = no limit. */
  readonly requestTimeoutSeconds: number;
  /** Headers must arrive within this. */
  readonly headersTimeoutSeconds: number;
  /** A connection with no traffic for this long is closed. */
  readonly idleTimeoutSeconds: number;
  /** Connections the server holds at once (beyond, new ones are closed). */
  readonly maxConnections: number;
  /** Connections one client address may hold at once (beyond, new ones are closed). */
  readonly maxConnectionsPerClient: number;
  /** Tag records (and deletes) waiting for the chain, at most; beyond, a tagging push gets 503 and stores nothing. */
  readonly maxQueuedTagRecords: number;
  /** The share of that queue one namespace may hold. */
  readonly maxQueuedTagRecordsPerNamespace: number;
  /** Requests per second per client IP (token bucket refill); 0 = no limit. Beyond: 429 with Retry-After. */
  readonly rateLimitPerSecond: number;
  /** Requests a client IP may make in a burst. */
  readonly rateLimitBurst: number;
  /** POST /auth/revoke per client per minute (and in a burst); 0 = no limit. Beyond: 429 with Retry-After. */
  readonly revokeRateLimitPerMinute: number;
  readonly gcGraceSeconds: number;
  /** 0 disables the periodic GC (it can still be run through gc()). */
  readonly gcIntervalSeconds: number;
  readonly bearerTtlSeconds: number;
  /** Absolute token realm URL; derived from the Host header when empty. */
  readonly realm: string;
  readonly logLevel: string;
  /** Log to this file instead of stdout when set. */
  readonly logFile: string;
}

/** $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset (as `${TRUSTNET_HOME:-…}` in install.sh). */
export function trustnetHome(env: NodeJS.ProcessEnv = process.env): string {
  return env["TRUSTNET_HOME"] || join(homedir(), ".trustnet");
}

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return {
    dataDir: join(trustnetHome(env), "registry"),
    storage: "filesystem",
    fsync: true,
    host: "127.0.0.1",
    port: 8000,
    service: "",
    maxTokenLifetimeSeconds: 24 * 3600,
    clockSkewSeconds: 60,
    anonymousPull: true,
    defaultNamespace: "library",
    defaultNamespaceOpen: false,
    sparseManifests: false,
    uploadTtlSeconds: 3600,
    uploadMaxAgeSeconds: 24 * 3600,
    maxUploadSessionsPerUser: 100,
    maxBlobBytes: 5 * 1024 ** 3,
    openPushQuotaBytes: 10 * 1024 ** 3,
    minFreeDiskBytes: 1024 ** 3,
    requestTimeoutSeconds: 3600,
    headersTimeoutSeconds: 20,
    idleTimeoutSeconds: 120,
    maxConnections: 2048,
    maxConnectionsPerClient: 256,
    rateLimitPerSecond: 100,
    rateLimitBurst: 1000,
    revokeRateLimitPerMinute: 6,
    maxQueuedTagRecords: 10_000,
    maxQueuedTagRecordsPerNamespace: 2_000,
    gcGraceSeconds: 3600,
    gcIntervalSeconds: 0,
    bearerTtlSeconds: 300,
    realm: "",
    logLevel: "info",
    logFile: "",
  };
}

const KEYS = Object.keys(defaultConfig({})) as (keyof RegistryConfig)[];

/** Merges overrides onto `base`, refusing unknown keys and values of the wrong type. */
export function mergeConfig(base: RegistryConfig, overrides: Record<string, unknown>): RegistryConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (!KEYS.includes(k as keyof RegistryConfig)) throw new ConfigError(`unknown registry config key ${JSON.stringify(k)}`);
    if (typeof v !== typeof base[k as keyof RegistryConfig]) throw new ConfigError(`registry config ${k} must be a ${typeof base[k as keyof RegistryConfig]}`);
    out[k] = v;
  }
  const c = out as unknown as RegistryConfig;
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new ConfigError(`invalid port ${c.port}`);
  if (c.storage !== "filesystem" && c.storage !== "inmemory") throw new ConfigError(`storage must be filesystem or inmemory`);
  for (const k of [
    "uploadTtlSeconds", "gcGraceSeconds", "gcIntervalSeconds", "bearerTtlSeconds", "maxTokenLifetimeSeconds", "clockSkewSeconds", "uploadMaxAgeSeconds",
    "maxUploadSessionsPerUser", "maxBlobBytes", "requestTimeoutSeconds", "headersTimeoutSeconds", "idleTimeoutSeconds", "rateLimitPerSecond", "rateLimitBurst",
    "revokeRateLimitPerMinute", "maxQueuedTagRecords", "maxQueuedTagRecordsPerNamespace", "maxConnections", "maxConnectionsPerClient",
    "openPushQuotaBytes", "minFreeDiskBytes",
  ] as const) {
    if (!(Number.isInteger(c[k]) && c[k] >= 0)) throw new ConfigError(`${k} must be an integer >= 0`);
  }
  if (c.maxTokenLifetimeSeconds < 60 || c.maxTokenLifetimeSeconds > 7 * 24 * 3600) throw new ConfigError("maxTokenLifetimeSeconds must be between 60 and 604800 (7 days)");
  if (c.clockSkewSeconds > 600) throw new ConfigError("clockSkewSeconds must be at most 600");
  if (c.service !== "" && !/^[\x21-\x7e]{1,256}$/.test(c.service) ) throw new ConfigError("service must be printable ASCII without spaces or quotes, at most 256 chars");
  if (c.service.includes('"')) throw new ConfigError("service must not contain quotes");
  if (c.bearerTtlSeconds < 60) throw new ConfigError("bearerTtlSeconds must be at least 60");
  for (const k of ["uploadTtlSeconds", "uploadMaxAgeSeconds", "maxUploadSessionsPerUser", "maxBlobBytes", "headersTimeoutSeconds", "idleTimeoutSeconds", "maxQueuedTagRecords", "maxQueuedTagRecordsPerNamespace", "maxConnections", "maxConnectionsPerClient"] as const) {
    if (c[k] < 1) throw new ConfigError(`${k} must be at least 1`);
  }
  if (c.rateLimitPerSecond > 0 && c.rateLimitBurst < 1) throw new ConfigError("rateLimitBurst must be at least 1 when rateLimitPerSecond is set");
  return c;
}

export async function loadConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read registry config ${path}: ${(err as Error).message}`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
    const o = { ...(v as Record<string, unknown>) };
    delete o["$comment"];
    return o;
  } catch (err) {
    throw new ConfigError(`registry config ${path} is not a JSON object: ${(err as Error).message}`);
  }
}

/**
 * A listen address: `127.0.0.1:8000`, `localhost:8000`, `[::1]:8000`, `[::]:8000` (every interface, IPv6 and
 * IPv4), `[fd12:3456:789a::2]:8000`, or `:8000` (loopback). IPv6 addresses must be in brackets, as in URLs.
 */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(s);
  if (!m) {
    const hint = /^[0-9a-fA-F:]*::?[0-9a-fA-F:]*:\d+$/.test(s) ? " (put an IPv6 address in brackets: [::1]:8000)" : "";
    throw new ConfigError(`--listen must be host:port, e.g. 127.0.0.1:8000 or [::]:8000, got ${JSON.stringify(s)}${hint}`);
  }
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`--listen ${JSON.stringify(s)}: port ${port} is out of range (0-65535)`);
  if (m[1] !== undefined) {
    if (!isIPv6(m[1])) throw new ConfigError(`--listen ${JSON.stringify(s)}: ${JSON.stringify(m[1])} is not an IPv6 address`);
    return { host: m[1], port };
  }
  const host = m[2] || "127.0.0.1";
  const numeric = /^[\d.]+$/.test(host);
  if ((numeric && !isIPv4(host)) || (!numeric && !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host))) {
    throw new ConfigError(`--listen ${JSON.stringify(s)}: ${JSON.stringify(host)} is not an IPv4 address or host name`);
  }
  return { host, port };
}

/** host:port as a URL authority: IPv6 in brackets. */
export function formatListen(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}
