// Chain core acceptance, against the real CometBFT v0.38 binary and real app processes.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Comet38Client, connectComet } from "@cosmjs/tendermint-rpc";
import { devnetLayout } from "../../cli/src/devnet/layout.ts";
import { getTomlString } from "../../cli/src/devnet/toml.ts";
import { CLI, REPO, type Devnet, height, rpc, sleep, startDevnet, supervisorState, waitForHeight } from "../helpers/devnet.ts";

const FAST_RESTARTS = { TRUSTNET_SUPERVISOR_MIN_BACKOFF_MS: "200", TRUSTNET_SUPERVISOR_HEALTHY_MS: "1500" };

// What CometBFT says when the app's state diverges or is lost. ("CONSENSUS FAILURE!!! … connection reset by peer"
// is expected here: it is CometBFT noticing that its app was killed in the middle of a block.)
function assertNoAppHashFailure(d: Devnet): void {
  const log = d.log("cometbft-0.log");
  assert.doesNotMatch(log, /wrong Block\.Header\.AppHash/);
  assert.doesNotMatch(log, /does not match AppHash after replay/);
  assert.doesNotMatch(log, /app block height \d+ is higher than core/);
  assert.doesNotMatch(log, /Did you reset CometBFT without resetting your application/);
  assert.doesNotMatch(d.log("supervisor.log"), /app exited \(code 1\)/, "every app restart opened its state");
}

const blockAppHash = async (base: string, h: number): Promise<string> =>
  (await rpc<{ block: { header: { app_hash: string } } }>(base, `block?height=${h}`)).block.header.app_hash;

