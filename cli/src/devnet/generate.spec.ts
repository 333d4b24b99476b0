import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { MAX_TX_BYTES, MAX_TX_JSON_BODY_BYTES } from "@trustnet/abci-app";
import { CliError, UsageError } from "../errors.ts";
import { assertNoDevnet, devnetNodeConfig, generateDevnet, validateRegistryEndpoint } from "./generate.ts";
import { renderCometConfig } from "./cometbft-config.ts";
import { persistentPeers, planNetwork } from "./network.ts";
import { getTomlString } from "./toml.ts";

// The keys `cometbft init` writes that the generator changes, in their sections (a trimmed config.toml).
const INIT_TOML = [
  `proxy_app = "tcp://127.0.0.1:26658"`, `moniker = "host"`, `abci = "socket"`,
  `[rpc]`, `laddr = "tcp://127.0.0.1:26657"`, `cors_allowed_origins = []`, `max_body_bytes = 1000000`,
  `[p2p]`, `laddr = "tcp://0.0.0.0:26656"`, `persistent_peers = ""`, `addr_book_strict = true`, `allow_duplicate_ip = false`,
  `[consensus]`, `timeout_commit = "1s"`, `[tx_index]`, `indexer = "kv"`,
  `[instrumentation]`, `prometheus = false`, `prometheus_listen_addr = ":26660"`, ``,
].join("\n");

const render = (i: number, plan: ReturnType<typeof planNetwork>, transport: "socket" | "grpc" = "socket"): string =>
  renderCometConfig(INIT_TOML, devnetNodeConfig(plan[i]!, persistentPeers(plan, plan.map((n) => `id${n.index}`), i), transport, "300ms"));

describe("node config.toml", () => {
  test("separate machines: P2P on the node's own address, contract ports, peers over the other addresses", () => {
    const plan = planNetwork({ validators: 3, p2pHosts: ["fd12:3456:789a::1", "fd12:3456:789a::3", "fd12:3456:789a::4"], rpcLaddr: "tcp://0.0.0.0:26657" });
    const t = render(1, plan);
    assert.equal(getTomlString(t, "p2p", "laddr"), "tcp://[fd12:3456:789a::3]:26656");
    assert.equal(getTomlString(t, "p2p", "persistent_peers"), "id0@[fd12:3456:789a::1]:26656,id2@[fd12:3456:789a::4]:26656");
    assert.equal(getTomlString(t, "rpc", "laddr"), "tcp://0.0.0.0:26657");
    assert.equal(getTomlString(t, "", "proxy_app"), "tcp://127.0.0.1:26658");
    assert.equal(getTomlString(t, "", "moniker"), "node1");
    assert.equal(getTomlString(t, "consensus", "timeout_commit"), "300ms");
    assert.match(t, /^addr_book_strict = false$/m);
    // A 1 MiB tx, base64 in a JSON-RPC broadcast, fits the RPC's body limit (CometBFT's 1,000,000 does not).
    assert.match(t, /^max_body_bytes = 1463640$/m);
    assert.ok(MAX_TX_JSON_BODY_BYTES >= Math.ceil(MAX_TX_BYTES / 3) * 4 + 1024);
  });

  test("one machine: loopback and ports + 10·i, as before", () => {
    const plan = planNetwork({ validators: 2, portOffset: 4000 });
    const t = render(1, plan, "grpc");
    assert.equal(getTomlString(t, "p2p", "laddr"), "tcp://127.0.0.1:30666");
    assert.equal(getTomlString(t, "rpc", "laddr"), "tcp://127.0.0.1:30667");
    assert.equal(getTomlString(t, "p2p", "persistent_peers"), "id0@127.0.0.1:30656");
    assert.equal(getTomlString(t, "", "proxy_app"), "127.0.0.1:30668"); // gRPC client: bare host:port
    assert.equal(getTomlString(t, "", "abci"), "grpc");
    // CometBFT's Prometheus metrics on, on loopback, one port per node.
    assert.equal(getTomlString(t, "instrumentation", "prometheus_listen_addr"), "127.0.0.1:30670");
    assert.match(t, /\[instrumentation\]\nprometheus = true/);
  });
});

test("validateRegistryEndpoint uses the chain's rule (http(s), ≤ 256 chars)", () => {
  assert.equal(validateRegistryEndpoint("http://[fd12::2]:8000"), "http://[fd12::2]:8000");
  for (const bad of ["ftp://x", "not a url", `http://x/${"a".repeat(250)}`]) {
    assert.throws(() => validateRegistryEndpoint(bad), (e: unknown) => e instanceof UsageError && /--registry-endpoint/.test(e.message));
  }
});

describe("generateDevnet refuses before writing anything", () => {
  const home = mkdtempSync(join(tmpdir(), "trustnet-gen-spec-"));
  after(() => rmSync(home, { recursive: true, force: true }));
  // No CometBFT is needed: these fail before it is run.
  const cometbft = "/nonexistent/cometbft";

  test("bad options leave no devnet directory", async () => {
    const h = join(home, "a");
    await assert.rejects(generateDevnet({ home: h, validators: 2, cometbft, p2pHosts: ["fd00::1", "fd00::1"] }), UsageError);
    await assert.rejects(generateDevnet({ home: h, validators: 1, cometbft, p2pHosts: ["fd00::1"], registryEndpoint: "x" }), UsageError);
    assert.equal(existsSync(h), false);
  });

  test("an existing devnet is left exactly as it was", async () => {
    const h = join(home, "b");
    mkdirSync(join(h, "devnet"), { recursive: true });
    writeFileSync(join(h, "devnet", "devnet.json"), "{}\n");
    await assert.rejects(generateDevnet({ home: h, validators: 1, cometbft, p2pHosts: ["10.0.0.1"] }), (e: unknown) => e instanceof CliError && /already exists/.test(e.message));
    assert.deepEqual(readdirSync(h), ["devnet"]);
    assert.deepEqual(readdirSync(join(h, "devnet")), ["devnet.json"]);
    assert.equal(readFileSync(join(h, "devnet", "devnet.json"), "utf8"), "{}\n");
  });
});

test("assertNoDevnet names a leftover directory without a manifest", () => {
  const h = mkdtempSync(join(tmpdir(), "trustnet-gen-spec-"));
  try {
    assert.doesNotThrow(() => assertNoDevnet(h));
    mkdirSync(join(h, "devnet"));
    assert.throws(() => assertNoDevnet(h), (e: unknown) => e instanceof CliError && /already exists \(without a devnet.json\); nothing was changed/.test(e.message));
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});
