import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UsageError } from "../errors.ts";
import type { DevnetManifest } from "./layout.ts";
import { canonicalIp, hostPort, isMultiHost, parseP2pHosts, parseTcpLaddr, persistentPeers, planNetwork, statusRpcUrl } from "./network.ts";

const usage = (re: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && re.test(err.message);

describe("--p2p-hosts", () => {
  test("IPv4 and IPv6 literals, canonicalised, in order", () => {
    assert.deepEqual(parseP2pHosts("fd12:3456:789a::1, FD12:3456:789A:0:0:0:0:3 ,10.0.0.7"), ["fd12:3456:789a::1", "fd12:3456:789a::3", "10.0.0.7"]);
    assert.equal(canonicalIp("::ffff:1.2.3.4"), "::ffff:102:304");
  });

  test("refuses anything that is not one usable address per entry", () => {
    assert.throws(() => parseP2pHosts(""), usage(/entry 0 is empty/));
    assert.throws(() => parseP2pHosts("fd00::1,,fd00::2"), usage(/entry 1 is empty/));
    assert.throws(() => parseP2pHosts("[fd00::1]"), usage(/not an IPv4 or IPv6 address/));
    assert.throws(() => parseP2pHosts("node1.example"), usage(/"node1.example" is not an IPv4/));
    assert.throws(() => parseP2pHosts("10.0.0.256"), usage(/not an IPv4/));
    assert.throws(() => parseP2pHosts("010.0.0.1"), usage(/not an IPv4/));
    assert.throws(() => parseP2pHosts("fe80::1%eth0"), usage(/not an IPv4/));
    assert.throws(() => parseP2pHosts("fd00::1:26656x"), usage(/not an IPv4/));
    assert.throws(() => parseP2pHosts("0.0.0.0"), usage(/unspecified address/));
    assert.throws(() => parseP2pHosts("fd00::1,::"), usage(/unspecified address/));
  });

  test("refuses duplicates, also when written differently", () => {
    assert.throws(() => parseP2pHosts("10.0.0.1,10.0.0.2,10.0.0.1"), usage(/"10.0.0.1" is given twice \(entries 0 and 2\)/));
    assert.throws(() => parseP2pHosts("fd00::1,fd00:0:0::1"), usage(/given twice/));
  });
});

describe("listen addresses", () => {
  test("hostPort brackets IPv6 only", () => {
    assert.equal(hostPort("fd00::1", 26656), "[fd00::1]:26656");
    assert.equal(hostPort("10.0.0.1", 26656), "10.0.0.1:26656");
  });

  test("parseTcpLaddr takes tcp://IPv4:PORT and tcp://[IPv6]:PORT", () => {
    assert.deepEqual(parseTcpLaddr("--rpc-laddr", "tcp://0.0.0.0:26657"), { host: "0.0.0.0", port: 26657 });
    assert.deepEqual(parseTcpLaddr("--rpc-laddr", "tcp://[FD00:0::1]:1"), { host: "fd00::1", port: 1 });
    for (const bad of ["0.0.0.0:26657", "tcp://localhost:26657", "tcp://fd00::1:26657", "tcp://[10.0.0.1]:1", "tcp://0.0.0.0:0", "tcp://0.0.0.0:65536", "unix:///tmp/s", "tcp://0.0.0.0"]) {
      assert.throws(() => parseTcpLaddr("--rpc-laddr", bad), usage(/--rpc-laddr: .* is not a listen address/), bad);
    }
  });
});

describe("planNetwork", () => {
  test("one machine: loopback, each port + 10·i + offset (today's devnet)", () => {
    const plan = planNetwork({ validators: 3, portOffset: 1000 });
    assert.deepEqual(plan.map((n) => n.ports), [
      { p2p: 27656, rpc: 27657, abci: 27658, rest: 2317, metrics: 27660 },
      { p2p: 27666, rpc: 27667, abci: 27668, rest: 2327, metrics: 27670 },
      { p2p: 27676, rpc: 27677, abci: 27678, rest: 2337, metrics: 27680 },
    ]);
    assert.deepEqual(plan[1], {
      index: 1, ports: plan[1]!.ports, p2pLaddr: "tcp://127.0.0.1:27666", rpcLaddr: "tcp://127.0.0.1:27667", p2pAddress: "127.0.0.1:27666",
    });
    assert.equal(persistentPeers(plan, ["a", "b", "c"], 1), "a@127.0.0.1:27656,c@127.0.0.1:27676");
  });

  test("separate machines: node i on Hi, contract ports everywhere, peers at Hj:26656", () => {
    const plan = planNetwork({ validators: 3, p2pHosts: ["fd12:3456:789a::1", "fd12:3456:789a::3", "192.168.7.9"] });
    for (const n of plan) assert.deepEqual(n.ports, { p2p: 26656, rpc: 26657, abci: 26658, rest: 1317, metrics: 26660 });
    assert.deepEqual(plan.map((n) => n.p2pLaddr), ["tcp://[fd12:3456:789a::1]:26656", "tcp://[fd12:3456:789a::3]:26656", "tcp://192.168.7.9:26656"]);
    assert.deepEqual(plan.map((n) => n.rpcLaddr), Array(3).fill("tcp://127.0.0.1:26657"));
    assert.deepEqual(plan.map((n) => n.p2pHost), ["fd12:3456:789a::1", "fd12:3456:789a::3", "192.168.7.9"]);
    const ids = ["id0", "id1", "id2"];
    assert.equal(persistentPeers(plan, ids, 0), "id1@[fd12:3456:789a::3]:26656,id2@192.168.7.9:26656");
    assert.equal(persistentPeers(plan, ids, 2), "id0@[fd12:3456:789a::1]:26656,id1@[fd12:3456:789a::3]:26656");
    assert.equal(persistentPeers(planNetwork({ validators: 1, p2pHosts: ["fd00::1"] }), ["x"], 0), "");
  });

  test("separate machines: the given RPC listen address (wildcard or loopback), its port recorded", () => {
    const plan = planNetwork({ validators: 2, p2pHosts: ["fd00::1", "fd00::3"], rpcLaddr: "tcp://[::]:36657" });
    assert.deepEqual(plan.map((n) => n.rpcLaddr), ["tcp://[::]:36657", "tcp://[::]:36657"]);
    assert.equal(plan[0]?.ports.rpc, 36657);
    assert.equal(planNetwork({ validators: 1, p2pHosts: ["fd00::1"], rpcLaddr: "tcp://0.0.0.0:26657" })[0]?.rpcLaddr, "tcp://0.0.0.0:26657");
  });

  test("validates hard", () => {
    assert.throws(() => planNetwork({ validators: 2, p2pHosts: ["fd00::1"] }), usage(/--validators is 2 but --p2p-hosts lists 1 address/));
    assert.throws(() => planNetwork({ validators: 1, p2pHosts: ["fd00::1", "fd00::2"] }), usage(/--validators is 1 but --p2p-hosts lists 2/));
    assert.throws(() => planNetwork({ validators: 2, p2pHosts: ["fd00::1", "fd00::01"] }), usage(/given twice/));
    assert.throws(() => planNetwork({ validators: 2, p2pHosts: ["fd00::1", "fd00::2"], portOffset: 10 }), usage(/--port-offset cannot be combined/));
    assert.throws(() => planNetwork({ validators: 1, p2pHosts: ["fd00::1"], rpcLaddr: "tcp://[fd00::1]:26657" }), usage(/names one machine's address/));
    assert.throws(() => planNetwork({ validators: 1, p2pHosts: ["fd00::1"], rpcLaddr: "tcp://0.0.0.0:26656" }), usage(/port 26656 is already used/));
    assert.throws(() => planNetwork({ validators: 1, rpcLaddr: "tcp://0.0.0.0:26657" }), usage(/--rpc-laddr applies to devnets on separate machines/));
    for (const v of [0, 17, 1.5, Number.NaN]) assert.throws(() => planNetwork({ validators: v }), usage(/--validators must be a whole number from 1 to 16/));
    assert.throws(() => planNetwork({ validators: 1, portOffset: -1 }), usage(/--port-offset must be/));
    assert.throws(() => planNetwork({ validators: 16, portOffset: 65535 - 26810 + 1 }), usage(/--port-offset must be a whole number from 0 to 38725/));
  });
});

describe("devnet status addresses", () => {
  const ports = { p2p: 26656, rpc: 26657, abci: 26658, rest: 1317 };
  const base = { chainId: "c", blockTime: "1s", transport: "socket", faucetAddress: "f" } as const;
  const hosts = (rpcLaddr: string): DevnetManifest => ({
    ...base, validators: 2, rpcLaddr, nodes: [{ index: 0, nodeId: "a", ports, p2pHost: "fd00::1" }, { index: 1, nodeId: "b", ports, p2pHost: "10.0.0.3" }],
  });

  test("one machine: every node at 127.0.0.1 and its own port", () => {
    const m: DevnetManifest = { ...base, validators: 2, nodes: [{ index: 0, nodeId: "a", ports }, { index: 1, nodeId: "b", ports: { ...ports, rpc: 26667 } }] };
    assert.equal(isMultiHost(m), false);
    assert.equal(statusRpcUrl(m, 1, false), "http://127.0.0.1:26667");
    assert.equal(statusRpcUrl(m, 2, false), undefined);
  });

  test("separate machines, RPC on every interface: the local node on loopback, the others at their address", () => {
    const m = hosts("tcp://0.0.0.0:26657");
    assert.equal(isMultiHost(m), true);
    assert.equal(statusRpcUrl(m, 0, true), "http://127.0.0.1:26657");
    assert.equal(statusRpcUrl(m, 0, false), "http://[fd00::1]:26657");
    assert.equal(statusRpcUrl(m, 1, false), "http://10.0.0.3:26657");
    assert.equal(statusRpcUrl(hosts("tcp://[::]:26657"), 0, true), "http://[::1]:26657");
  });

  test("separate machines, RPC on loopback: only the local node can be asked", () => {
    const m = hosts("tcp://127.0.0.1:26657");
    assert.equal(statusRpcUrl(m, 1, true), "http://127.0.0.1:26657");
    assert.equal(statusRpcUrl(m, 1, false), undefined);
  });

  test("the local node's config.toml wins over the manifest (start --rpc-laddr); garbage falls back", () => {
    const m = hosts("tcp://127.0.0.1:26657");
    assert.equal(statusRpcUrl(m, 0, true, "tcp://[fd00::1]:27000"), "http://[fd00::1]:27000");
    assert.equal(statusRpcUrl(m, 0, true, "unix:///run/rpc.sock"), "http://127.0.0.1:26657");
  });
});