describe("single-node devnet on the contract ports", () => {
  let d: Devnet;
  before(async () => {
    d = await startDevnet({ env: FAST_RESTARTS });
  });
  after(async () => {
    await d?.destroy();
  });

  test("blocks advance; cosmjs connectComet reads status, block and validators and detects a 0.38 node", async () => {
    assert.equal(d.rpc, "http://127.0.0.1:26657");
    const h = await waitForHeight(d.rpc, 3);
    const client = await connectComet(d.rpc);
    try {
      assert.ok(client instanceof Comet38Client, "connectComet must pick the 0.38 client");
      const status = await client.status();
      assert.equal(status.nodeInfo.network, "trustnet-local-1");
      assert.match(status.nodeInfo.version, /^0\.38\./);
      assert.ok(status.syncInfo.latestBlockHeight >= h);
      const block = await client.block(h);
      assert.equal(block.block.header.height, h);
      assert.equal(block.block.header.chainId, "trustnet-local-1");
      const vals = await client.validators({ height: h });
      assert.equal(vals.total, 1);
      assert.equal(vals.validators[0]?.votingPower, 10n);
    } finally {
      client.disconnect();
    }
    const st = await d.cliJson<{ height: string; app_hash: string; peers: number; running: boolean }>(["devnet", "status"]);
    assert.equal(st.running, true);
    assert.ok(Number(st.height) >= h);
    assert.match(st.app_hash, /^[0-9A-F]{64}$/);
    assert.equal(st.peers, 0);
    // The default ABCI transport is gRPC (DEFAULT_ABCI_TRANSPORT) on the contract port, loopback only.
    const toml = readFileSync(join(devnetLayout(d.home).node(0).cometHome, "config", "config.toml"), "utf8");
    assert.equal(getTomlString(toml, "", "abci"), "grpc");
    assert.equal(getTomlString(toml, "", "proxy_app"), "127.0.0.1:26658");
    assert.equal((JSON.parse(readFileSync(devnetLayout(d.home).manifest, "utf8")) as { transport: string }).transport, "grpc");
  });

  test("stop and restart: height and app hash continue", async () => {
    const before = await waitForHeight(d.rpc, 4);
    const hashAtBefore = await blockAppHash(d.rpc, before);
    await d.down();
    const state = JSON.parse(readFileSync(join(d.home, "devnet", "devnet.json"), "utf8")) as object;
    assert.ok(state);
    assert.equal(existsSync(join(d.home, "run", "supervisor.pid")), false);
    await d.cli(["devnet", "up", "--timeout", "60"], { env: { ...process.env, ...FAST_RESTARTS } });
    const after = await waitForHeight(d.rpc, before + 3);
    assert.ok(after >= before + 3);
    assert.equal(await blockAppHash(d.rpc, before), hashAtBefore, "history is unchanged");
    assertNoAppHashFailure(d);
  });

  test("crash: kill -9 the app 10 times while blocks and txs are produced; the chain continues at the same app hash", async () => {
    const to = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";
    for (let i = 0; i < 10; i++) {
      const st = supervisorState(d.home);
      const pair = st.pairs[0];
      assert.ok(pair?.appPid, "app pid known");
      const restarts = pair.restarts;
      // A committed tx changes the state between crashes; then kill at a varying point of block production.
      await d.cli(["devnet", "faucet", to, `${i + 1}utrust`]);
      await sleep(37 * i);
      const h0 = await height(d.rpc);
      process.kill(pair.appPid, "SIGKILL");
      const end = Date.now() + 60_000;
      while (supervisorState(d.home).pairs[0]?.restarts === restarts || !supervisorState(d.home).pairs[0]?.cometPid) {
        assert.ok(Date.now() < end, "supervisor restarted the pair");
        await sleep(100);
      }
      await waitForHeight(d.rpc, h0 + 2, 60_000);
    }
    assertNoAppHashFailure(d);
    const sup = d.log("supervisor.log");
    assert.match(sup, /app exited \(signal SIGKILL\); stopping its partner and restarting the pair/);
    // Every committed send survived the crashes (1 + 2 + … + 10); the supply invariant ran in every block.
    const bal = await d.cliJson<{ utrust: string }>(["balance", to]);
    assert.equal(bal.utrust, "55");
    assert.ok(supervisorState(d.home).pairs[0]!.restarts >= 10);
  });

  test("kill -9 the supervisor: its children outlive it; the next devnet up stops them and the chain continues", async () => {
    const st = supervisorState(d.home);
    const pair = st.pairs[0]!;
    const h0 = await waitForHeight(d.rpc, (await height(d.rpc)) + 1);
    process.kill(st.supervisorPid, "SIGKILL");
    await sleep(500);
    assert.doesNotThrow(() => process.kill(pair.appPid!, 0), "the app runs on without its supervisor");
    assert.doesNotThrow(() => process.kill(pair.cometPid!, 0), "CometBFT runs on without its supervisor");
    const { stdout, stderr } = await d.cli(["devnet", "up", "--timeout", "60"], { env: { ...process.env, ...FAST_RESTARTS } });
    assert.match(stdout + stderr, /stopping app-0 \(pid \d+\), cometbft-0 \(pid \d+\).*left running by a supervisor \(pid \d+\) that was killed/);
    assert.throws(() => process.kill(pair.appPid!, 0), "the old app was stopped");
    assert.throws(() => process.kill(pair.cometPid!, 0), "the old CometBFT was stopped");
    assert.notEqual(supervisorState(d.home).supervisorPid, st.supervisorPid);
    await waitForHeight(d.rpc, h0 + 2, 60_000);
    assertNoAppHashFailure(d);
  });

  test("a second devnet up reports the running one; ports in use are named with their process", async () => {
    const again = await d.cliJson<{ already_running: boolean }>(["devnet", "up"]);
    assert.equal(again.already_running, true);
    const other = mkdtempSync(join(tmpdir(), "trustnet-other-"));
    const r = spawnSync(process.execPath, [CLI, "devnet", "up", "--home", other], { encoding: "utf8" });
    assert.equal(r.status, 1);
    // CometBFT holds P2P and RPC: one clause for both (describePortsInUse), with its command line.
    assert.match(r.stderr, /ports 26656, 26657(, \d+)* are already in use by pid \d+ \(.*cometbft/);
    assert.equal(existsSync(join(other, "devnet")), false, "nothing generated");
  });
});

describe("devnet bad input", () => {
  test("a missing cometbft binary gets a hint to run the installer, and nothing is created", () => {
    const home = mkdtempSync(join(tmpdir(), "trustnet-nocomet-"));
    const path = (process.env.PATH ?? "").split(":").filter((p) => !existsSync(join(p, "cometbft"))).join(":");
    const r = spawnSync(process.execPath, [CLI, "devnet", "up", "--home", home, "--port-offset", "3000"], { encoding: "utf8", env: { ...process.env, PATH: path } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cometbft v0\.38\.25 is not installed/);
    assert.match(r.stderr, /hint: run \.\/install\.sh/);
    assert.equal(existsSync(join(home, "devnet")), false);
  });

  test("a port taken by another process is named, with that process", async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(29657, "127.0.0.1", () => r()));
    try {
      const home = mkdtempSync(join(tmpdir(), "trustnet-port-"));
      const r = spawnSync(process.execPath, [CLI, "devnet", "up", "--home", home, "--port-offset", "3000"], { encoding: "utf8" });
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`port 29657 is already in use by pid ${process.pid}`));
      assert.equal(existsSync(join(home, "devnet")), false);
    } finally {
      srv.close();
    }
  });

  test("--validators out of range is refused", () => {
    const home = mkdtempSync(join(tmpdir(), "trustnet-val-"));
    for (const v of ["0", "17", "2.5", "-1"]) {
      const r = spawnSync(process.execPath, [CLI, "devnet", "up", "--validators", v, "--home", home], { encoding: "utf8" });
      assert.notEqual(r.status, 0, v);
      assert.match(r.stderr, /--validators must be a whole number from 1 to 16/);
    }
  });

  test("the app refuses a corrupted or foreign state database and leaves it untouched", () => {
    for (const content of [Buffer.from("this is not a database, just some bytes".repeat(100)), readFileSync(join(REPO, "package-lock.json"))]) {
      const home = mkdtempSync(join(tmpdir(), "trustnet-db-"));
      mkdirSync(join(home, "data"));
      const db = join(home, "data", "state.db");
      writeFileSync(db, content);
      const r = spawnSync(process.execPath, [join(REPO, "abci-app/src/main.ts"), "--home", home, "--address", "tcp://127.0.0.1:0"], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /trustnet-app: .*(not a TrustNet state database|corrupt|not a database)/i);
      assert.deepEqual(readFileSync(db), content);
    }
    // A foreign SQLite database (valid SQLite, someone else's schema).
    const home = mkdtempSync(join(tmpdir(), "trustnet-db-"));
    mkdirSync(join(home, "data"));
    const db = join(home, "data", "state.db");
    execFileSync(process.execPath, ["-e", `const {DatabaseSync}=require("node:sqlite");const d=new DatabaseSync(${JSON.stringify(db)});d.exec("create table t(x)");d.close()`]);
    const before = readFileSync(db);
    const r = spawnSync(process.execPath, [join(REPO, "abci-app/src/main.ts"), "--home", home, "--address", "tcp://127.0.0.1:0"], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /trustnet-app: /);
    assert.deepEqual(readFileSync(db), before);
  });
});
