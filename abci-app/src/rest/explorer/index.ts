// The explorer: a static single-page front end (static/) served at / on :1317. It reads only this server's REST
// routes and, for live blocks, CometBFT's websocket (NewBlock), falling back to polling. Its page URLs follow the
// chain-registry explorer templates: /block/${blockHeight}, /tx/${txHash}, /account/${accountAddress}; leasing has
// /providers, /provider/{address} and /lease/{id}.
import { readFileSync } from "node:fs";
import type { Express, Response } from "express";

const dir = new URL("./static/", import.meta.url);
const load = (name: string): Buffer => readFileSync(new URL(name, dir));

/** Client-side pages: every one serves the same HTML, the script renders the page from the path. */
export const EXPLORER_PAGES = ["/", "/blocks", "/block/:height", "/tx/:hash", "/account/:address", "/validators", "/validator/:address", "/providers", "/provider/:address", "/lease/:id", "/registry", "/registry/*path", "/search"] as const;

export function explorerAssets(app: Express, o: { rpcUrl?: string | undefined }): void {
  const attr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = load("index.html").toString("utf8").replace("__RPC_URL__", attr(o.rpcUrl ?? ""));
  const js = load("app.js");
  const css = load("style.css");
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss: http: https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  const page = (_req: unknown, res: Response): void => {
    res.setHeader("Content-Security-Policy", csp);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(html);
  };
  for (const p of EXPLORER_PAGES) app.get(p, page);
  app.get("/favicon.ico", (_req, res) => void res.status(204).end());
  app.get("/explorer/app.js", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/javascript").send(js));
  app.get("/explorer/style.css", (_req, res) => void res.setHeader("Cache-Control", "public, max-age=300").type("text/css").send(css));
}
