import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Identity } from "../auth/access.ts";
import { RegistryError } from "../errors.ts";
import type { RegistryStore, Repository } from "../storage/registry-store.ts";

/** What handlers may ask of the store: repositories and the catalog, never the driver, the CAS or the upload sessions. */
export type HandlerStore = Pick<RegistryStore, "repository" | "catalog">;
import type { TagRecorder } from "../hooks.ts";

export const API_VERSION_HEADER = "Docker-Distribution-API-Version";

/** Everything a resource handler gets. Handlers never see the storage driver. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly store: HandlerStore;
  readonly identity: Identity;
  readonly tagRecorder: TagRecorder;
  readonly defaultNamespace: string;
  /** Accept manifests whose referenced blobs/children are absent (config `sparseManifests`). */
  readonly sparseManifests: boolean;
  readonly log: Logger;
  readonly now: () => Date;
}

export interface RepoContext extends RequestContext {
  readonly repo: Repository;
  /** Tags changed by this request are recorded on chain (false for pulls and for pushes to an open default namespace). */
  readonly recordTags: boolean;
  /**
   * The push is allowed only because the default namespace is open (not by on-chain rights): it may add tags, never
   * move or remove one, nor delete a manifest or blob (those may be what the namespace's owner pushed and recorded).
   */
  readonly openPush: boolean;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string | number> = {}, body?: string | Buffer): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body !== undefined && !res.hasHeader("Content-Length")) res.setHeader("Content-Length", Buffer.byteLength(body));
  if (body === undefined && !res.hasHeader("Content-Length")) res.setHeader("Content-Length", 0);
  res.statusCode = status;
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string | number> = {}, contentType = "application/json; charset=utf-8"): void {
  send(res, status, { "Content-Type": contentType, ...headers }, JSON.stringify(value));
}

/** Reads the whole body, refusing more than `limit` bytes (413 for manifests). */
export async function readBody(req: IncomingMessage, limit: number, onTooLarge: () => Error): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw onTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = c as Buffer;
    size += b.length;
    if (size > limit) {
      req.resume();
      throw onTooLarge();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function contentLengthOf(req: IncomingMessage): number | undefined {
  const v = req.headers["content-length"];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * A push allowed only because the default namespace is open may not delete: what it would remove may be what the
 * namespace's owner pushed and recorded on chain, and the chain would keep a record the registry no longer serves.
 */
export function refuseOpenPushDelete(ctx: RepoContext, what: string): void {
  if (!ctx.openPush) return;
  ctx.req.resume();
  throw new RegistryError("DENIED", `requested access to the resource is denied: in an open default namespace only the namespace's owner and members may delete ${what}`);
}
