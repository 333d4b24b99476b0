import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { RegistryError } from "../errors.ts";
import { canonicalName, validateName } from "../names.ts";
import type { Action, Authenticator, Identity } from "../auth/access.ts";
import type { RegistryStore } from "../storage/registry-store.ts";
import type { ChainProbe, TagRecorder } from "../hooks.ts";
import { API_VERSION_HEADER, sendJson, type RepoContext, type RequestContext } from "./context.ts";
import { writeError } from "./error-table.ts";
import { route, type Route } from "./router.ts";
import { deleteBlob, getBlob } from "./blobs.ts";
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from "./uploads.ts";
import { deleteManifest, getManifest, putManifest } from "./manifests.ts";
import { listCatalog, listReferrers, listTags } from "./listings.ts";
import { handleRevoke, handleToken } from "./token.ts";
import type { RateLimiter } from "./rate-limit.ts";

export interface AppDeps {
  readonly store: RegistryStore;
  readonly auth: Authenticator;
  readonly tagRecorder: TagRecorder;
  readonly chainProbe: ChainProbe;
  readonly log: Logger;
  readonly version: string;
  /** Absolute token realm; when unset it is derived from the Host header. */
  readonly realm: string | undefined;
  readonly sparseManifests: boolean;
  readonly rateLimiter?: RateLimiter;
  /** The stricter per-client limit of POST /auth/revoke (revokeRateLimitPerMinute). */
  readonly revokeLimiter?: RateLimiter;
  readonly now: () => Date;
}

type Handler = (ctx: RepoContext) => Promise<void>;

function unsupported(): never {
  throw new RegistryError("UNSUPPORTED", "method not allowed on this resource");
}

/** The repository-scoped handler for a route and method, and the access it needs. */
function pick(r: Route, method: string, mayPullFrom: (n: string) => Promise<boolean>): [Action, Handler] | undefined {
  switch (r.kind) {
    case "blob":
      if (method === "GET" || method === "HEAD") return ["pull", (c) => getBlob(c, r.digest, method === "HEAD")];
      if (method === "DELETE") return ["push", (c) => deleteBlob(c, r.digest)];
      return unsupported();
    case "uploads":
      if (method === "POST") return ["push", (c) => startUpload(c, mayPullFrom)];
      return unsupported();
    case "upload":
      if (method === "PATCH") return ["push", (c) => patchUpload(c, r.id)];
      if (method === "PUT") return ["push", (c) => finishUpload(c, r.id)];
      if (method === "GET") return ["push", (c) => uploadStatus(c, r.id)];
      if (method === "DELETE") return ["push", (c) => cancelUpload(c, r.id)];
      return unsupported();
    case "manifest":
      if (method === "GET" || method === "HEAD") return ["pull", (c) => getManifest(c, r.reference, method === "HEAD")];
      if (method === "PUT") return ["push", (c) => putManifest(c, r.reference)];
      if (method === "DELETE") return ["push", (c) => deleteManifest(c, r.reference)];
      return unsupported();
    case "tags":
      if (method === "GET") return ["pull", (c) => listTags(c)];
      return unsupported();
    case "referrers":
      if (method === "GET") return ["pull", (c) => listReferrers(c, r.digest)];
      return unsupported();
    default:
      return undefined;
  }
}

export class RegistryApp {
  readonly #d: AppDeps;
  constructor(deps: AppDeps) {
    this.#d = deps;
  }

  #realm(req: IncomingMessage): string {
    if (this.#d.realm) return this.#d.realm;
    const host = req.headers.host ?? "";
    return /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? `http://${host}/token` : "http://127.0.0.1:8000/token";
  }

