import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bip39, Random } from "@cosmjs/crypto";
import type { Logger } from "pino";
import { jsonLogger } from "@trustnet/abci-app";
import { StartupError } from "./errors.ts";
import { snapshotDir } from "./testkit.ts";
import { assertWritableDir, listenError, parseNodeUrl, resolveConfig, startRegistryProcess, stopOnSignals, type ServeOptions } from "./serve.ts";

const isRoot = process.getuid?.() === 0;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "tn-serve-spec-"));
}

function memoryLogger(): { logger: Logger; lines: () => { level: string; msg: string; [k: string]: unknown }[] } {
  const raw: string[] = [];
  const logger = jsonLogger({ level: "debug" }, { write: (l: string) => void raw.push(l) });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as { level: string; msg: string }) };
}

function listen(server: Server | HttpServer, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

async function waitFor(cond: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function deadPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s, "127.0.0.1");
  await new Promise((r) => s.close(r));
  return port;
}

async function writeKey(file: string, mode = 0o600): Promise<void> {
  await writeFile(file, JSON.stringify({ mnemonic: Bip39.encode(Random.getBytes(16)).toString() }), { mode });
  await chmod(file, mode);
}

test("--node: http(s) and CometBFT's tcp:// spelling, IPv6 in brackets", () => {
  assert.equal(parseNodeUrl("http://127.0.0.1:26657"), "http://127.0.0.1:26657");
  assert.equal(parseNodeUrl("http://[fd12:3456:789a::1]:26657"), "http://[fd12:3456:789a::1]:26657");
  assert.equal(parseNodeUrl("http://[::1]:26657/"), "http://[::1]:26657");
  assert.equal(parseNodeUrl("tcp://127.0.0.1:26657"), "http://127.0.0.1:26657");
  assert.equal(parseNodeUrl("tcp://[fd00::1]:26657"), "http://[fd00::1]:26657");
  assert.equal(parseNodeUrl("https://rpc.example.org"), "https://rpc.example.org");
  assert.equal(parseNodeUrl("https://rpc.example.org/cometbft/"), "https://rpc.example.org/cometbft/");
  assert.equal(parseNodeUrl("http://localhost:26657"), "http://localhost:26657");
});

test("--node that is not a URL is a usage error that says why", () => {
  const bad: [string, RegExp][] = [
    ["127.0.0.1:26657", /no scheme \(did you mean http:\/\/127\.0\.0\.1:26657\?\)/],
    ["[::1]:26657", /no scheme/],
    ["localhost:26657", /no scheme/],
    ["not a url", /is not a URL/],
    ["", /is not a URL/],
    ["ftp://127.0.0.1:26657", /scheme ftp:/],
    ["unix:///run/comet.sock", /scheme unix:/],
    ["http://user:pw@127.0.0.1:26657", /credentials/],
    ["http://127.0.0.1:26657/?x=1", /query/],
    ["http://[fd12::zz]:26657", /is not a URL/],
  ];
  for (const [s, re] of bad) {
    assert.throws(() => parseNodeUrl(s), (e: Error) => e instanceof StartupError && e.usage && re.test(e.message), s);
  }
});

