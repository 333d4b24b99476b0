import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cometAbciDelta, formatCometAbci, parsePromText, phaseDelta } from "./app-phases.ts";
import { percentile } from "./chain-load.ts";
import { spawn } from "node:child_process";
import { cpuDelta, formatCpuPerTx, processCpu } from "./proc-cpu.ts";
import { selfTimes } from "./cpuprofile.ts";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fundSimdGenesis, goCommand, simdGoMod } from "./simd.ts";

describe("bench helpers", () => {
  test("processCpu counts the CPU of the processes whose command line holds the marker, by role; cpuDelta and formatCpuPerTx", async () => {
    const marker = `proc-cpu-spec-${process.pid}-${Date.now()}`;
    // A child that burns 300 ms of user CPU, then waits to be killed.
    const child = spawn(process.execPath, ["-e", "while (process.cpuUsage().user < 300000); setInterval(() => {}, 1000);", marker], { stdio: "ignore" });
    try {
      const before = { burner: 0 };
      let seen = 0;
      for (let i = 0; i < 50 && seen < 0.2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = processCpu(marker, () => "burner").burner ?? 0;
      }
      assert.ok(seen >= 0.2, `the child's CPU is counted (${seen} s)`);
      assert.deepEqual(processCpu(`${marker}-nobody`, () => "x"), {}, "no process holds another marker");
      const d = cpuDelta(before, { burner: seen, late: 0.5 });
      assert.deepEqual(d, { burner: seen, late: 0.5 });
      assert.equal(formatCpuPerTx({ app: 1, cometbft: 0.5, idle: 0 }, 1000), "app 1.00 + cometbft 0.50 = 1.50 ms of CPU per tx");
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("percentile is nearest-rank and 0 on no data", () => {
    assert.equal(percentile([], 50), 0);
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99), 99);
    assert.equal(percentile([7], 99), 7);
  });

  test("phaseDelta turns two /metrics scrapes into per-call and per-tx times", () => {
    const scrape = (check: number, fin: number, txs: number, stage: number): Map<string, number> => parsePromText([
      "# HELP x", `trustnet_abci_method_duration_seconds_sum{method="checkTx"} ${check}`, `trustnet_abci_method_duration_seconds_count{method="checkTx"} ${txs}`,
      `trustnet_abci_method_duration_seconds_sum{method="finalizeBlock"} ${fin}`, `trustnet_abci_method_duration_seconds_count{method="finalizeBlock"} ${txs / 100}`,
      `trustnet_abci_method_duration_seconds_sum{method="commit"} ${fin / 10}`, `trustnet_abci_method_duration_seconds_count{method="commit"} ${txs / 100}`,
      `trustnet_store_duration_seconds_sum{op="stage"} ${stage}`, `trustnet_store_duration_seconds_count{op="stage"} ${txs / 100}`,
      `trustnet_txs_total{code="0"} ${txs - 10}`, `trustnet_txs_total{code="5"} 10`, "process_resident_memory_bytes 104857600", "",
    ].join("\n"));
    const p = phaseDelta(scrape(1, 2, 1000, 0.5), scrape(3, 6, 3000, 1.5));
    assert.equal(p.txs, 2000);
    assert.equal(p.blocks, 20);
    assert.equal(p.checkTxMs, 1); // 2 s over 2000 calls
    assert.equal(p.finalizePerTxMs, 2); // 4 s over 2000 txs
    assert.equal(p.finalizeBlockMs, 200);
    assert.equal(p.appHashMs, 50);
    assert.ok(Number.isNaN(p.storeCommitMs)); // not exposed by this app: n/a, not 0
    assert.equal(p.rssMb, 100);
  });

  test("cometAbciDelta: CometBFT's ABCI timing per method between two scrapes, summed over its type label", () => {
    const m = (s: number, n: number, fs: number, fn: number): Map<string, number> => parsePromText([
      `cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="check_tx",type="async"} ${s}`,
      `cometbft_abci_connection_method_timing_seconds_count{chain_id="c",method="check_tx",type="async"} ${n}`,
      `cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="check_tx",type="sync"} ${s / 2}`,
      `cometbft_abci_connection_method_timing_seconds_count{chain_id="c",method="check_tx",type="sync"} ${n / 2}`,
      `cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="finalize_block",type="sync"} ${fs}`,
      `cometbft_abci_connection_method_timing_seconds_count{chain_id="c",method="finalize_block",type="sync"} ${fn}`,
      `cometbft_abci_connection_method_timing_seconds_bucket{chain_id="c",method="check_tx",type="sync",le="0.001"} ${n}`,
      `cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="info",type="sync"} 1`,
      `cometbft_abci_connection_method_timing_seconds_count{chain_id="c",method="info",type="sync"} 1`,
    ].join("\n"));
    const d = cometAbciDelta(m(1, 1000, 1, 10), m(1.6, 2000, 3, 20));
    assert.deepEqual([...d.keys()], ["check_tx", "finalize_block"]); // info did not move: left out
    assert.ok(Math.abs(d.get("check_tx")!.ms - 0.6) < 1e-9); // (0.6 + 0.3) s over 1,500 calls
    assert.equal(d.get("check_tx")!.calls, 1500);
    assert.equal(d.get("finalize_block")!.ms, 200);
    assert.equal(formatCometAbci(d).split("\n")[1], "  finalize_block     200.000 ms/call (10 calls, 2.0 s)");
  });

  test("the simd build module requires the pinned SDK and ibc-go and holds only module directives", () => {
    const mod = simdGoMod();
    assert.match(mod, /github\.com\/cosmos\/cosmos-sdk v0\.50\.15/);
    assert.match(mod, /github\.com\/cosmos\/ibc-go\/v8 v8\.8\.0/);
    assert.match(mod, /github\.com\/99designs\/keyring => github\.com\/cosmos\/keyring v1\.2\.0/);
    assert.doesNotMatch(mod, /=> \.\.?\//); // no relative replace
    assert.doesNotMatch(mod, /func |package /);
  });

  test("goCommand: go on PATH first, else the toolchain the test prerequisites installed; none is a clear error", () => {
    const root = mkdtempSync(join(tmpdir(), "trustnet-gocmd-"));
    try {
      const onPath = join(root, "path-bin");
      const testBin = join(root, "test-bin");
      const empty = join(root, "empty");
      for (const d of [onPath, testBin, empty]) mkdirSync(d);
      for (const d of [onPath, testBin]) {
        writeFileSync(join(d, "go"), "#!/bin/sh\n");
        chmodSync(join(d, "go"), 0o755);
      }
      assert.equal(goCommand({ PATH: `${empty}:${onPath}`, TRUSTNET_TEST_BIN: testBin }), join(onPath, "go"));
      assert.equal(goCommand({ PATH: empty, TRUSTNET_TEST_BIN: testBin }), join(testBin, "go"));
      const defaultBin = join(root, ".cache", "trustnet-test", "bin");
      mkdirSync(defaultBin, { recursive: true });
      writeFileSync(join(defaultBin, "go"), "#!/bin/sh\n");
      chmodSync(join(defaultBin, "go"), 0o755);
      assert.equal(goCommand({ PATH: empty, HOME: root }), join(defaultBin, "go"), "TRUSTNET_TEST_BIN's default");
      assert.throws(() => goCommand({ PATH: empty, TRUSTNET_TEST_BIN: empty }), /building simd needs Go >= 1\.22: no go on PATH or in .*empty; run `sh scripts\/prereqs\.sh --only 10-cometbft`/);
      chmodSync(join(testBin, "go"), 0o644);
      assert.throws(() => goCommand({ PATH: empty, TRUSTNET_TEST_BIN: testBin }), /no go on PATH/, "a file that cannot run is not a go");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("fundSimdGenesis numbers new accounts after the existing ones and keeps a non-empty supply consistent", () => {
    const g = { app_state: { auth: { accounts: [{ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: "cosmos1val", pub_key: null, account_number: "0", sequence: "0" }] }, bank: { balances: [], supply: [{ denom: "stake", amount: "10" }] } } };
    const out = fundSimdGenesis(g, ["cosmos1a", "cosmos1b"], "stake", 5n);
    assert.deepEqual(out.app_state.auth.accounts.map((a) => [a.address, a.account_number]), [["cosmos1val", "0"], ["cosmos1a", "1"], ["cosmos1b", "2"]]);
    assert.deepEqual(out.app_state.bank.supply, [{ denom: "stake", amount: "20" }]);
    assert.throws(() => fundSimdGenesis(out, ["cosmos1a"], "stake", 1n), /already has cosmos1a/);
  });

  test("selfTimes sums self time per function from samples and leaves idle out of the busy share", () => {
    const frame = (functionName: string, url = "file:///x/abci-app/src/a.ts") => ({ functionName, url, lineNumber: 0 });
    const p = { startTime: 0, endTime: 4000, nodes: [{ id: 1, callFrame: frame("(idle)", "") }, { id: 2, callFrame: frame("hot") }, { id: 3, callFrame: frame("cold") }],
      samples: [2, 2, 3, 1], timeDeltas: [1000, 1000, 1000, 1000] };
    const r = selfTimes(p);
    assert.equal(r.totalMs, 4);
    assert.equal(r.busyMs, 3);
    assert.equal(r.top[0]!.name, "hot abci-app/src/a.ts:1");
    assert.ok(Math.abs(r.top[0]!.share - 2 / 3) < 1e-9);
  });
});