  /**
   * The Bearer challenge of a 401. `error` (RFC 6750 §3.1), when credentials came with the request: `invalid_token` when
   * they were refused (expired, forged, revoked, for another registry), `insufficient_scope` when they were valid but
   * name no account (an anonymous token) and the request needs one, so that the client logs in rather than doubts its token.
   */
  #challenge(req: IncomingMessage, name: string | undefined, action: Action | undefined, error?: "invalid_token" | "insufficient_scope"): Record<string, string> {
    let service: string;
    try {
      service = this.#d.auth.audienceFor(req.headers.host);
    } catch {
      service = "trustnet-registry";
    }
    let v = `Bearer realm="${this.#realm(req)}",service="${service}"`;
    if (name !== undefined && action !== undefined) v += `,scope="repository:${name}:${action === "push" ? "push,pull" : "pull"}"`;
    if (error !== undefined) v += `,error="${error}"`;
    return { "WWW-Authenticate": v };
  }

  /** The node:http request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader(API_VERSION_HEADER, "registry/2.0");
    const started = process.hrtime.bigint();
    let name: string | undefined;
    let action: Action | undefined;
    let credentialsAccepted = false;
    const wait = this.#d.rateLimiter?.take(req.socket.remoteAddress ?? "", Date.now()) ?? 0;
    const run = wait > 0
      ? Promise.reject(new RegistryError("TOO_MANY_REQUESTS", `too many requests from this address; retry in ${wait} s (rateLimitPerSecond)`))
      : this.#dispatch(req, res, (n, a) => {
        name = n;
        action = a;
      }, () => {
        credentialsAccepted = true;
      });
    run
      .catch((err: unknown) => {
        if (!req.complete) {
          res.setHeader("Connection", "close");
          req.resume();
        }
        const extra: Record<string, string> = err instanceof RegistryError
          ? { ...(err.kind === "UNAUTHORIZED" ? this.#challenge(req, name, action, req.headers.authorization ? (credentialsAccepted ? "insufficient_scope" : "invalid_token") : undefined) : {}), ...err.headers }
          : {};
        if (wait > 0) extra["Retry-After"] = String(wait);
        const e = writeError(res, req.method, err, extra);
        if (e.status >= 500) this.#d.log.error({ err, method: req.method, url: req.url }, "request failed");
      })
      .finally(() => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        this.#d.log.debug({ method: req.method, url: req.url, status: res.statusCode, ms }, "request");
      });
  };

  async #dispatch(req: IncomingMessage, res: ServerResponse, note: (name: string | undefined, a: Action | undefined) => void, accepted: () => void): Promise<void> {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const url = new URL(`http://registry${q < 0 ? "" : raw.slice(q)}`);
    const method = req.method ?? "GET";
    const r = route(path);
    if (r.kind === "none") {
      req.resume();
      throw new RegistryError("NOT_FOUND", "no such endpoint");
    }
    if (r.kind === "health") return this.#health(req, res);
    if (r.kind === "token") {
      if (method !== "GET" && method !== "POST") unsupported();
      return handleToken(this.#d.auth, req, res);
    }
    if (r.kind === "revoke") {
      if (method !== "POST") unsupported();
      const wait = this.#d.revokeLimiter?.take(req.socket.remoteAddress ?? "", Date.now()) ?? 0;
      if (wait > 0) throw new RegistryError("TOO_MANY_REQUESTS", `too many revocations from this address; retry in ${wait} s (revokeRateLimitPerMinute); nothing was revoked`).withHeaders({ "Retry-After": String(wait) });
      return handleRevoke(this.#d.auth, req, res);
    }
    const auth = this.#d.auth;
    const identity: Identity = auth.identify(req.headers.authorization, req.headers.host);
    accepted();
    const base: RequestContext = {
      req, res, url, identity, store: this.#d.store, tagRecorder: this.#d.tagRecorder,
      defaultNamespace: auth.settings.defaultNamespace, sparseManifests: this.#d.sparseManifests, log: this.#d.log, now: this.#d.now,
    };
    if (r.kind === "base") {
      if (method !== "GET" && method !== "HEAD") unsupported();
      req.resume();
      if (identity.kind === "anonymous") throw new RegistryError("UNAUTHORIZED", "authentication required");
      sendJson(res, 200, {});
      return;
    }
    if (r.kind === "catalog") {
      if (method !== "GET") unsupported();
      req.resume();
      await auth.authorize(identity, undefined, "pull");
      return listCatalog(base);
    }
    const mayPullFrom = async (from: string): Promise<boolean> => {
      try {
        await auth.authorize(identity, from, "pull");
        return true;
      } catch {
        return false;
      }
    };
    const picked = pick(r, method, mayPullFrom);
    if (!picked) throw new RegistryError("NOT_FOUND", "no such endpoint");
    const [needed, handler] = picked;
    note(r.name, needed);
    validateName(r.name);
    const name = canonicalName(r.name, auth.settings.defaultNamespace);
    const grant = await auth.authorize(identity, name, needed);
    await handler({ ...base, repo: this.#d.store.repository(name), recordTags: grant === "rights", openPush: grant === "open" });
  }

  async #health(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const [storageOk, chainReachable] = await Promise.all([
      this.#d.store.healthy().catch(() => false),
      this.#d.chainProbe.reachable().catch(() => false),
    ]);
    const body = { status: storageOk ? "ok" : "degraded", storage: { ok: storageOk, driver: this.#d.store.driverName }, chain: { reachable: chainReachable }, version: this.#d.version };
    sendJson(res, storageOk ? 200 : 503, body);
  }
}

