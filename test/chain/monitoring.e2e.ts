// `trustnet devnet up --monitoring` starts a real Prometheus (Debian's package) that scrapes the app, CometBFT and
// the registry; every PromQL expression of the Grafana dashboard (config/grafana/trustnet.json) returns data after a
// send and a push, and the counters move.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { SigningStargateClient } from "@cosmjs/stargate";
import { REPO, type Devnet, startDevnet } from "../helpers/devnet.ts";
import { faucetClient, namespaceOwner, pushAndWaitRecorded } from "../helpers/chain-actions.ts";

const PROM = "http://127.0.0.1:9090";
type Vector = { metric: Record<string, string>; value: [number, string] }[];

async function promQuery(expr: string): Promise<Vector> {
  const r = await fetch(`${PROM}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await r.json()) as { status: string; error?: string; data: { resultType: string; result: Vector } };
  assert.equal(body.status, "success", `${expr}: ${body.error ?? ""}`);
  return body.data.result;
}
const sum = async (expr: string): Promise<number> => Number((await promQuery(`sum(${expr})`))[0]?.value[1] ?? 0);
async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await f().catch(() => undefined);
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("real Prometheus over the devnet (devnet up --monitoring)", () => {
  let d: Devnet;
  let faucet: SigningStargateClient;
  before(async () => {
    // Two validators, so CometBFT has peers to report.
    d = await startDevnet({ validators: 2, upArgs: ["--monitoring"] });
    faucet = await faucetClient(d);
  });
  after(async () => {
    faucet?.disconnect();
    await d?.destroy();
  });

  test("Prometheus scrapes the app, CometBFT and the registry: every target is up", async () => {
    const targets = await eventually("all targets up", async () => {
      const r = (await (await fetch(`${PROM}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string; instance: string }; health: string; lastError: string }[] } };
      const t = r.data.activeTargets;
      return t.length >= 5 && t.every((x) => x.health === "up") ? t : undefined;
    });
    assert.deepEqual([...new Set(targets.map((t) => t.labels.job))].sort(), ["cometbft", "registry", "trustnet-app"]);
    assert.deepEqual(targets.filter((t) => t.labels.job === "trustnet-app").map((t) => t.labels.instance).sort(), ["127.0.0.1:1317", "127.0.0.1:1327"]);
    // Everything scraped listens on loopback only.
    assert.ok(targets.every((t) => t.labels.instance.startsWith("127.0.0.1:")));
  });

  test("after a send and a push every dashboard expression returns data, and the counters move", async () => {
    const before = { txs: await sum("trustnet_txs_total"), reg: await sum("registry_http_requests_total"), comet: await sum("cometbft_consensus_total_txs") };
    const r = await faucet.sendTokens(d.faucet.address, "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy", [{ denom: "utrust", amount: "777" }], "auto");
    assert.equal(r.code, 0);
    const owner = await namespaceOwner(d, faucet, 51, "monns");
    await pushAndWaitRecorded(owner, "monns/app", "v1");
    owner.client.disconnect();

    const dash = JSON.parse(readFileSync(`${REPO}/config/grafana/trustnet.json`, "utf8")) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
    assert.ok(exprs.length >= 12);
    const need = ["block height", "block time", "tx rate", "abci", "mempool", "peers", "validators", "registry requests", "registry request latency"];
    for (const n of need) assert.ok(dash.panels.some((p) => p.title.toLowerCase().includes(n)), `a panel for ${n}`);
    for (const { panel, expr } of exprs) {
      const v = await eventually(`${panel}: ${expr}`, async () => {
        const res = await promQuery(expr);
        return res.length > 0 && res.some((s) => Number.isFinite(Number(s.value[1]))) ? res : undefined;
      });
      assert.ok(v.length > 0, expr);
    }
    const after = await eventually("counters to move", async () => {
      const a = { txs: await sum("trustnet_txs_total"), reg: await sum("registry_http_requests_total"), comet: await sum("cometbft_consensus_total_txs") };
      return a.txs >= before.txs + 3 && a.reg > before.reg && a.comet > before.comet ? a : undefined;
    });
    assert.ok(after.txs >= before.txs + 3, "send + fund + claim counted by the app");
    // The push ended before the counters moved, but the scrape that moved them may have come mid-push: wait for the
    // scrape that holds the manifest PUT.
    const present = async (expr: string): Promise<true | undefined> => ((await promQuery(expr)).length > 0 ? true : undefined);
    assert.ok(await eventually("the manifest push counted by handler, method and code", () => present('registry_http_requests_total{handler="manifest",method="PUT",code="201"}')));
    assert.ok(await eventually("the storage putContent action counted", () => present('registry_storage_action_seconds_count{action="putContent"}')));
    assert.equal(Number((await promQuery("max(cometbft_p2p_peers)"))[0]?.value[1]), 1);
    assert.equal(Number((await promQuery("max(trustnet_validators_bonded)"))[0]?.value[1]), 2);
  });

  test("devnet down stops Prometheus too", async () => {
    await d.down();
    const gone = await eventually("Prometheus to stop", async () => {
      try {
        await fetch(`${PROM}/-/ready`, { signal: AbortSignal.timeout(1000) });
        return undefined;
      } catch {
        return true;
      }
    }, 20_000);
    assert.equal(gone, true);
  });
});