test("config: defaults < defaultDataDir < config file < flags", async () => {
  const dir = await tempDir();
  try {
    const env = { TRUSTNET_HOME: "/tmp/tn-env-home" };
    assert.equal((await resolveConfig({}, env)).dataDir, "/tmp/tn-env-home/registry");
    assert.equal((await resolveConfig({ defaultDataDir: join(dir, "home", "registry") }, env)).dataDir, join(dir, "home", "registry"));
    const file = join(dir, "registry.json");
    await writeFile(file, JSON.stringify({ dataDir: join(dir, "from-file"), host: "::", port: 9000, logLevel: "warn" }));
    const fromFile = await resolveConfig({ defaultDataDir: join(dir, "home", "registry"), configFile: file }, env);
    assert.deepEqual([fromFile.dataDir, fromFile.host, fromFile.port, fromFile.logLevel], [join(dir, "from-file"), "::", 9000, "warn"]);
    const flags = await resolveConfig({ defaultDataDir: join(dir, "x"), configFile: file, dataDir: "rel/data", listen: "[fd12::2]:8001" }, env);
    assert.deepEqual([flags.dataDir, flags.host, flags.port, flags.logLevel], [join(process.cwd(), "rel/data"), "fd12::2", 8001, "warn"]);
    await writeFile(file, JSON.stringify({ nope: 1 }));
    await assert.rejects(resolveConfig({ configFile: file }, env), (e: Error) => e instanceof StartupError && e.usage && /unknown registry config key "nope"/.test(e.message));
    await assert.rejects(resolveConfig({ configFile: join(dir, "missing.json") }, env), (e: Error) => e instanceof StartupError && /cannot read registry config/.test(e.message));
    await assert.rejects(resolveConfig({ listen: "::1:8000" }, env), (e: Error) => e instanceof StartupError && e.usage && /in brackets/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("data directory: writable or creatable, checked without leaving anything behind", async () => {
  const dir = await tempDir();
  try {
    await mkdir(join(dir, "data"));
    await chmod(join(dir, "data"), 0o755); // not what the umask left: the snapshot below names the mode
    await assertWritableDir(join(dir, "data"));
    await assertWritableDir(join(dir, "new", "nested", "data"));
    assert.deepEqual(await snapshotDir(dir), ["data d 755"]);
    await writeFile(join(dir, "file"), "x");
    await assert.rejects(assertWritableDir(join(dir, "file")), /data directory .*file is not writable: it is not a directory/);
    await assert.rejects(assertWritableDir(join(dir, "file", "sub")), /not writable: a component of the path is not a directory \(ENOTDIR\)/);
    if (process.platform === "linux") await assert.rejects(assertWritableDir("/sys/trustnet-registry-data"), (e: Error) => e instanceof StartupError && /not writable: cannot create it in \/sys/.test(e.message));
    if (!isRoot) {
      await chmod(join(dir, "data"), 0o500);
      await assert.rejects(assertWritableDir(join(dir, "data")), /not writable: permission denied \(EACCES\)/);
      await assert.rejects(assertWritableDir(join(dir, "data", "sub")), /cannot create it in .*data: permission denied/);
      await chmod(join(dir, "data"), 0o755);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("listen failures say what is wrong with the address", () => {
  const err = (code: string): Error => Object.assign(new Error(`listen ${code}`), { code, syscall: "listen" });
  const inUse = listenError(err("EADDRINUSE"), "::", 8000);
  assert.equal(inUse.message, "cannot listen on [::]:8000: port 8000 is already in use");
  assert.deepEqual([inUse.code, inUse.port, inUse.usage], ["EADDRINUSE", 8000, false]);
  assert.match(listenError(err("EADDRNOTAVAIL"), "fd12::9", 8000).message, /\[fd12::9\]:8000: fd12::9 is not an address of this machine/);
  assert.match(listenError(err("EACCES"), "0.0.0.0", 80).hint ?? "", /below 1024/);
  assert.match(listenError(err("EOTHER"), "127.0.0.1", 1).message, /cannot listen on 127\.0\.0\.1:1: listen EOTHER/);
});

test("bad input is refused before the registry writes anything", async () => {
  const dir = await tempDir();
  const held = createServer();
  try {
    const home = join(dir, "home");
    await mkdir(home, { mode: 0o700 }); // a key's directory others can write to is refused first (umask 002 made it 0775)
    await writeFile(join(home, "corrupt-key.json"), "{not json", { mode: 0o600 });
    await writeFile(join(home, "no-mnemonic.json"), "{}", { mode: 0o600 });
    await writeFile(join(home, "bad-mnemonic.json"), JSON.stringify({ mnemonic: "one two three" }), { mode: 0o600 });
    await writeKey(join(home, "open-key.json"), 0o644);
    await writeKey(join(home, "good-key.json"));
    await writeFile(join(home, "file"), "x");
    await writeFile(join(home, "bad-config.json"), JSON.stringify({ port: "8000" }));
    const heldPort = await listen(held, "::1");
    const before = await snapshotDir(home);
    const base: ServeOptions = { defaultDataDir: join(home, "registry"), listen: "[::1]:0", chainRpc: `http://127.0.0.1:${await deadPort()}`, logger: memoryLogger().logger };
    const cases: [string, ServeOptions, RegExp, boolean][] = [
      ["invalid --listen", { ...base, listen: "::1:8000" }, /--listen .* in brackets/, true],
      ["--node not a URL", { ...base, chainRpc: "localhost" }, /--node must be/, true],
      ["bad config file", { ...base, configFile: join(home, "bad-config.json") }, /port must be a number/, true],
      ["missing operator key", { ...base, operatorKeyFile: join(home, "missing.json") }, /cannot read operator key file .*missing\.json: no such file/, false],
      ["corrupt operator key", { ...base, operatorKeyFile: join(home, "corrupt-key.json") }, /operator key file .*corrupt-key\.json is corrupt/, false],
      ["key without mnemonic", { ...base, operatorKeyFile: join(home, "no-mnemonic.json") }, /has no mnemonic/, false],
      ["invalid mnemonic", { ...base, operatorKeyFile: join(home, "bad-mnemonic.json") }, /not a valid BIP-39 phrase/, false],
      ["key readable by others", { ...base, operatorKeyFile: join(home, "open-key.json") }, /readable by its group and other users \(mode 0644\): chmod 600 .*--operator-key-trusted-mount/, false],
      // on a trusted mount the same key passes its check: the next one (the port) stops it
      ["readable key on a trusted mount", { ...base, operatorKeyFile: join(home, "open-key.json"), operatorKeyTrustedMount: true, listen: `[::1]:${heldPort}` }, new RegExp(`cannot listen on \\[::1\\]:${heldPort}`), false],
      ["key is a directory", { ...base, operatorKeyFile: home }, /is not a regular file/, false],
      ["data dir not writable", { ...base, operatorKeyFile: join(home, "good-key.json"), dataDir: join(home, "file", "registry") }, /data directory .* is not writable/, false],
      ["port in use", { ...base, operatorKeyFile: join(home, "good-key.json"), listen: `[::1]:${heldPort}` }, new RegExp(`cannot listen on \\[::1\\]:${heldPort}: port ${heldPort} is already in use`), false],
    ];
    for (const [name, opts, re, usage] of cases) {
      await assert.rejects(startRegistryProcess(opts), (e: Error) => {
        assert.ok(e instanceof StartupError, `${name}: ${e.stack}`);
        assert.match(e.message, re, name);
        assert.equal(e.usage, usage, name);
        return true;
      }, name);
      assert.deepEqual(await snapshotDir(home), before, `${name} changed nothing`);
    }
  } finally {
    await new Promise((r) => held.close(r));
    await rm(dir, { recursive: true, force: true });
  }
});

test("an unreachable node is not fatal: it serves, /health says chain unreachable, and it notices the node coming up", async () => {
  const dir = await tempDir();
  const node = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { node_info: { network: "trustnet-spec-1" } } }));
    });
  });
  const port = await deadPort();
  const log = memoryLogger();
  const running = await startRegistryProcess({
    defaultDataDir: join(dir, "registry"), listen: "[::1]:0", chainRpc: `http://[::1]:${port}`, logger: log.logger,
    noOperatorKeyHint: "pass --operator-key FILE", chainWatch: { minRetryMs: 50, maxRetryMs: 100, healthyEveryMs: 100 },
  });
  try {
    assert.match(running.registry.url, /^http:\/\/\[::1\]:\d+$/);
    assert.equal(running.operator, undefined);
    const health = async (): Promise<{ status: string; chain: { reachable: boolean } }> => (await fetch(`${running.registry.url}/health`)).json() as never;
    const h = await health();
    assert.deepEqual([h.status, h.chain.reachable], ["ok", false]);
    const warn = log.lines().find((l) => /no operator key/.test(l.msg));
    assert.ok(warn && warn.level === "warn" && warn["hint"] === "pass --operator-key FILE", "a warning says tags are not recorded");
    await waitFor(() => log.lines().some((l) => /chain not reachable; serving anyway/.test(l.msg)));
    assert.ok((await stat(join(dir, "registry"))).isDirectory());
    // The node comes up on that address later (the registry VM booted first): /health and the log follow.
    await listen(node, "::1", port);
    await waitFor(async () => (await health()).chain.reachable);
    await waitFor(() => log.lines().some((l) => l.msg === "chain reachable again" && l["chainId"] === "trustnet-spec-1"));
    assert.equal(log.lines().filter((l) => /chain not reachable/.test(l.msg)).length, 1, "logged once, not at every retry");
  } finally {
    await running.close();
    await new Promise((r) => node.close(r));
    await rm(dir, { recursive: true, force: true });
  }
  await assert.rejects(fetch(`${running.registry.url}/health`), "closed");
});

test("with an operator key, tags are recorded with it; close is idempotent", async () => {
  const dir = await tempDir();
  try {
    await writeKey(join(dir, "key.json"));
    const running = await startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", chainRpc: `http://127.0.0.1:${await deadPort()}`, operatorKeyFile: join(dir, "key.json"), logger: memoryLogger().logger });
    assert.match(running.operator ?? "", /^trust1[0-9a-z]{38}$/);
    assert.equal(running.pendingRecords(), 0);
    await Promise.all([running.close(), running.close()]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("without a node (registry/src/main.ts --owners): owners from a JSON file; a bad file is refused", async () => {
  const dir = await tempDir();
  try {
    await writeFile(join(dir, "owners.json"), JSON.stringify({ acme: "trust1abc" }));
    const running = await startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", ownersFile: join(dir, "owners.json"), logger: memoryLogger().logger });
    const h = (await (await fetch(`${running.registry.url}/health`)).json()) as { chain: { reachable: boolean } };
    assert.equal(h.chain.reachable, false);
    await running.close();
    await writeFile(join(dir, "owners.json"), "[1]");
    await assert.rejects(startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", ownersFile: join(dir, "owners.json") }), /cannot use owners file .*not a JSON object/);
    await assert.rejects(startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", operatorKeyFile: join(dir, "k.json") }), /operator key needs the chain's RPC URL/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("its own logger (--log-file) writes JSON lines with the level as its label", async () => {
  const dir = await tempDir();
  try {
    const logFile = join(dir, "logs", "registry.log");
    const running = await startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", ownersFile: undefined, logFile });
    await running.close();
    const lines = (await readFile(logFile, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { level: unknown; msg: string; svc: string });
    const listening = lines.find((l) => l.msg === "registry listening");
    assert.ok(listening, JSON.stringify(lines));
    assert.equal(listening.level, "info");
    assert.equal(listening.svc, "registry");
    assert.ok(lines.every((l) => typeof l.level === "string"), JSON.stringify(lines));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("stopOnSignals closes the registry on the signal and resolves with it", async () => {
  const dir = await tempDir();
  try {
    const running = await startRegistryProcess({ dataDir: join(dir, "data"), listen: "127.0.0.1:0", ownersFile: undefined, logger: memoryLogger().logger });
    const stopped = stopOnSignals(running, ["SIGHUP"]);
    assert.equal((await fetch(`${running.registry.url}/health`)).status, 200);
    process.kill(process.pid, "SIGHUP");
    assert.equal(await stopped, "SIGHUP");
    await assert.rejects(fetch(`${running.registry.url}/health`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
