import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError, TokenError } from "../errors.ts";
import type { Authenticator, Identity } from "../auth/access.ts";
import { issueBearerToken } from "../auth/bearer-token.ts";
import { readBody, sendJson } from "./context.ts";

async function credentials(auth: Authenticator, req: IncomingMessage): Promise<Identity> {
  if (req.method === "POST") {
    const form = new URLSearchParams((await readBody(req, 64 * 1024, () => new RegistryError("SIZE_INVALID", "token request too large"))).toString("utf8"));
    const user = form.get("username");
    const password = form.get("password");
    if (form.get("grant_type") !== "password" || user === null || password === null) {
      throw new RegistryError("UNSUPPORTED", "only grant_type=password is supported");
    }
    return auth.verifyBasic(Buffer.from(`${user}:${password}`).toString("base64"), req.headers.host);
  }
  req.resume();
  const header = req.headers.authorization;
  if (!header) return { kind: "anonymous" };
  if (!/^basic /i.test(header)) throw new TokenError("the token endpoint takes Basic credentials");
  return auth.verifyBasic(header.slice(6).trim(), req.headers.host);
}

/**
 * GET /token (docker's token flow; Basic = address + login token) or POST /token (OAuth2 password grant).
 * Tokens prove identity only; every request is still authorized against the namespace owners.
 */
export async function handleToken(auth: Authenticator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let who: Identity;
  try {
    who = await credentials(auth, req);
  } catch (err) {
    if (err instanceof TokenError) throw new RegistryError("UNAUTHORIZED", `authentication failed: ${err.message}`);
    throw err;
  }
  if (who.kind === "anonymous" && !auth.settings.anonymousPull) throw new RegistryError("UNAUTHORIZED", "credentials required");
  const now = auth.now();
  const iat = Math.floor(now.getTime() / 1000);
  const ttl = auth.settings.bearerTtlSeconds;
  const token = issueBearerToken(auth.secret, { sub: who.kind === "account" ? who.address : "", aud: auth.audienceFor(req.headers.host), iat, exp: iat + ttl });
  sendJson(res, 200, { token, access_token: token, expires_in: ttl, issued_at: now.toISOString() }, { "Cache-Control": "no-store" });
}
