// `node init`'s networking: CometBFT's own defaults (P2P on all interfaces, strict address book, no duplicate IPs,
// no RPC CORS) rather than the devnet's loopback profile, the operator's --p2p-laddr/--external-address/--seeds/
// --persistent-peers written as given, and bad values refused with nothing written. Real `cometbft init` homes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { UsageError } from "../errors.ts";
import { getTomlString } from "../devnet/toml.ts";
import { fullNodeLayout, initFullNode } from "./init.ts";

const ID = "0123456789abcdef0123456789abcdef01234567";
const ID2 = "89abcdef0123456789abcdef0123456789abcdef";

/** The raw value of `key` in `[section]`. */
function tomlRaw(text: string, section: string, key: string): string | undefined {
  let current = "";
  for (const line of text.split("\n")) {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) current = sec[1] ?? "";
    else if (current === section && line.startsWith(`${key} = `)) return line.slice(key.length + 3);
  }
  return undefined;
}

describe("node init: networking", () => {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-fullnode-net-spec-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(spawnSync("cometbft", ["init", "--home", join(dir, "src")]).status, 0, "cometbft 0.38 must be on PATH");
  const base = { cometbft: "cometbft", peer: `${ID}@10.0.0.1:26656`, genesis: join(dir, "src", "config", "genesis.json"), portOffset: 100, moniker: "n", blockTime: "1s" };
  const config = (home: string): string => readFileSync(join(fullNodeLayout(home).cometHome, "config", "config.toml"), "utf8");

  test("defaults: CometBFT's networking, P2P on all interfaces, RPC on loopback, the peer as persistent peer", async () => {
    const home = join(dir, "a");
    const m = await initFullNode({ ...base, home });
    const t = config(home);
    assert.equal(getTomlString(t, "p2p", "laddr"), "tcp://0.0.0.0:26756");
    assert.equal(m.ports.p2p, 26756);
    assert.equal(getTomlString(t, "p2p", "external_address"), "");
    assert.equal(getTomlString(t, "p2p", "seeds"), "");
    assert.equal(getTomlString(t, "p2p", "persistent_peers"), base.peer);
    assert.equal(tomlRaw(t, "p2p", "addr_book_strict"), "true");
    assert.equal(tomlRaw(t, "p2p", "allow_duplicate_ip"), "false");
    assert.equal(tomlRaw(t, "rpc", "cors_allowed_origins"), "[]");
    assert.equal(getTomlString(t, "rpc", "laddr"), "tcp://127.0.0.1:26757");
    assert.equal(getTomlString(t, "", "moniker"), "n");
    assert.equal(tomlRaw(t, "rpc", "max_body_bytes"), "1463640", "room for a 1 MiB tx base64 in a JSON-RPC broadcast");
  });

  test("an installed home, whose node/ is the installer's Node.js runtime: the node goes to fullnode/, node/ untouched", async () => {
    const home = join(dir, "installed");
    mkdirSync(join(home, "node", "bin"), { recursive: true });
    writeFileSync(join(home, "node", "bin", "node"), "the private Node runtime");
    const m = await initFullNode({ ...base, home });
    assert.equal(fullNodeLayout(home).root, join(home, "fullnode"));
    assert.equal(JSON.parse(readFileSync(join(home, "fullnode", "node.json"), "utf8")).nodeId, m.nodeId);
    assert.deepEqual(readdirSync(join(home, "node")), ["bin"]);
    // A node an older release wrote to node/ is still found there.
    mkdirSync(join(dir, "legacy", "node"), { recursive: true });
    writeFileSync(join(dir, "legacy", "node", "node.json"), "{}");
    assert.equal(fullNodeLayout(join(dir, "legacy")).root, join(dir, "legacy", "node"));
  });

  test("node init --help names the directory it writes: <home>/fullnode", () => {
    const r = spawnSync(process.execPath, [new URL("../../bin/trustnet.js", import.meta.url).pathname, "node", "init", "--help"], { encoding: "utf8", env: { ...process.env, COLUMNS: "200" } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /under <home>\/fullnode/u);
    assert.doesNotMatch(r.stdout, /<home>\/node\b/u);
  });

  test("the operator's flags are written as given", async () => {
    const home = join(dir, "b");
    const m = await initFullNode({
      ...base, home, p2pLaddr: "tcp://[::]:30000", externalAddress: "node1.example.org:30000",
      seeds: `${ID2}@seed.example.org:26656`, persistentPeers: `${ID}@10.0.0.1:26656, ${ID2}@[2001:db8::2]:26656`,
    });
    const t = config(home);
    assert.equal(getTomlString(t, "p2p", "laddr"), "tcp://[::]:30000");
    assert.equal(m.ports.p2p, 30000);
    assert.equal(getTomlString(t, "p2p", "external_address"), "node1.example.org:30000");
    assert.equal(getTomlString(t, "p2p", "seeds"), `${ID2}@seed.example.org:26656`);
    assert.equal(getTomlString(t, "p2p", "persistent_peers"), `${ID}@10.0.0.1:26656,${ID2}@[2001:db8::2]:26656`);
  });

  test("bad values are usage errors naming the flag; nothing is written", async () => {
    const home = join(dir, "c");
    for (const [flag, bad] of [
      ["--p2p-laddr", { p2pLaddr: "0.0.0.0:26656" }], ["--p2p-laddr", { p2pLaddr: "tcp://0.0.0.0:70000" }],
      ["--external-address", { externalAddress: "tcp://1.2.3.4:26656" }], ["--external-address", { externalAddress: "1.2.3.4" }], ["--external-address", { externalAddress: "h:0" }],
      ["--seeds", { seeds: `${ID}@h` }], ["--seeds", { seeds: `${ID}@h:1,,` }], ["--persistent-peers", { persistentPeers: "h:26656" }], ["--persistent-peers", { persistentPeers: `${ID}@[zz::1]:1` }],
    ] as const) {
      await assert.rejects(initFullNode({ ...base, home, ...bad }), (e: unknown) => e instanceof UsageError && e.message.startsWith(`${flag}:`), JSON.stringify(bad));
    }
    assert.equal(existsSync(fullNodeLayout(home).root), false);
  });
});
