// The REST server's own rules against a fake query router and a fake CometBFT RPC (both loopback, ephemeral ports):
// SDK error bodies, 404 JSON, parameter checks, pagination, body and rate limits, CORS, the OpenAPI document.
// The real chain behind it is exercised by test/chain/rest.e2e.ts.
import assert from "node:assert/strict";
import { createServer, get as httpGet, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { createMetrics } from "./metrics.ts";
import { createRestApp, HTTP_TIMEOUTS, MAX_CONNECTIONS_PER_CLIENT, restHttpServer } from "./server.ts";
import { isLoopback, parseTrustProxy, type RestLimits } from "./limits.ts";
import { clientKey } from "./client-key.ts";
import { paginate, parsePageRequest } from "../sdk/client/pagination.ts";
import { Grpc } from "../sdk/client/rest-errors.ts";
import { queryError } from "../app/query-router.ts";
import { paginateSorted } from "../sdk/pagination.ts";

const ADDR = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";
const DENOMS = Array.from({ length: 30 }, (_, i) => `denom${String(i).padStart(2, "0")}`);

function fakeQuery(req: RequestQuery): Partial<ResponseQuery> {
  if (req.path === "/cosmos.bank.v1beta1.Query/AllBalances") {
    // the chain's own paging of an account's balances (bank's AllBalances pages with paginateSorted)
    try {
      const { items, page } = paginateSorted(DENOMS.map((d, i) => ({ denom: d, amount: String(i + 1) })), QueryAllBalancesRequest.decode(req.data).pagination, (c) => Buffer.from(c.denom));
      return { code: 0, height: 7n, value: QueryAllBalancesResponse.encode({ balances: items, pagination: page }).finish() };
    } catch (err) {
      return queryError(err, 7n, () => {});
    }
  }
  if (req.path === "/cosmos.auth.v1beta1.Query/Account") return { code: 22, log: "account not found" };
  if (req.path === "/cosmos.bank.v1beta1.Query/TotalSupply") throw new Error("SQLITE_CORRUPT: database disk image is malformed at /secret/path");
  // The app's answer when a query handler throws something other than an AppError (its log names the failure).
  if (req.path === "/cosmos.tx.v1beta1.Service/Simulate" && Buffer.from(req.data).includes(Buffer.from("crash"))) {
    return queryError(new Error("SQLITE_CORRUPT: database disk image is malformed at /secret/path"), 7n, () => {});
  }
  return { code: 6, log: "unknown query path" };
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function start(limits: Partial<RestLimits> = {}, rpcDelayMs = 0): Promise<{ url: string; server: Server; rpc: Server }> {
  // A fake CometBFT RPC: status and a tx_search that rejects malformed queries the way CometBFT does.
  const rpc = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => void setTimeout(() => {
      const { method, params } = JSON.parse(body) as { method: string; params: Record<string, string> };
      res.setHeader("content-type", "application/json");
      if (method === "status") return void res.end(JSON.stringify({ result: { node_info: { network: "trustnet-local-1", version: "0.38", moniker: "n0" }, sync_info: { latest_block_height: "7", latest_block_time: "2026-01-01T00:00:00Z", catching_up: false } } }));
      if (method === "tx_search" && !/=/.test(params.query ?? "")) return void res.end(JSON.stringify({ error: { code: -32603, message: "Internal error", data: "error parsing query at /home/x/go: unexpected EOF" } }));
      if (method === "tx_search") return void res.end(JSON.stringify({ result: { txs: [], total_count: "0" } }));
      res.end(JSON.stringify({ error: { code: -32603, message: "Internal error", data: "tx (ABC) not found" } }));
    }, rpcDelayMs));
  });
  const rpcUrl = await listen(rpc);
  const { app } = createRestApp({ query: fakeQuery, rpcUrl, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits });
  const server = createServer(app);
  return { url: await listen(server), server, rpc };
}

