// Four validators on loopback reach consensus and keep going with one of them stopped; the gRPC ABCI transport
// drives a devnet too. Real CometBFT, real app processes.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { type Devnet, height, rpc, sleep, startDevnet, supervisorState, waitForHeight } from "../helpers/devnet.ts";

describe("4-validator devnet", () => {
  let d: Devnet | undefined;
  after(async () => {
    await d?.destroy();
  });

  test("reaches consensus on loopback and keeps producing blocks with one validator stopped", async () => {
    d = await startDevnet({ validators: 4, portOffset: 4000, blockTime: "300ms" });
    const rpcs = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${30657 + 10 * i}`);
    assert.equal(d.rpc, rpcs[0]);
    await waitForHeight(d.rpc, 3, 90_000);
    const vals = await rpc<{ total: string }>(d.rpc, "validators");
    assert.equal(vals.total, "4");
    const st = await d.cliJson<{ nodes: { up: boolean; peers: number }[] }>(["devnet", "status"]);
    assert.equal(st.nodes.length, 4);
    for (const n of st.nodes) assert.equal(n.up, true);
    // All nodes agree on the same block.
    const h = await waitForHeight(rpcs[3]!, 3);
    const hashes = await Promise.all(rpcs.map(async (r) => (await rpc<{ block_id: { hash: string } }>(r, `block?height=${h}`)).block_id.hash));
    assert.equal(new Set(hashes).size, 1);

    // Stop validator 3 (SIGSTOP freezes both of its processes without the supervisor restarting them).
    const pair = supervisorState(d.home).pairs[3]!;
    process.kill(pair.cometPid!, "SIGSTOP");
    process.kill(pair.appPid!, "SIGSTOP");
    try {
      const stoppedAt = await height(d.rpc);
      await waitForHeight(d.rpc, stoppedAt + 5, 60_000);
      const commit = await rpc<{ signed_header: { commit: { signatures: { block_id_flag: number }[] } } }>(d.rpc, `commit?height=${stoppedAt + 4}`);
      const signed = commit.signed_header.commit.signatures.filter((s) => s.block_id_flag === 2).length;
      assert.equal(signed, 3, "3 of 4 validators (75% > 2/3) sign while one is stopped");
    } finally {
      process.kill(pair.appPid!, "SIGCONT");
      process.kill(pair.cometPid!, "SIGCONT");
    }
    // The stopped validator catches up.
    await waitForHeight(rpcs[3]!, (await height(d.rpc)) + 1, 60_000);
  });
});

describe("gRPC ABCI transport", () => {
  let d: Devnet | undefined;
  after(async () => {
    await d?.destroy();
  });

  test("a devnet with abci = grpc advances and executes a real transfer", async () => {
    d = await startDevnet({ transport: "grpc", portOffset: 5000 });
    const cfg = await import("node:fs").then((fs) => fs.readFileSync(`${d!.home}/devnet/node0/cometbft/config/config.toml`, "utf8"));
    assert.match(cfg, /^abci = "grpc"$/m);
    const h = await waitForHeight(d.rpc, 3);
    await d.cli(["devnet", "faucet", "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy", "3TRUST", "--node", d.rpc]);
    const bal = await d.cliJson<{ utrust: string }>(["balance", "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy", "--node", d.rpc]);
    assert.equal(bal.utrust, "3000000");
    await sleep(500);
    assert.ok((await height(d.rpc)) > h);
    assert.match(d.log("app-0.log"), /"transport":"grpc"/);
  });
});
