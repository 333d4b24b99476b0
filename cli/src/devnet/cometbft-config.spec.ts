// The config.toml `devnet generate` and `node init` write, pinned line for line against the one a real
// `cometbft init` writes: every line the CLI changes (with its section) and nothing else. Both commands build on
// one base list of CometBFT settings and differ only in their networking profile (cometbft-config.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { rewriteCometConfig } from "./cometbft-config.ts";
import { generateDevnet } from "./generate.ts";
import { devnetLayout } from "./layout.ts";
import { fullNodeLayout, initFullNode } from "../fullnode/init.ts";

const ID = "0123456789abcdef0123456789abcdef01234567";
const ID2 = "89abcdef0123456789abcdef0123456789abcdef";

/** `[section] line` for every line of `out` that differs from `init`; the two have the same number of lines. */
function changedLines(init: string, out: string): string[] {
  const a = init.split("\n");
  const b = out.split("\n");
  assert.equal(b.length, a.length, "lines are replaced in place, never added or removed");
  let section = "";
  const changed: string[] = [];
  b.forEach((line, i) => {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) section = sec[1] ?? "";
    if (line !== a[i]) changed.push(`[${section}] ${line}`);
  });
  return changed;
}

describe("config.toml as written by devnet generate and node init", () => {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-cometbft-config-spec-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(spawnSync("cometbft", ["init", "--home", join(dir, "ref")]).status, 0, "cometbft 0.38 must be on PATH");
  const init = readFileSync(join(dir, "ref", "config", "config.toml"), "utf8");
  const devnetToml = (home: string, i: number): string => readFileSync(join(devnetLayout(home).root, `node${i}`, "cometbft", "config", "config.toml"), "utf8");
  const nodeToml = (home: string): string => readFileSync(join(fullNodeLayout(home).cometHome, "config", "config.toml"), "utf8");

  test("devnet, one machine: the loopback profile", async () => {
    const home = join(dir, "d1");
    const m = await generateDevnet({ home, validators: 2, cometbft: "cometbft", portOffset: 300, blockTime: "300ms" });
    assert.deepEqual(changedLines(init, devnetToml(home, 1)), [
      `[] proxy_app = "127.0.0.1:26968"`,
      `[] moniker = "node1"`,
      `[] abci = "grpc"`,
      `[rpc] laddr = "tcp://127.0.0.1:26967"`,
      `[rpc] cors_allowed_origins = ["*"]`,
      `[rpc] max_body_bytes = 1463640`,
      `[p2p] laddr = "tcp://127.0.0.1:26966"`,
      `[p2p] persistent_peers = "${m.nodes[0]?.nodeId}@127.0.0.1:26956"`,
      `[p2p] addr_book_strict = false`,
      `[p2p] allow_duplicate_ip = true`,
      `[consensus] timeout_commit = "300ms"`,
      `[instrumentation] prometheus = true`,
      `[instrumentation] prometheus_listen_addr = "127.0.0.1:26970"`,
    ]);
  });

  test("devnet, separate machines, socket transport", async () => {
    const home = join(dir, "d2");
    const m = await generateDevnet({ home, validators: 2, cometbft: "cometbft", transport: "socket", p2pHosts: ["fd00::1", "10.0.0.2"], rpcLaddr: "tcp://0.0.0.0:26657" });
    assert.deepEqual(changedLines(init, devnetToml(home, 0)), [
      `[] moniker = "node0"`,
      `[rpc] laddr = "tcp://0.0.0.0:26657"`,
      `[rpc] cors_allowed_origins = ["*"]`,
      `[rpc] max_body_bytes = 1463640`,
      `[p2p] laddr = "tcp://[fd00::1]:26656"`,
      `[p2p] persistent_peers = "${m.nodes[1]?.nodeId}@10.0.0.2:26656"`,
      `[p2p] addr_book_strict = false`,
      `[p2p] allow_duplicate_ip = true`,
      `[instrumentation] prometheus = true`,
      `[instrumentation] prometheus_listen_addr = "127.0.0.1:26660"`,
    ]);
  });

  // A full node: CometBFT's networking defaults (CORS [], strict address book, no duplicate IPs) are left as they are.
  const nodeHead = [`[] proxy_app = "127.0.0.1:26758"`, `[] moniker = "n"`, `[] abci = "grpc"`, `[rpc] laddr = "tcp://127.0.0.1:26757"`, `[rpc] max_body_bytes = 1463640`];
  const nodeTail = [`[consensus] timeout_commit = "2s"`, `[instrumentation] prometheus = true`, `[instrumentation] prometheus_listen_addr = "127.0.0.1:26760"`];
  const base = { cometbft: "cometbft", peer: `${ID}@10.0.0.1:26656`, genesis: join(dir, "ref", "config", "genesis.json"), portOffset: 100, moniker: "n", blockTime: "2s" };

  test("full node, defaults: CometBFT's networking profile", async () => {
    const home = join(dir, "n1");
    await initFullNode({ ...base, home });
    assert.deepEqual(changedLines(init, nodeToml(home)), [
      ...nodeHead,
      `[p2p] laddr = "tcp://0.0.0.0:26756"`,
      `[p2p] persistent_peers = "${ID}@10.0.0.1:26656"`,
      ...nodeTail,
    ]);
  });

  test("full node, with --p2p-laddr, --external-address, --seeds and --persistent-peers", async () => {
    const home = join(dir, "n2");
    await initFullNode({
      ...base, home, p2pLaddr: "tcp://[::]:30000", externalAddress: "node1.example.org:30000",
      seeds: `${ID2}@seed.example.org:26656`, persistentPeers: `${ID}@10.0.0.1:26656, ${ID2}@[2001:db8::2]:26656`,
    });
    assert.deepEqual(changedLines(init, nodeToml(home)), [
      ...nodeHead,
      `[p2p] laddr = "tcp://[::]:30000"`,
      `[p2p] external_address = "node1.example.org:30000"`,
      `[p2p] seeds = "${ID2}@seed.example.org:26656"`,
      `[p2p] persistent_peers = "${ID}@10.0.0.1:26656,${ID2}@[2001:db8::2]:26656"`,
      ...nodeTail,
    ]);
  });
});

test("rewriteCometConfig sets keys with the file's own mode; a symbolic link planted at config.toml is replaced, not written through", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tn-comet-config-"));
  try {
    const text = '[p2p]\nladdr = "tcp://0.0.0.0:26656"\n\n[rpc]\nladdr = "tcp://127.0.0.1:26657"\n';
    const cfg = join(dir, "config.toml");
    writeFileSync(cfg, text);
    chmodSync(cfg, 0o640);
    await rewriteCometConfig(cfg, [["rpc", "laddr", "tcp://127.0.0.1:36657"]]);
    assert.equal(readFileSync(cfg, "utf8"), text.replace("26657", "36657"));
    assert.equal(statSync(cfg).mode & 0o777, 0o640);

    const victim = join(dir, "victim.toml");
    writeFileSync(victim, text);
    chmodSync(victim, 0o644);
    rmSync(cfg);
    symlinkSync(victim, cfg);
    await rewriteCometConfig(cfg, [["p2p", "laddr", "tcp://127.0.0.1:36656"]]);
    assert.equal(readFileSync(victim, "utf8"), text);
    assert.equal(lstatSync(cfg).isSymbolicLink(), false);
    assert.equal(readFileSync(cfg, "utf8"), text.replace("0.0.0.0:26656", "127.0.0.1:36656"));
    assert.equal(statSync(cfg).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ["config.toml", "victim.toml"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