describe("REST server rules", () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    s = await start();
  });
  after(() => {
    s.server.close();
    s.rpc.close();
  });
  const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const r = await fetch(s.url + path, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
  };
  const sdkError = (b: Record<string, unknown>, code: number): void => {
    assert.deepEqual(Object.keys(b).sort(), ["code", "details", "message"]);
    assert.equal(b.code, code);
    assert.deepEqual(b.details, []);
  };

  test("unknown routes are 404 JSON; absent Cosmos modules 501", async () => {
    const r = await get("/nope/at/all");
    assert.equal(r.status, 404);
    sdkError(r.body, 5);
    const st = await get("/cosmos/gov/v1beta1/proposals");
    assert.equal(st.status, 501);
    sdkError(st.body, 12);
  });

  test("an unknown route of a Cosmos module this chain serves (distribution, slashing, mint) is 404, not 501", async () => {
    for (const p of ["/cosmos/distribution/v1beta1/nope", "/cosmos/slashing/v1beta1/nope", "/cosmos/mint/v1beta1/nope"]) {
      const r = await get(p);
      assert.equal(r.status, 404, p);
      sdkError(r.body, 5);
    }
  });

  test("malformed address, hash and height are 400 with the SDK body; a missing account is 404", async () => {
    for (const p of ["/cosmos/bank/v1beta1/balances/cosmos1notanaddress", "/cosmos/tx/v1beta1/txs/XYZ", "/cosmos/base/tendermint/v1beta1/blocks/-1", "/api/tx/1234",
      "/cosmos/bank/v1beta1/balances/%E0%A4%A", "/api/balance/%ZZ", "/trustnet/registry/v1/tags/library/%ZZ"]) {
      const r = await get(p);
      assert.equal(r.status, 400, p);
      sdkError(r.body, 3);
    }
    const missing = await get(`/cosmos/auth/v1beta1/accounts/${ADDR}`);
    assert.equal(missing.status, 404);
    sdkError(missing.body, 5);
  });

  test("internal failures say only \"internal error\"", async () => {
    const r = await get("/cosmos/bank/v1beta1/supply");
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { code: 13, message: "internal error", details: [] });
    const q = await get("/cosmos/tx/v1beta1/txs?query=nonsense");
    assert.equal(q.status, 400);
    assert.doesNotMatch(String(q.body.message), /home|parsing/);
    const sim = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: Buffer.from("crash").toString("base64") }) });
    assert.equal(sim.status, 500, "a simulation the app failed internally (code 1) is the server's fault");
    assert.deepEqual(sim.body, { code: 13, message: "internal error", details: [] });
  });

  test("pagination: keys page through everything once, limit clamps at 1000, bad keys are 400", async () => {
    const seen: string[] = [];
    let key: string | null = null;
    do {
      const r = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?pagination.limit=7${key ? `&pagination.key=${encodeURIComponent(key)}` : ""}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("x-cosmos-block-height"), "7");
      seen.push(...(r.body.balances as { denom: string }[]).map((b) => b.denom));
      key = (r.body.pagination as { next_key: string | null }).next_key;
    } while (key !== null);
    assert.deepEqual(seen, DENOMS);
    const big = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?pagination.limit=1000000000`);
    assert.equal((big.body.balances as unknown[]).length, 30);
    const rev = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?pagination.limit=2&pagination.reverse=true&pagination.count_total=true`);
    assert.deepEqual(rev.body, { balances: [{ denom: "denom29", amount: "30" }, { denom: "denom28", amount: "29" }], pagination: { next_key: Buffer.from("denom27").toString("base64"), total: "30" } });
    for (const bad of ["pagination.key=%%%", "pagination.key=not*base64", "pagination.limit=-1", "pagination.offset=abc", "pagination.key=ZGVub20x&pagination.offset=3", "pagination.reverse=maybe"]) {
      const r = await get(`/cosmos/bank/v1beta1/balances/${ADDR}?${bad}`);
      assert.equal(r.status, 400, bad);
      sdkError(r.body, 3);
    }
  });

  test("parsePageRequest/paginate follow the SDK's defaults", () => {
    const p = parsePageRequest({});
    assert.deepEqual([p.limit, p.countTotal, p.offset], [100, true, 0]);
    assert.equal(parsePageRequest({ "pagination.limit": "1000000000" }).limit, 1000);
    const { page, pagination } = paginate(["a", "b", "c"], parsePageRequest({ "pagination.offset": "1", "pagination.limit": "1", "pagination.count_total": "true" }), (x) => Buffer.from(x));
    assert.deepEqual(page, ["b"]);
    assert.deepEqual(pagination, { next_key: Buffer.from("c").toString("base64"), total: "3" });
  });

  test("a body that is not what its Content-Encoding says is 400, not 500", async () => {
    const r = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: "not gzip at all" });
    assert.equal(r.status, 400);
    sdkError(r.body, 3);
  });

  test("a ~900 KB tx, base64 in tx_bytes as cosmjs and REST clients send it, is not refused for its size", async () => {
    for (const path of ["/cosmos/tx/v1beta1/txs", "/cosmos/tx/v1beta1/simulate"]) {
      const body = JSON.stringify({ tx_bytes: Buffer.alloc(900 * 1024, 1).toString("base64"), mode: "BROADCAST_MODE_SYNC" });
      const r = await get(path, { method: "POST", headers: { "content-type": "application/json" }, body });
      assert.notEqual(r.status, 413, `${path}: ${JSON.stringify(r.body)}`);
    }
  });

  test("a 10 MB body is refused with 413 and the SDK body; a non-object body is 400", async () => {
    const big = JSON.stringify({ tx_bytes: "A".repeat(10 * 1024 * 1024), mode: "BROADCAST_MODE_SYNC" });
    const r = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: big });
    assert.equal(r.status, 413);
    sdkError(r.body, 8);
    const plain = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "text/plain" }, body: "x".repeat(10 * 1024 * 1024) });
    assert.equal(plain.status, 413);
    const arr = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: "[1]" });
    assert.equal(arr.status, 400);
    const notB64 = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: "***", mode: "BROADCAST_MODE_SYNC" }) });
    assert.equal(notB64.status, 400);
    const badMode = await get("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: "AAAA", mode: "BROADCAST_MODE_BLOCK" }) });
    assert.equal(badMode.status, 400);
  });

  test("CORS * on GET only, not on POST; preflight only for GET", async () => {
    const g = await fetch(`${s.url}/api/status`, { headers: { origin: "https://example.org" } });
    assert.equal(g.headers.get("access-control-allow-origin"), "*");
    const p = await fetch(`${s.url}/cosmos/tx/v1beta1/simulate`, { method: "POST", headers: { origin: "https://example.org", "content-type": "application/json" }, body: "{}" });
    assert.equal(p.headers.get("access-control-allow-origin"), null);
    // a "simple" cross-site POST (no preflight) is refused before it runs; a same-origin one (the explorer) is not
    const simple = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { origin: "https://evil.example", "content-type": "text/plain" }, body: "{}" });
    assert.equal(simple.status, 403);
    sdkError(simple.body, 7);
    assert.match(String(simple.body.message), /cross-origin POST is disabled/);
    const same = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { origin: s.url, "content-type": "application/json" }, body: "{}" });
    assert.notEqual(same.status, 403);
    const noOrigin = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.notEqual(noOrigin.status, 403, "curl and cosmjs send no Origin");
    const preGet = await fetch(`${s.url}/api/status`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
    assert.equal(preGet.headers.get("access-control-allow-origin"), "*");
    const prePost = await fetch(`${s.url}/cosmos/tx/v1beta1/txs`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "POST" } });
    assert.equal(prePost.headers.get("access-control-allow-origin"), null);
  });

  test("/metrics is never readable cross-origin, whatever the CORS setting", async () => {
    const m = await fetch(`${s.url}/metrics`, { headers: { origin: "https://evil.example" } });
    assert.equal(m.status, 200);
    assert.equal(m.headers.get("access-control-allow-origin"), null);
    const pre = await fetch(`${s.url}/metrics`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    assert.equal(pre.headers.get("access-control-allow-origin"), null);
    assert.equal((await fetch(`${s.url}/api/status`, { headers: { origin: "https://evil.example" } })).headers.get("access-control-allow-origin"), "*");
  });

  test("/metrics answers loopback clients only unless --rest-metrics-public; a trusted proxy's clients are not local", async () => {
    assert.equal((await fetch(`${s.url}/metrics`)).status, 200, "a loopback scraper reads it");
    // Behind a trusted reverse proxy on this host, req.ip is the forwarded client: a visitor, not a local scraper.
    for (const [metricsPublic, want] of [[false, 403], [true, 200]] as const) {
      const { app } = createRestApp({ query: fakeQuery, rpcUrl: "http://127.0.0.1:1", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: { trustProxy: "loopback", metricsPublic } });
      const server = createServer(app);
      try {
        const url = await listen(server);
        const r = await fetch(`${url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
        assert.equal(r.status, want, `metricsPublic ${metricsPublic}`);
        const body = await r.text();
        if (want === 403) {
          assert.equal((JSON.parse(body) as { code: number }).code, Grpc.PermissionDenied);
          assert.doesNotMatch(body, /process_cpu|trustnet_/, "no metric leaks in the refusal");
        } else {
          assert.match(body, /trustnet_build_info/);
        }
        assert.equal((await fetch(`${url}/metrics`, { headers: { "x-forwarded-for": "127.0.0.1" } })).status, 200, "a local client through the proxy");
        assert.equal((await fetch(`${url}/api/status`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status !== 403, true, "only /metrics is guarded");
      } finally {
        server.close();
      }
    }
    for (const ip of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) assert.equal(isLoopback(ip), true, ip);
    for (const ip of ["10.0.0.1", "::ffff:10.0.0.1", "203.0.113.9", "::", "::2", "127.0.0.1.example", undefined]) assert.equal(isLoopback(ip), false, String(ip));
  });

  test("the explorer's CSP lets it connect to this server and its RPC websocket only", async () => {
    const connectSrc = (csp: string | null): string => /connect-src ([^;]*)/.exec(csp ?? "")?.[1] ?? "";
    // No public RPC configured: the page's own host on 26657, as app.js then uses.
    const own = await fetch(`${s.url}/`);
    assert.equal(connectSrc(own.headers.get("content-security-policy")), "'self' ws://127.0.0.1:26657");
    const hostile = await new Promise<string>((resolve, reject) => {
      const u = new URL(s.url);
      httpGet({ host: u.hostname, port: u.port, path: "/", headers: { host: "a.example;script-src" } }, (res) => {
        res.resume();
        resolve(String(res.headers["content-security-policy"] ?? ""));
      }).on("error", reject);
    });
    assert.equal(connectSrc(hostile), "'self'", "a strange Host adds nothing");
    // Configured (--rest-public-rpc): exactly its websocket origin.
    for (const [rpc, want] of [["https://rpc.example.org/", "'self' wss://rpc.example.org"], ["http://10.0.0.5:26657", "'self' ws://10.0.0.5:26657"], ["not a url", "'self'"]] as const) {
      const { app } = createRestApp({ query: fakeQuery, rpcUrl: "http://127.0.0.1:1", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", explorerRpcUrl: rpc });
      const server = createServer(app);
      try {
        const r = await fetch(`${await listen(server)}/validators`);
        assert.equal(connectSrc(r.headers.get("content-security-policy")), want, rpc);
      } finally {
        server.close();
      }
    }
  });

  test("the explorer's CSP denies everything the page does not use: plugins, frames, inline script, other bases", async () => {
    const r = await fetch(`${s.url}/block/1`);
    const csp = new Map((r.headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(" ")]));
    assert.equal(csp.get("default-src"), "'none'", "what is not listed is denied");
    assert.equal(csp.get("object-src"), "'none'");
    assert.equal(csp.get("script-src"), "'self'", "no inline or eval'd script");
    assert.equal(csp.get("style-src"), "'self'");
    assert.equal(csp.get("base-uri"), "'none'");
    assert.equal(csp.get("frame-ancestors"), "'none'");
    assert.equal(csp.get("form-action"), "'self'");
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    assert.equal(r.headers.get("referrer-policy"), "no-referrer");
    assert.equal(r.headers.get("x-frame-options"), "DENY");
    for (const asset of ["/explorer/app.js", "/explorer/paths.js", "/explorer/markup.js"]) {
      const a = await fetch(`${s.url}${asset}`);
      assert.equal(a.headers.get("content-type"), "text/javascript; charset=utf-8", asset);
      assert.equal(a.headers.get("x-content-type-options"), "nosniff", asset);
    }
  });

  test("the OpenAPI document lists every served route with its parameters", async () => {
    const doc = (await get("/openapi.json")).body as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> };
    assert.equal(doc.openapi, "3.0.3");
    for (const p of ["/cosmos/bank/v1beta1/balances/{address}", "/cosmos/tx/v1beta1/txs", "/cosmos/base/tendermint/v1beta1/blocks/{height}", "/trustnet/registry/v1/tags/{namespace}/{repo}", "/api/status", "/api/balance/{address}"]) {
      assert.ok(doc.paths[p], p);
    }
    assert.ok(doc.paths["/cosmos/tx/v1beta1/txs"]?.post && doc.paths["/cosmos/tx/v1beta1/txs"]?.get);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) {
        const inPath = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
        assert.deepEqual(op.parameters.filter((x) => x.in === "path").map((x) => x.name), inPath, path);
      }
    }
    assert.ok(doc.paths["/cosmos/bank/v1beta1/balances/{address}"]?.get?.parameters.some((x) => x.name === "pagination.key"));
  });
});

/**
 * A refill of one token per 100 s: the cases that count a bucket's burst (which client shares it, preflights spend it)
 * see no token come back while they run. At 0.5/s one did after 2 s, and a loaded machine can take that long for the
 * handful of requests, turning an expected 429 into a 200.
 */
const NO_REFILL = 0.01;

describe("REST rate limit", () => {
  test("a burst beyond the limit gets 429 with Retry-After and the SDK body; requests within it are never limited", async () => {
    const s = await start({ ratePerSecond: 5, rateBurst: 10 });
    try {
      const codes: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) codes.push((await fetch(`${s.url}/api/status`)).status);
      assert.deepEqual(codes, Array(10).fill(200), "the burst itself is served");
      // Tokens refill at 5/s while the burst runs (slowly, on a loaded machine): the refusal comes once they are spent.
      let r = await fetch(`${s.url}/api/status`);
      let extra = 0;
      while (r.status === 200 && extra < 50) {
        extra += 1;
        r = await fetch(`${s.url}/api/status`);
      }
      assert.ok(extra <= Math.ceil(((performance.now() - t0) / 1000) * 5) + 1, `${extra} requests beyond the burst were served: more than the refill allows`);
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get("retry-after")) >= 1);
      assert.deepEqual(await r.json(), { code: 8, message: "rate limit exceeded; retry later", details: [] });
      // Traffic at the refill rate (5/s) is never refused.
      await new Promise((res) => setTimeout(res, 1000));
      for (let i = 0; i < 8; i++) {
        assert.equal((await fetch(`${s.url}/api/status`)).status, 200);
        await new Promise((res) => setTimeout(res, 250));
      }
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });
  test("preflights (OPTIONS) count against the same per-client limit: over it, a preflight gets 429 too", async () => {
    const s = await start({ ratePerSecond: NO_REFILL, rateBurst: 3 });
    const preflight = (): Promise<Response> => fetch(`${s.url}/api/status`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await preflight()).status);
      assert.deepEqual(codes, [204, 204, 204], "preflights within the burst are answered");
      const over = await preflight();
      assert.equal(over.status, 429);
      assert.ok(Number(over.headers.get("retry-after")) >= 1);
      assert.deepEqual(await over.json(), { code: 8, message: "rate limit exceeded; retry later", details: [] });
      assert.equal((await fetch(`${s.url}/api/status`)).status, 429, "the preflights spent the client's tokens");
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });
});

describe("REST rate limit behind a reverse proxy (--rest-trust-proxy)", () => {
  const burst = async (url: string, xff: string | undefined, n: number): Promise<number[]> => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await fetch(`${url}/api/status`, { headers: xff ? { "x-forwarded-for": xff } : {} })).status);
    return codes;
  };

  test("by default X-Forwarded-For is ignored: a client cannot dodge its limit with a forged header", async () => {
    const s = await start({ ratePerSecond: NO_REFILL, rateBurst: 3 });
    try {
      assert.deepEqual(await burst(s.url, "203.0.113.1", 3), [200, 200, 200]);
      assert.deepEqual(await burst(s.url, "203.0.113.2", 1), [429], "another forged client address shares the socket's bucket");
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });

  test("with the proxy trusted, each forwarded client has its own bucket", async () => {
    const s = await start({ ratePerSecond: NO_REFILL, rateBurst: 3, trustProxy: parseTrustProxy("loopback") });
    try {
      assert.deepEqual(await burst(s.url, "203.0.113.1", 4), [200, 200, 200, 429]);
      assert.deepEqual(await burst(s.url, "203.0.113.2", 3), [200, 200, 200], "a second client behind the same proxy is not limited by the first");
      assert.deepEqual(await burst(s.url, "198.51.100.7, 203.0.113.1", 1), [429], "the client is the address the trusted proxy appended (203.0.113.1, out of tokens), not a forged one before it");
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });

  test("an IPv6 client is its /56: rotating through its own network's addresses gives no fresh bucket", async () => {
    const s = await start({ ratePerSecond: NO_REFILL, rateBurst: 3, trustProxy: parseTrustProxy("loopback") });
    try {
      assert.deepEqual(await burst(s.url, "2001:db8:1:2::1", 3), [200, 200, 200]);
      assert.deepEqual(await burst(s.url, "2001:db8:1:2::2", 1), [429], "another address of the same /64");
      assert.deepEqual(await burst(s.url, "2001:db8:1:ff:1:2:3:4", 1), [429], "another /64 of the same /56");
      assert.deepEqual(await burst(s.url, "2001:db8:1:100::1", 1), [200], "another /56 is another client");
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });

  test("clientKey: IPv4 (also IPv4-mapped) as it is, IPv6 as its /56", () => {
    assert.equal(clientKey("203.0.113.9"), "203.0.113.9");
    assert.equal(clientKey("::ffff:203.0.113.9"), "203.0.113.9");
    assert.equal(clientKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:0:0:0:0:0/56");
    assert.equal(clientKey("2001:db8:1:2ff::1"), "2001:db8:1:200:0:0:0:0/56");
    assert.equal(clientKey("fe80::1%eth0"), "fe80:0:0:0:0:0:0:0/56");
    assert.equal(clientKey("64:ff9b::198.51.100.1"), "64:ff9b:0:0:0:0:0:0/56");
    assert.equal(clientKey(""), "");
  });

  test("--rest-trust-proxy values are checked: a typo never trusts everyone", () => {
    assert.equal(parseTrustProxy("off"), undefined);
    assert.equal(parseTrustProxy("2"), 2);
    assert.equal(parseTrustProxy("loopback, 10.0.0.0/8,fd00::/8"), "loopback,10.0.0.0/8,fd00::/8");
    for (const bad of ["true", "0", "11", "*", "loopbak", "10.0.0.0/33", "fd00::/129", "10.0.0", "", "loopback,"]) assert.throws(() => parseTrustProxy(bad), /--rest-trust-proxy/, bad);
  });
});

describe("REST requests in flight", () => {
  test("beyond the cap a request is refused at once with 503, Retry-After and the SDK body", async () => {
    const s = await start({ maxInFlight: 2, maxInFlightPerClient: 2, ratePerSecond: 0 }, 500);
    try {
      const all = await Promise.all(Array.from({ length: 4 }, () => fetch(`${s.url}/api/status`)));
      const codes = all.map((r) => r.status).sort();
      assert.deepEqual(codes, [200, 200, 503, 503]);
      const busy = all.find((r) => r.status === 503);
      assert.equal(busy?.headers.get("retry-after"), "1");
      assert.deepEqual(await busy?.json(), { code: 14, message: "server busy; retry later", details: [] });
      assert.equal((await fetch(`${s.url}/api/status`)).status, 200, "served again once the others finished");
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });

  test("one client holds at most a quarter of the slots: its slow requests leave room for the others", async () => {
    const s = await start({ maxInFlight: 8, ratePerSecond: 0, trustProxy: parseTrustProxy("loopback") }, 500);
    const as = (client: string): Promise<number> => fetch(`${s.url}/api/status`, { headers: { "x-forwarded-for": client } }).then((r) => r.status);
    try {
      const hog = Array.from({ length: 8 }, () => as("203.0.113.1"));
      await new Promise((r) => setTimeout(r, 100)); // the hog's requests are in flight (the RPC answers in 500 ms)
      const other = await as("198.51.100.7");
      assert.equal(other, 200, "another client is served while the first one's requests are in flight");
      assert.deepEqual((await Promise.all(hog)).sort(), [200, 200, 503, 503, 503, 503, 503, 503]);
    } finally {
      s.server.close();
      s.rpc.close();
    }
  });
});

describe("REST connections", () => {
  test("one client address holds at most MAX_CONNECTIONS_PER_CLIENT sockets; the next is closed at once, and a slot frees on close", async () => {
    const { app } = createRestApp({ query: fakeQuery, rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    const server = restHttpServer(app);
    const accepted: Socket[] = []; // the server's ends (its slot counter's 'close' listener runs before ours)
    server.on("connection", (s: Socket) => accepted.push(s));
    const url = await listen(server);
    const port = Number(new URL(url).port);
    const open = (): Promise<Socket> => new Promise((resolve, reject) => {
      const c = connect(port, "127.0.0.1", () => resolve(c));
      c.once("error", reject);
    });
    const closedSoon = (c: Socket): Promise<boolean> => new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), 1000);
      c.once("close", () => (clearTimeout(t), resolve(true)));
    });
    const held: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS_PER_CLIENT; i++) held.push(await open());
      const extra = await open();
      assert.equal(await closedSoon(extra), true, "one over the cap is closed by the server");
      assert.equal(await closedSoon(held[0] as Socket), false, "the others stay open");
      // The slot frees when the server sees the close: wait for that, not for a time (past 50 ms a loaded event loop
      // could take the next connection in the same poll as that close, and before it).
      const freed = held.shift() as Socket;
      const serverEnd = accepted.find((s) => s.remotePort === freed.localPort);
      assert.ok(serverEnd, "the server's end of the first connection");
      const closedOnServer = new Promise((r) => serverEnd.once("close", r));
      freed.destroy();
      await closedOnServer;
      const status = await new Promise<number | undefined>((resolve, reject) => {
        httpGet(`${url}/openapi.json`, { agent: false }, (res) => (res.resume(), res.once("end", () => resolve(res.statusCode)))).once("error", reject);
      });
      assert.equal(status, 200, "a freed slot serves the next request");
    } finally {
      for (const c of held) c.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  describe("deadlines: a socket that sends nothing, trickles its headers or never reads its answer is closed", () => {
    const short = { headersMs: 400, requestMs: 800, keepAliveMs: 200, idleMs: 500, checkIntervalMs: 100 };
    const big = Buffer.alloc(64 << 20, 97); // more than the loopback socket buffers hold, so an unread answer blocks
    let server: Server;
    let port: number;
    const answers: { at: number; finished: boolean }[] = [];
    before(async () => {
      server = restHttpServer((req, res) => {
        res.once("close", () => answers.push({ at: performance.now(), finished: res.writableFinished }));
        res.end(req.url === "/big" ? big : "ok");
      }, {}, short);
      port = Number(new URL(await listen(server)).port);
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    /** A raw socket; resolves with what it read and how long after connecting it was closed (or undefined if still open after `waitMs`). */
    const raw = (act: (c: Socket) => void, waitMs = 3000): Promise<{ closedAfterMs: number | undefined; got: string }> => new Promise((resolve, reject) => {
      const c = connect(port, "127.0.0.1");
      let got = "";
      c.on("data", (d: Buffer) => (got += d.toString("latin1")));
      // The server's close can reach a client that is still writing (the trickle) as a reset: that is the close this
      // waits for ("close" follows), not a failure. Anything else (no connection at all) is one.
      c.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNRESET" || e.code === "EPIPE" ? undefined : reject(e)));
      c.once("connect", () => {
        const t0 = performance.now();
        const t = setTimeout(() => (c.destroy(), resolve({ closedAfterMs: undefined, got })), waitMs);
        c.once("close", () => (clearTimeout(t), resolve({ closedAfterMs: performance.now() - t0, got })));
        act(c);
      });
    });

    test("the defaults are the documented ones (headers 10 s, request 30 s, keep-alive 5 s, unread answer 30 s, checked every 1 s)", () => {
      assert.deepEqual(HTTP_TIMEOUTS, { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 30_000, checkIntervalMs: 1_000 });
      const d = restHttpServer(() => {});
      assert.deepEqual([d.headersTimeout, d.requestTimeout, d.keepAliveTimeout, d.timeout], [10_000, 30_000, 5_000, 30_000]);
    });

    test("a socket that sends nothing gets 408 and is closed once the header deadline passes", async () => {
      const r = await raw(() => {});
      assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs < short.headersMs + 2 * short.checkIntervalMs + 300, `closed after ${r.closedAfterMs} ms`);
      assert.match(r.got, /^HTTP\/1\.1 408 /);
    });

    test("a socket that trickles header lines is closed at the header deadline, however busy it keeps the line", async () => {
      const r = await raw((c) => {
        c.write("GET /x HTTP/1.1\r\nHost: x\r\n");
        const i = setInterval(() => (c.writable ? c.write("X-A: b\r\n") : clearInterval(i)), 50);
        c.once("close", () => clearInterval(i));
      });
      assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs < short.headersMs + 2 * short.checkIntervalMs + 300, `closed after ${r.closedAfterMs} ms`);
    });

    test("an idle keep-alive socket is closed after the keep-alive timeout (plus Node's 1 s buffer)", async () => {
      const r = await raw((c) => c.write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
      assert.match(r.got, /^HTTP\/1\.1 200 /);
      assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs < short.keepAliveMs + 1000 + 500, `closed after ${r.closedAfterMs} ms`);
    });

    test("an answer the client does not read is dropped once no byte has moved for idleMs", async () => {
      answers.length = 0;
      const t0 = performance.now();
      // The client asks and then never reads: the 64 MiB answer stalls in the socket buffers.
      await raw((c) => (c.pause(), c.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")), short.idleMs + 1500);
      const a = answers[0];
      assert.ok(a !== undefined && a.at - t0 < short.idleMs + 1000, `the server still held the unread answer ${short.idleMs + 1000} ms after the request`);
      assert.equal(a.finished, false, "dropped, not delivered");
    });
  });
});

describe("REST answers not yet read by their clients", () => {
  test("an answer larger than the whole budget is a 503 that says so, with no Retry-After (waiting would not help)", async () => {
    const id = { hash: "AB".repeat(32), parts: { total: 1, hash: "CD" } };
    const header = { version: { block: "11" }, chain_id: "c", height: "5", time: "t", last_block_id: id, last_commit_hash: "", data_hash: "", validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "", last_results_hash: "", evidence_hash: "", proposer_address: "" };
    const block = JSON.stringify({ jsonrpc: "2.0", id: 0, result: { block_id: id, block: { header, data: { txs: ["A".repeat(1 << 20)] }, evidence: { evidence: [] }, last_commit: null } } });
    const params = JSON.stringify({ jsonrpc: "2.0", id: 0, result: { consensus_params: { block: { max_bytes: "22020096" } } } });
    const rpc = createServer((req, res) => {
      let asked = "";
      req.on("data", (c: Buffer) => (asked += c.toString()));
      req.once("end", () => res.end(asked.includes('"consensus_params"') ? params : block));
    });
    const { app } = createRestApp({ query: fakeQuery, rpcUrl: await listen(rpc), metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: { ratePerSecond: 0, maxPendingAnswerBytes: 1 << 20 } });
    const server = createServer(app);
    const url = await listen(server);
    try {
      const r = await fetch(`${url}/cosmos/base/tendermint/v1beta1/blocks/5`);
      const body = (await r.json()) as { code: number; message: string };
      assert.equal(r.status, 503);
      assert.equal(r.headers.get("retry-after"), null);
      assert.equal(body.code, Grpc.Unavailable);
      assert.match(body.message, /^the answer is 2\d{6} bytes, more than the 1048576 this server holds for answers not yet read$/);
    } finally {
      server.closeAllConnections();
      server.close();
      rpc.close();
    }
  });

  test("past maxPendingAnswerBytes an answer is a 503; the bytes count again once their client has them or is gone", async () => {
    // A fake CometBFT with a block of 12 MiB of txs (base64): the block route's answer carries them twice, ~32 MB,
    // more than the loopback socket buffers take, so an answer whose client does not read stays in the process.
    const tx = "A".repeat(12 << 20);
    const id = { hash: "AB".repeat(32), parts: { total: 1, hash: "CD" } };
    const header = { version: { block: "11" }, chain_id: "c", height: "5", time: "t", last_block_id: id, last_commit_hash: "", data_hash: "", validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "", last_results_hash: "", evidence_hash: "", proposer_address: "" };
    const block = JSON.stringify({ jsonrpc: "2.0", id: 0, result: { block_id: id, block: { header, data: { txs: [tx] }, evidence: { evidence: [] }, last_commit: null } } });
    const status = JSON.stringify({ result: { node_info: { network: "n", version: "0.38", moniker: "m" }, sync_info: { latest_block_height: "7", latest_block_time: "t", catching_up: false } } });
    const rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.once("end", () => res.end(body.includes('"block"') ? block : status));
    });
    const rpcUrl = await listen(rpc);
    const { app } = createRestApp({ query: fakeQuery, rpcUrl, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: { ratePerSecond: 0, maxPendingAnswerBytes: 40 << 20 } });
    const server = createServer(app);
    const url = await listen(server);
    const path = "/cosmos/base/tendermint/v1beta1/blocks/5";
    try {
      // A client that asks for the block and reads only the first bytes of its answer.
      const unread = connect(Number(new URL(url).port), "127.0.0.1");
      await new Promise<void>((resolve) => {
        unread.once("data", () => (unread.pause(), resolve()));
        unread.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
      const busy = await fetch(`${url}${path}`);
      assert.equal(busy.status, 503);
      assert.equal(busy.headers.get("retry-after"), "1");
      assert.notEqual(busy.headers.get("etag"), `W/"0.0.0-test-${id.hash}"`, "the busy answer has not the block's ETag");
      assert.deepEqual(await busy.json(), { code: Grpc.Unavailable, message: "server busy (answers not yet read by their clients); retry later", details: [] });
      assert.equal((await fetch(`${url}/api/status`)).status, 200, "a small answer still fits");
      unread.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const served = await fetch(`${url}${path}`);
      assert.equal(served.status, 200, "the dropped answer's bytes are free again");
      assert.equal(served.headers.get("content-type"), "application/json; charset=utf-8");
      const etag = `W/"0.0.0-test-${id.hash}"`;
      assert.equal(served.headers.get("etag"), etag, "the block's hash, not a hash of the 32 MB answer");
      assert.equal(((await served.json()) as { block: { data: { txs: string[] } } }).block.data.txs[0]?.length, tx.length);
      const again = await fetch(`${url}${path}`);
      assert.equal(again.status, 200, "and so are a delivered answer's");
      await again.arrayBuffer();
      // (fetch would add Cache-Control: no-cache to a conditional request, which asks for the full answer.)
      const unchanged = await fetch(`${url}${path}`, { headers: { "if-none-match": etag, "cache-control": "max-age=0" } });
      assert.equal(unchanged.status, 304);
      assert.equal((await unchanged.arrayBuffer()).byteLength, 0);
    } finally {
      server.closeAllConnections();
      server.close();
      rpc.close();
    }
  });
});
