// A chain home records the state format of the build that made it, and a home of another format (or of none: made
// before the marker existed) is refused by everything that would start it, with the reset command and what it
// deletes, and without changing a byte of the home.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { STATE_FORMAT_VERSION } from "@trustnet/abci-app";
import { CliError } from "./errors.ts";
import { findCometbft } from "./devnet/cometbft-bin.ts";
import { devnetStartForeground, devnetUp } from "./devnet/control.ts";
import { generateDevnet, readManifest } from "./devnet/generate.ts";
import { runSupervisor } from "./devnet/supervisor.ts";
import { fullNodeLayout, initFullNode, readFullNode } from "./fullnode/init.ts";
import { runFullNode } from "./fullnode/run.ts";
import { assertDevnetStateFormat, assertFullNodeStateFormat, INCOMPATIBLE_HOME_EXIT } from "./state-format.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-state-format-spec-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir` with its bytes: what "nothing was changed" compares. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        out.set(`${relative(dir, p)}/`, "");
        walk(p);
      } else out.set(relative(dir, p), readFileSync(p, "base64"));
    }
  };
  walk(dir);
  return out;
}

const refusedDevnet = (home: string, found: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof CliError, `a CliError, got ${String(e)}`);
  assert.equal(e.exitCode, INCOMPATIBLE_HOME_EXIT);
  assert.match(e.message, new RegExp(`the devnet in ${join(home, "devnet")} was made by an incompatible TrustNet version`));
  assert.match(e.message, found);
  assert.match(e.message, new RegExp(`runs state format ${STATE_FORMAT_VERSION} and has no state migrations.*Nothing was started or changed`));
  const hint = e.hint ?? "";
  assert.ok(hint.includes(`trustnet devnet reset --home "${home}" --yes && trustnet devnet up --home "${home}"`), hint);
  assert.match(hint, /deletes .*blocks and state \(balances, delegations, leases, registry records\).*validator, faucet and registry-operator keys/);
  assert.ok(hint.includes(`keystore (${join(home, "keys")})`), hint);
  return true;
};

// A real devnet (real `cometbft init`), with a keystore file beside it.
const made = join(root, "made");
before(async () => {
  await generateDevnet({ home: made, validators: 1, cometbft: findCometbft(made) });
  mkdirSync(join(made, "keys"), { recursive: true });
  writeFileSync(join(made, "keys", "alice.json"), `{"type":"trustnet-keystore"}`);
});

describe("the devnet's state-format marker", () => {

  test("devnet generate records this build's state format, and such a home passes the check", async () => {
    const m = await readManifest(made);
    assert.equal(m?.stateFormat, STATE_FORMAT_VERSION);
    assert.doesNotThrow(() => assertDevnetStateFormat(made, join(made, "devnet"), m ?? {}));
  });

  /** A copy of the generated home whose devnet.json records `stateFormat` (or nothing, for undefined). */
  function homeWith(name: string, stateFormat: unknown): string {
    const h = join(root, name);
    cpSync(made, h, { recursive: true });
    const file = join(h, "devnet", "devnet.json");
    const m = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    if (stateFormat === undefined) delete m["stateFormat"];
    else m["stateFormat"] = stateFormat;
    writeFileSync(file, JSON.stringify(m, null, 2) + "\n");
    return h;
  }

  for (const [name, marker, found] of [
    ["an older", STATE_FORMAT_VERSION - 1, new RegExp(`\\(state format ${STATE_FORMAT_VERSION - 1}\\)`)],
    ["a missing", undefined, /\(none recorded: it was made by a TrustNet version older than the state-format marker\)/],
    ["a newer", STATE_FORMAT_VERSION + 1, new RegExp(`\\(state format ${STATE_FORMAT_VERSION + 1}\\)`)],
  ] as const) {
    test(`a home with ${name} marker is refused by devnet up, devnet start --foreground (whole or --node) and the supervisor; nothing is changed`, async () => {
      const h = homeWith(name.replace(/^an? /, ""), marker);
      const before = snapshot(h);
      const opts = { home: h, validators: 1, blockTime: "1s", transport: "grpc" as const, log: () => undefined };
      await assert.rejects(devnetUp({ ...opts, timeoutMs: 1000 }), refusedDevnet(h, found));
      await assert.rejects(devnetStartForeground(opts), refusedDevnet(h, found));
      await assert.rejects(devnetStartForeground({ ...opts, node: "0" }), refusedDevnet(h, found));
      await assert.rejects(runSupervisor(["--home", h]), refusedDevnet(h, found));
      assert.deepEqual(snapshot(h), before, "the home is unchanged");
      assert.equal(existsSync(join(h, "run")), false, "no run directory was made");
    });
  }
});

describe("the full node's state-format marker", () => {
  function nodeHome(name: string, stateFormat: number | undefined): string {
    const h = join(root, name);
    mkdirSync(fullNodeLayout(h).root, { recursive: true });
    const m = { chainId: "trustnet-local-1", moniker: "n", nodeId: "a", peer: "a@h:1", ports: { p2p: 1, rpc: 2, abci: 3 }, ...(stateFormat === undefined ? {} : { stateFormat }) };
    writeFileSync(fullNodeLayout(h).manifest, JSON.stringify(m));
    return h;
  }

  test("node init records this build's state format", async () => {
    const h = join(root, "node-new");
    const m = await initFullNode({
      home: h, cometbft: findCometbft(h), peer: `${"a".repeat(40)}@127.0.0.1:26656`, genesis: join(made, "devnet", "node0", "cometbft", "config", "genesis.json"),
      chainId: "trustnet-local-1", portOffset: 0, moniker: "n", blockTime: "1s",
    });
    assert.equal(m.stateFormat, STATE_FORMAT_VERSION);
    assert.equal((await readFullNode(h)).stateFormat, STATE_FORMAT_VERSION);
  });

  test("node start refuses a node of an older or no marker, naming what re-initialising drops; nothing is changed", async () => {
    for (const [h, found] of [[nodeHome("node-old", STATE_FORMAT_VERSION - 1), new RegExp(`state format ${STATE_FORMAT_VERSION - 1}\\b`)], [nodeHome("node-none", undefined), /none recorded/]] as const) {
      const before = snapshot(h);
      const manifest = await readFullNode(h);
      await assert.rejects(runFullNode({ home: h, cometbft: "/nonexistent/cometbft", manifest, appArgs: [], log: () => undefined }), (e: unknown) => {
        assert.ok(e instanceof CliError, String(e));
        assert.equal(e.exitCode, INCOMPATIBLE_HOME_EXIT);
        assert.match(e.message, new RegExp(`the node in ${fullNodeLayout(h).root} was made by an incompatible TrustNet version`));
        assert.match(e.message, found);
        assert.match(e.hint ?? "", /trustnet node init --home .*synced blocks and state and its node and consensus keys.*priv_validator_key\.json/);
        return true;
      });
      assert.deepEqual(snapshot(h), before, "the home is unchanged (no logs directory either)");
    }
    const ok = nodeHome("node-current", STATE_FORMAT_VERSION);
    assert.doesNotThrow(() => assertFullNodeStateFormat(ok, fullNodeLayout(ok).root, { stateFormat: STATE_FORMAT_VERSION }));
  });
});
