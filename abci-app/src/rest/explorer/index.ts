// The explorer: a static single-page front end (static/) served at / on :1317. It reads only this server's REST
// routes and, for live blocks, CometBFT's websocket (NewBlock), falling back to polling. Its page URLs follow the
// chain-registry explorer templates: /block/${blockHeight}, /tx/${txHash}, /account/${accountAddress}; leasing has
// /providers, /provider/{address} and /lease/{id}.
import { readFileSync } from "node:fs";
import type { Express, Request, Response } from "express";

const dir = new URL("./static/", import.meta.url);
const load = (name: string): Buffer => readFileSync(new URL(name, dir));

/** Client-side pages: every one serves the same HTML, the script renders the page from the path. */
export const EXPLORER_PAGES = ["/", "/blocks", "/block/:height", "/tx/:hash", "/account/:address", "/validators", "/validator/:address", "/providers", "/provider/:address", "/lease/:id", "/registry", "/registry/*path", "/search"] as const;

/**
 * The page may talk to this server and to the one RPC websocket it opens (app.js websocket()), nothing else. Every
 * fetch kind it does not use is denied (`default-src 'none'`: no plugins, frames, workers, media, fonts, manifests),
 * and `object-src 'none'` is spelled out for scanners that look for it.
 */
export function explorerCsp(rpcWebsocket: string | undefined): string {
  const connect = ["'self'", ...(rpcWebsocket === undefined ? [] : [rpcWebsocket])].join(" ");
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

/** `ws://host:port` (`wss://` for https) of an RPC URL, as app.js turns it into a websocket URL; undefined if it is not http(s). */
export function websocketOrigin(rpcUrl: string): string | undefined {
  try {
    const u = new URL(rpcUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    return `${u.protocol === "https:" ? "wss" : "ws"}://${u.host}`;
  } catch {
    return undefined;
  }
}

/** With no RPC URL configured, app.js uses the page's host on port 26657: allow exactly that (a sane Host only). */
function defaultWebsocketOrigin(req: Request): string | undefined {
  const host = req.hostname;
  if (!/^(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^\[[0-9A-Fa-f:.]+\]$/.test(host)) return undefined;
  return `${req.protocol === "https" ? "wss" : "ws"}://${host}:26657`;
}

export function explorerAssets(app: Express, o: { rpcUrl?: string | undefined }): void {
  const attr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = load("index.html").toString("utf8").replace("__RPC_URL__", attr(o.rpcUrl ?? ""));
  const js = load("app.js");
  const paths = load("paths.js");
  const markup = load("markup.js");
  const css = load("style.css");
  // The page uses the configured RPC URL if there is one (a URL that is not http(s) opens nothing), else its own host.
  const rpc = o.rpcUrl ?? "";
  const configured = rpc === "" ? undefined : websocketOrigin(rpc);
  const page = (req: Request, res: Response): void => {
    res.setHeader("Content-Security-Policy", explorerCsp(rpc === "" ? defaultWebsocketOrigin(req) : configured));
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(html);
  };
  for (const p of EXPLORER_PAGES) app.get(p, page);
  app.get("/favicon.ico", (_req, res) => void res.status(204).end());
  app.get("/explorer/app.js", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/javascript").send(js));
  app.get("/explorer/paths.js", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/javascript").send(paths));
  app.get("/explorer/markup.js", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/javascript").send(markup));
  app.get("/explorer/style.css", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/css").send(css));
}
