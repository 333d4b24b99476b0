// `node init`'s genesis: written byte for byte as received, pinned by --genesis-sha256 / --chain-id (required for a
// URL), refused on a mismatch with nothing written; fetched from a real HTTP server that answers CometBFT's
// /genesis_chunked (one chunk and several); and `node start`'s CometBFT (the real binary) refuses a swapped file.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CliError, UsageError } from "../errors.ts";
import { fullNodeLayout, initFullNode, readFullNode } from "./init.ts";
import { cometStartArgs } from "./run.ts";

const ID = "0123456789abcdef0123456789abcdef01234567";
const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

describe("node init: the genesis", () => {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-genesis-spec-"));
  // A real genesis (`cometbft init`), with the file's own formatting; a forged one of another chain.
  assert.equal(spawnSync("cometbft", ["init", "--home", join(dir, "src")]).status, 0, "cometbft 0.38 must be on PATH");
  const real = readFileSync(join(dir, "src", "config", "genesis.json"));
  const chainId = (JSON.parse(real.toString()) as { chain_id: string }).chain_id;
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(real.toString()) as object, chain_id: "evil-1" }));
  let served = real;
  let chunks = 1;
  let server: Server;
  let url = "";
  before(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/genesis.json") return void res.end(served);
      if (u.pathname !== "/genesis_chunked") return void res.writeHead(404).end();
      const i = Number(u.searchParams.get("chunk"));
      const size = Math.ceil(served.length / chunks);
      const data = served.subarray(i * size, (i + 1) * size).toString("base64");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id: -1, result: { chunk: String(i), total: String(chunks), data } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = { cometbft: "cometbft", peer: `${ID}@127.0.0.1:26656`, portOffset: 0, moniker: "n", blockTime: "1s" };
  let n = 0;
  const home = (): string => join(dir, `h${n++}`);

  test("a URL needs --genesis-sha256 or --chain-id; a mismatch names expected and got; nothing is written", async () => {
    served = forged;
    const h = home();
    await assert.rejects(initFullNode({ ...base, home: h, genesis: url }), (e: unknown) => e instanceof UsageError && /--genesis-sha256.*--chain-id/.test(e.message));
    await assert.rejects(initFullNode({ ...base, home: h, genesis: url, chainId }), (e: unknown) => e instanceof CliError && e.message.includes(`chain "evil-1", expected "${chainId}"`));
    await assert.rejects(initFullNode({ ...base, home: h, genesis: url, genesisSha256: sha(real) }), (e: unknown) => e instanceof CliError && e.message.includes(`sha256 ${sha(forged)}, expected ${sha(real)}`));
    await assert.rejects(initFullNode({ ...base, home: h, genesis: `${url}/genesis.json`, genesisSha256: sha(real).toUpperCase() }), (e: unknown) => e instanceof CliError && /expected/.test(e.message));
    await assert.rejects(initFullNode({ ...base, home: h, genesis: url, genesisSha256: "abc" }), (e: unknown) => e instanceof UsageError && /not a sha256/.test(e.message));
    assert.equal(existsSync(fullNodeLayout(h).root), false);
  });

  test("a genesis with block.max_bytes -1 (the whole mempool into PrepareProposal) is refused before anything is written", async () => {
    const g = JSON.parse(real.toString()) as { consensus_params: { block: Record<string, string> } };
    g.consensus_params.block.max_bytes = "-1";
    const file = join(dir, "unbounded-genesis.json");
    writeFileSync(file, JSON.stringify(g));
    const h = home();
    await assert.rejects(initFullNode({ ...base, home: h, genesis: file }), (e: unknown) => e instanceof CliError && /max_bytes -1 hands PrepareProposal the whole mempool.*at most 104857600.*nothing was written/.test(e.message));
    assert.equal(existsSync(fullNodeLayout(h).root), false);
    g.consensus_params.block.max_bytes = "104857600"; // CometBFT's largest: a node started with --max-message-bytes ≥ 101 MiB takes it
    writeFileSync(file, JSON.stringify(g));
    await initFullNode({ ...base, home: home(), genesis: file });
  });

  test("the genesis is written byte for byte (file, .json URL, RPC in one or several chunks) and its sha256 recorded", async () => {
    served = real;
    for (const [genesis, c, pins] of [[join(dir, "src", "config", "genesis.json"), 1, {}], [`${url}/genesis.json`, 1, { genesisSha256: sha(real) }], [url, 1, { chainId }], [url, 3, { chainId, genesisSha256: sha(real) }]] as const) {
      chunks = c;
      const h = home();
      const m = await initFullNode({ ...base, home: h, genesis, ...pins });
      assert.deepEqual(readFileSync(join(fullNodeLayout(h).cometHome, "config", "genesis.json")), real, genesis);
      assert.equal(m.genesisSha256, sha(real));
      assert.equal((await readFullNode(h)).genesisSha256, sha(real));
      assert.equal(m.chainId, chainId);
    }
  });

  test("node start's CometBFT refuses a genesis.json other than the one init wrote", async () => {
    served = real;
    const h = home();
    const m = await initFullNode({ ...base, home: h, genesis: url, chainId });
    assert.deepEqual(cometStartArgs(h, m).slice(-2), ["--genesis_hash", sha(real)]);
    writeFileSync(join(fullNodeLayout(h).cometHome, "config", "genesis.json"), forged);
    const r = spawnSync("cometbft", cometStartArgs(h, m), { encoding: "utf8", timeout: 30_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /--genesis_hash=[0-9A-F]{64} does not match/i);
  });
});
