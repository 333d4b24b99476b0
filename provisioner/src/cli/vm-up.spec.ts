import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import yargs from "yargs";
import { IncompatibleChainError, InvalidConfigError } from "../errors.ts";
import { realShell as $ } from "../shell.ts";
import { findImage } from "../images/catalog.ts";
import { silentProgress } from "../images/progress.ts";
import { FILES, vmDir, vmsRoot } from "../lifecycle/layout.ts";
import { silentSpinner } from "../lifecycle/spinner.ts";
import { FAKE_HOST, fakeDeps } from "../lifecycle/testing.ts";
import { makeVmCommand } from "./vm-command.ts";
import { allVmNames, canonicalName, segmentTransport } from "./vm-plan.ts";
import { vmUp, type UpDeps, type UpOptions } from "./vm-up.ts";
import { importValidatorState, realVmDevnet, recordShipment, shipmentFile, vmDevnetHome } from "../payloads/vm-devnet.ts";
import { destroy } from "./vm-actions.ts";

const alpine = findImage("alpine-3.22", "aarch64");
let server: Server;
let mirror = "";
let work = "";
let image = Buffer.alloc(0);
// The state format this install's CLI writes (what the CLI hands the VM commands): read from a chain it generated.
let currentFormat = 0;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "tn-up-"));
  const base = join(work, "base.qcow2");
  assert.equal((await $`qemu-img create -q -f qcow2 ${base} 2G`).exitCode, 0, "qemu-img missing: sh scripts/prereqs.sh");
  image = readFileSync(base);
  const sha512 = createHash("sha512").update(image).digest("hex");
  // A qcow2 made here: its pin comes from a pins file instead of installer/src/versions.ts.
  await writeFile(join(work, "pins.txt"), `${sha512}  ${alpine.path.slice(alpine.path.lastIndexOf("/") + 1)}\n`);
  server = createServer((req, res) => {
    if (req.url === `/${alpine.path}`) return void res.end(image);
    if (req.url === `/${alpine.path}.sha512`) return void res.end(`${sha512}\n`);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(join(work, "vars.fd"), Buffer.alloc(4096));
  const probe = await realVmDevnet({ $, appRoot: join(import.meta.dirname, "..", "..", ".."), log: () => undefined })({
    home: join(work, "format-probe"), p2pHosts: ["fd12:3456:789a:1::1"], registryEndpoint: "http://127.0.0.1:8000",
  });
  currentFormat = (JSON.parse(readFileSync(join(probe, "devnet", "devnet.json"), "utf8")) as { stateFormat: number }).stateFormat;
  assert.ok(Number.isSafeInteger(currentFormat) && currentFormat > 0, "devnet generate records the state format");
});
after(async () => {
  server.close();
  await rm(work, { recursive: true, force: true });
});

function deps(logs: string[] = []): UpDeps {
  const host = { ...FAKE_HOST, firmware: { arch: "aarch64" as const, mode: "pflash" as const, code: "/fw/CODE.fd", vars: join(work, "vars.fd"), format: "raw" as const, source: "test" } };
  return {
    lifecycle: fakeDeps({ probe: async () => host }),
    images: { $, env: { TRUSTNET_PINS_FILE: join(work, "pins.txt") }, progress: () => silentProgress, log: (l) => logs.push(l) },
    $, spinner: () => silentSpinner, log: (l) => logs.push(l),
    // The real chain generator (the CLI's `devnet generate --p2p-hosts`, with the real cometbft).
    devnet: realVmDevnet({ $, appRoot: join(import.meta.dirname, "..", "..", ".."), log: (l) => logs.push(l) }),
    // The real resolver is covered by payloads/guest-payloads.spec.ts against local mirrors.
    payloads: async (req) => {
      const files = req.appTarball === undefined ? [] : [{ name: "trustnet-app.tgz", path: req.appTarball }];
      const flags = { app: files.length > 0, nodeRuntime: false };
      return { node: { flags, files }, registry: { flags, files } };
    },
    stateFormat: currentFormat,
  };
}

/**
 * The VMs' SSH ports here, 31222 and 31223, are checked free for real (ensurePortsFree): below the kernel's ephemeral
 * range (32768-60999), where an outgoing connection of another test running at the same time could hold them (42222
 * did once: PortInUseError in a CI unit run).
 */
async function opts(over: Partial<UpOptions> = {}): Promise<UpOptions> {
  const home = await mkdtemp(join(work, "home-"));
  const key = join(home, "user.pub");
  await writeFile(key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5lcdJ0NqH6mXvP3Vq2bq6mUoZqB2mN6s0bOQ0xMHnI op@laptop\n");
  const config = join(home, "vm.json");
  await writeFile(config, JSON.stringify({ node: { diskGiB: 3, sshPort: 31222 }, registry: { diskGiB: 3, sshPort: 31223 } }));
  return { home, configFile: config, validators: "1", sshPort: undefined, mirror, sshKey: key, arch: "aarch64", wait: false, timeoutSeconds: undefined, only: undefined, start: false, ...over };
}

const vmDirs = (home: string): string[] => (existsSync(vmsRoot(home)) ? readdirSync(vmsRoot(home)).filter((n) => !n.startsWith(".")) : []);

describe("vm up / create (real qemu-img, xorriso and HTTP mirror; QEMU not started)", () => {
  test("creates both VMs: overlay disk on the verified cached image, cidata seed, EFI vars, pinned keys", async () => {
    const app = join(work, "app.tgz");
    await writeFile(app, "app tarball");
    const o = await opts({ appTarball: app });
    const names = await vmUp(o, deps());
    assert.deepEqual(names, ["trustnet-node", "trustnet-registry"]);
    for (const n of names) {
      const dir = vmDir(o.home, n);
      for (const f of [FILES.disk, FILES.cidata, FILES.efiVars, FILES.record, FILES.knownHosts, `start-${n}.sh`, `stop-${n}.sh`]) assert.ok(existsSync(join(dir, f)), `${n}/${f}`);
      const info = JSON.parse((await $`qemu-img info --output=json ${join(dir, FILES.disk)}`).stdout) as { "virtual-size": number; "backing-filename": string };
      assert.equal(info["virtual-size"], 3 * 1024 ** 3);
      assert.equal(info["backing-filename"], join(o.home, "cache", alpine.path.split("/").pop() ?? ""));
    }
    // Each VM carries its share of one chain: the node its validator's files, the registry the operator key only.
    const homeOf = async (vm: string): Promise<string[]> => {
      const tgz = join(o.home, `${vm}-home.tgz`);
      assert.equal((await $`xorriso -osirrox on -indev ${join(vmDir(o.home, vm), FILES.cidata)} -extract /trustnet-home.tgz ${tgz}`).exitCode, 0);
      return (await $`tar -tzf ${tgz}`).stdout.split("\n").filter((l) => l !== "" && !l.endsWith("/"));
    };
    const nodeHome = await homeOf("trustnet-node");
    for (const f of ["devnet/devnet.json", "devnet/faucet.json", "devnet/registry-operator.json", "devnet/node0/cometbft/config/priv_validator_key.json", "devnet/node0/cometbft/config/genesis.json"]) {
      assert.ok(nodeHome.includes(f), `${f} in ${nodeHome.join(", ")}`);
    }
    assert.ok(!nodeHome.some((f) => f.startsWith("devnet/node1")));
    assert.deepEqual(await homeOf("trustnet-registry"), ["registry-operator.json"]);
    const manifest = JSON.parse(readFileSync(join(vmDevnetHome(o.home), "devnet", "devnet.json"), "utf8")) as { nodes: { p2pHost: string }[]; registry: { endpoint: string } };
    const nodeRec = JSON.parse(readFileSync(join(vmDir(o.home, "trustnet-node"), FILES.record), "utf8")) as { ula: { address: string } };
    const regRec = JSON.parse(readFileSync(join(vmDir(o.home, "trustnet-registry"), FILES.record), "utf8")) as { ula: { address: string } };
    assert.deepEqual(manifest.nodes.map((n) => n.p2pHost), [nodeRec.ula.address], "validator 0 peers on the node VM's ULA address");
    assert.equal(manifest.registry.endpoint, `http://[${regRec.ula.address}]:8000`);
    const config = readFileSync(join(vmDevnetHome(o.home), "devnet", "node0", "cometbft", "config", "config.toml"), "utf8");
    assert.match(config, new RegExp(`laddr = "tcp://\\[${nodeRec.ula.address}\\]:26656"`));
    assert.match(config, /laddr = "tcp:\/\/\[::\]:26657"/, "RPC dual-stack: the host forward (IPv4) and the registry VM (ULA)");
    const back = join(o.home, "app-back");
    assert.equal((await $`xorriso -osirrox on -indev ${join(vmDir(o.home, "trustnet-node"), FILES.cidata)} -extract /trustnet-app.tgz ${back}`).exitCode, 0);
    assert.equal(readFileSync(back, "utf8"), "app tarball");
    const rec = JSON.parse(readFileSync(join(vmDir(o.home, "trustnet-registry"), FILES.record), "utf8")) as { user: string; sshPort: number; ula: { transport: { kind: string } } };
    assert.equal(rec.user, "keeper");
    assert.equal(rec.sshPort, 31223);
    assert.equal(rec.ula.transport.kind, "unix-pair");
    await rm(o.home, { recursive: true, force: true });
  });
  test("bad input changes nothing: --validators, an unreadable key, a disk smaller than the image", async () => {
    for (const v of ["0", "abc", "17", "2.5"]) {
      const o = await opts({ validators: v });
      await assert.rejects(vmUp(o, deps()), (e: unknown) => e instanceof InvalidConfigError && /--validators/.test(e.message));
      assert.deepEqual(vmDirs(o.home), []);
    }
    for (const [only, found] of [[["trustnet-validator-3"], /^trustnet-validator-3 is not one of the VMs of --validators 1 \(trustnet-node, trustnet-registry\)$/], [["trustnet-other"], /^unknown VM "trustnet-other"/]] as const) {
      const o = await opts({ only });
      await assert.rejects(vmUp(o, deps()), (e: unknown) => e instanceof InvalidConfigError && found.test(e.message) && (only[0] !== "trustnet-validator-3" || /--validators 3/.test(e.hint ?? "")), only[0]);
      assert.ok(!existsSync(vmsRoot(o.home)) && !existsSync(join(o.home, "network.json")), `${only[0]}: nothing written`);
    }
    const o1 = await opts({ sshKey: "/nonexistent/id.pub" });
    await assert.rejects(vmUp(o1, deps()), /cannot read the SSH public key \/nonexistent\/id\.pub/);
    assert.deepEqual(vmDirs(o1.home), []);
    const o3 = await opts({ appTarball: "/nonexistent/app.tgz" });
    await assert.rejects(vmUp(o3, deps()), /cannot read \/nonexistent\/app\.tgz \(--app-tarball\)/);
    assert.deepEqual(vmDirs(o3.home), []);
    const o2 = await opts();
    await writeFile(o2.configFile ?? "", JSON.stringify({ node: { diskGiB: 1, sshPort: 31222 }, registry: { diskGiB: 3, sshPort: 31223 } }));
    await assert.rejects(vmUp(o2, deps()), /disk size 1 GiB is smaller than the image/);
    assert.deepEqual(vmDirs(o2.home), []);
    assert.deepEqual(readdirSync(vmsRoot(o2.home)).filter((n) => n.includes("creating")), []);
  });
  test("two VMs on one host port, or a port past 65535, are refused before anything is created or downloaded", async () => {
    for (const [what, over, config, found] of [
      ["--ssh-port on the registry's port", { sshPort: 31223 }, undefined, /^host port 31223 is planned twice: trustnet-node's SSH and trustnet-registry's SSH$/],
      ["a forward on an SSH port", {}, { node: { diskGiB: 3, sshPort: 31222, forwardRpc: 31223 }, registry: { diskGiB: 3, sshPort: 31223 } }, /^host port 31223 is planned twice: trustnet-node's forward to guest port 26657 and trustnet-registry's SSH$/],
      ["validator-3 past 65535", { validators: "3" }, { node: { diskGiB: 3, sshPort: 31222 }, registry: { diskGiB: 3, sshPort: 31223 }, validator: { sshPort: 65535 } }, /^trustnet-validator-3's SSH would be host port 65536, outside 1-65535$/],
    ] as const) {
      const o = await opts(over);
      if (config !== undefined) await writeFile(o.configFile ?? "", JSON.stringify(config));
      const logs: string[] = [];
      await assert.rejects(vmUp(o, deps(logs)), (e: unknown) => e instanceof InvalidConfigError && found.test(e.message) && /config\/vm\.json/.test(e.hint ?? ""), what);
      assert.deepEqual(vmDirs(o.home), [], what);
      assert.deepEqual(logs, [], `${what}: nothing downloaded or generated`);
      await rm(o.home, { recursive: true, force: true });
    }
    // An existing VM keeps its port: a VM created later may not take it.
    const o = await opts({ only: ["trustnet-registry"] });
    await vmUp(o, deps());
    await assert.rejects(vmUp({ ...o, only: ["trustnet-node"], sshPort: 31223 }, deps()), /^InvalidConfigError: host port 31223 is planned twice: trustnet-registry's SSH and trustnet-node's SSH/);
    assert.deepEqual(vmDirs(o.home), ["trustnet-registry"]);
    await rm(o.home, { recursive: true, force: true });
  });
  test("--ssh-key whose private half cannot log in (passphrase, missing) is refused before anything is created when vm up waits", async () => {
    const o = await opts({ start: true, wait: true });
    const k = ssh2.utils.generateKeyPairSync("ed25519", { passphrase: "secret", cipher: "aes256-ctr", rounds: 4 });
    await writeFile(join(o.home, "locked"), k.private, { mode: 0o600 });
    await writeFile(join(o.home, "locked.pub"), `${k.public}\n`);
    await assert.rejects(vmUp({ ...o, sshKey: join(o.home, "locked.pub") }, deps()), (e: unknown) =>
      e instanceof InvalidConfigError && /^cannot log in to the VMs to wait for them: .*locked: .*no passphrase given/.test(e.message) && /--no-wait/.test(e.hint ?? ""));
    await assert.rejects(vmUp({ ...o, sshKey: join(o.home, "user.pub") }, deps()), /cannot log in to the VMs to wait for them: cannot read .*user: ENOENT/);
    assert.deepEqual(vmDirs(o.home), []);
    await rm(o.home, { recursive: true, force: true });
  });
  test("a validator key goes to a VM once: re-creating the VM is refused (nothing changes) unless --reuse-validator-key", async () => {
    const o = await opts({ only: ["trustnet-node"] });
    await vmUp(o, deps());
    const dh = vmDevnetHome(o.home);
    const marker = shipmentFile(dh, 0);
    const first = JSON.parse(readFileSync(marker, "utf8")) as { nodeIndex: number; shipments: { vm: string; at: string }[] };
    assert.equal(first.nodeIndex, 0);
    assert.deepEqual(first.shipments.map((s) => s.vm), ["trustnet-node"]);
    assert.ok(!Number.isNaN(Date.parse(first.shipments[0]?.at ?? "")));
    await destroy(o.home, "trustnet-node", true);
    const state = join(dh, "devnet", "node0", "cometbft", "data", "priv_validator_state.json");
    const snapshot = (): string[] => [readFileSync(marker, "utf8"), readFileSync(state, "utf8"), vmDirs(o.home).join(",")];
    const before = snapshot();
    await assert.rejects(vmUp(o, deps()), (e: unknown) =>
      e instanceof InvalidConfigError && /validator 0's key \(for trustnet-node\) was already shipped to trustnet-node/.test(e.message) && /double sign/.test(e.message) &&
      /--reuse-validator-key/.test(e.hint ?? "") && /import-validator-state/.test(e.hint ?? ""));
    assert.deepEqual(snapshot(), before, "a refusal changes nothing");
    assert.deepEqual(vmDirs(o.home), []);
    // The safe route: the old disk's signing state into the host copy (checked), then the key shipped again.
    const recovered = join(o.home, "recovered.json");
    await writeFile(recovered, JSON.stringify({ height: "41", round: 0, step: 3 }));
    assert.equal((await importValidatorState(dh, 0, recovered)).height, "41");
    const behind = join(o.home, "behind.json");
    await writeFile(behind, JSON.stringify({ height: "40", round: 0, step: 3 }));
    await assert.rejects(importValidatorState(dh, 0, behind), /at height 40 .*behind the host copy's 41\/0\/3/);
    await writeFile(behind, "{}");
    await assert.rejects(importValidatorState(dh, 0, behind), /is not a CometBFT priv_validator_state\.json/);
    assert.equal((JSON.parse(readFileSync(state, "utf8")) as { height: string }).height, "41", "refused imports change nothing");
    await vmUp({ ...o, reuseValidatorKey: true }, deps());
    assert.deepEqual(vmDirs(o.home), ["trustnet-node"]);
    const second = JSON.parse(readFileSync(marker, "utf8")) as { shipments: { vm: string }[] };
    assert.deepEqual(second.shipments.map((s) => s.vm), ["trustnet-node", "trustnet-node"], "the history stays");
    const tgz = join(o.home, "node-home.tgz");
    assert.equal((await $`xorriso -osirrox on -indev ${join(vmDir(o.home, "trustnet-node"), FILES.cidata)} -extract /trustnet-home.tgz ${tgz}`).exitCode, 0);
    const shipped = (await $`tar -xzOf ${tgz} devnet/node0/cometbft/data/priv_validator_state.json`).stdout;
    assert.equal((JSON.parse(shipped) as { height: string }).height, "41", "the re-created VM resumes at the imported height");
    await rm(o.home, { recursive: true, force: true });
  });
  test("a host copy of the VMs' chain of another state format is refused before anything is created; the current one is reused", async () => {
    const o = await opts();
    await vmUp({ ...o, only: ["trustnet-node"] }, deps());
    const manifestFile = join(vmDevnetHome(o.home), "devnet", "devnet.json");
    const current = readFileSync(manifestFile, "utf8");
    const manifest = JSON.parse(current) as Record<string, unknown>;
    assert.equal(manifest.stateFormat, currentFormat);
    const { stateFormat: _, ...unmarked } = manifest;
    for (const [what, m, found] of [
      ["an older", { ...manifest, stateFormat: currentFormat - 1 }, new RegExp(`\\(state format ${currentFormat - 1}\\)`)],
      ["a missing", unmarked, /\(none recorded: it was made by a TrustNet version older than the state-format marker\)/],
    ] as const) {
      const text = JSON.stringify(m, null, 2);
      await writeFile(manifestFile, text);
      const logs: string[] = [];
      await assert.rejects(vmUp(o, deps(logs)), (e: unknown) =>
        e instanceof IncompatibleChainError && found.test(e.message) &&
        new RegExp(`this TrustNet runs state format ${currentFormat} and has no state migrations.*Nothing was created or changed`).test(e.message) &&
        (e.hint ?? "").includes(`trustnet vm destroy trustnet-node --force && rm -rf "${vmDevnetHome(o.home)}" && trustnet vm up`) &&
        /your keystore and the host's own devnet are kept/.test(e.hint ?? ""), `${what} marker`);
      assert.deepEqual(vmDirs(o.home), ["trustnet-node"], `${what} marker: no VM created`);
      assert.equal(readFileSync(manifestFile, "utf8"), text, `${what} marker: the host copy is unchanged`);
      assert.deepEqual(logs, [], `${what} marker: nothing downloaded or generated`);
    }
    // Nothing to create: the existing VMs keep the app they were made with, so starting them is not refused.
    assert.deepEqual(await vmUp({ ...o, only: ["trustnet-node"] }, deps()), ["trustnet-node"]);
    await writeFile(manifestFile, current);
    await vmUp(o, deps());
    assert.deepEqual(vmDirs(o.home).sort(), ["trustnet-node", "trustnet-registry"]);
    await rm(o.home, { recursive: true, force: true });
  });
  test("planning: names, validators on a multicast segment", () => {
    assert.deepEqual(allVmNames(3), ["trustnet-node", "trustnet-registry", "trustnet-validator-2", "trustnet-validator-3"]);
    assert.equal(canonicalName("node"), "trustnet-node");
    assert.equal(canonicalName("validator-4"), "trustnet-validator-4");
    const net = { prefix: "fd5e:3a1b:9c04::/48", segment: "fd5e:3a1b:9c04:1::/64", createdAt: "" };
    assert.equal(segmentTransport("/h", net, allVmNames(1), "trustnet-node").kind, "unix-pair");
    const m = segmentTransport("/h", net, allVmNames(4), "trustnet-node");
    assert.equal(m.kind, "mcast");
    assert.deepEqual(segmentTransport("/h", net, allVmNames(4), "trustnet-validator-3"), m);
  });
  test("CLI: status --output json, destroy, unknown VM", async () => {
    const o = await opts();
    let out = "";
    const run = (argv: string[]): Promise<unknown> => {
      const cmd = makeVmCommand({ consoleText: (t) => t, out: (t) => void (out += t), err: () => undefined, deps: () => deps() });
      return yargs(argv).command(cmd).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
    };
    await run(["vm", "status", "--home", o.home, "--output", "json"]);
    assert.deepEqual(JSON.parse(out), []);
    out = "";
    await run(["vm", "create", "node", "--home", o.home, "--config", o.configFile ?? "", "--mirror", mirror, "--ssh-key", o.sshKey ?? "", "--output", "json"]);
    const created = JSON.parse(out) as { name: string; state: string; ssh: { port: number }; ula: { address: string } }[];
    assert.equal(created[0]?.name, "trustnet-node");
    assert.equal(created[0]?.state, "stopped");
    assert.equal(created[0]?.ssh.port, 31222);
    assert.match(created[0]?.ula.address ?? "", /^fd[0-9a-f]{2}:[0-9a-f:]+:1::1$/);
    out = "";
    await run(["vm", "destroy", "node", "--home", o.home]);
    assert.match(out, /trustnet-node destroyed/);
    const again = ["vm", "create", "node", "--home", o.home, "--config", o.configFile ?? "", "--mirror", mirror, "--ssh-key", o.sshKey ?? "", "--output", "json"];
    await assert.rejects(run(again), /validator 0's key \(for trustnet-node\) was already shipped/);
    const state = join(o.home, "state.json");
    await writeFile(state, JSON.stringify({ height: "7", round: 0, step: 3 }));
    await assert.rejects(run(["vm", "import-validator-state", "registry", state, "--home", o.home]), /trustnet-registry is not a validator VM/);
    out = "";
    await run(["vm", "import-validator-state", "node", state, "--home", o.home]);
    assert.match(out, /validator 0 \(trustnet-node\): signing state at height 7 imported/);
    out = "";
    await run([...again, "--reuse-validator-key"]);
    assert.equal((JSON.parse(out) as { name: string }[])[0]?.name, "trustnet-node");
    await run(["vm", "destroy", "node", "--home", o.home]);
    await assert.rejects(run(["vm", "logs", "registry", "--home", o.home]), /no VM named trustnet-registry/);
    await rm(o.home, { recursive: true, force: true });
  });
});

describe("private files written whole (temp file, rename)", () => {
  const mode = (f: string): string => (statSync(f).mode & 0o777).toString(8);
  /** A temp file a crash (or a careless hand) left at the name the writers once used, readable by others. */
  async function stale(file: string): Promise<void> {
    await writeFile(`${file}.tmp`, "stale");
    await chmod(`${file}.tmp`, 0o644);
  }
  test("a stale temp file of a looser mode does not loosen network.json (vm up), the signing state (vm import-validator-state) or the shipment record", async () => {
    const o = await opts({ sshPort: 31223 });
    await stale(join(o.home, "network.json"));
    await assert.rejects(vmUp(o, deps()), /planned twice/);
    assert.equal(mode(join(o.home, "network.json")), "600", "network.json");

    const dh = vmDevnetHome(o.home);
    const data = join(dh, "devnet", "node0", "cometbft", "data");
    await mkdir(data, { recursive: true, mode: 0o700 });
    const state = join(data, "priv_validator_state.json");
    await writeFile(state, JSON.stringify({ height: "40", round: 0, step: 3 }), { mode: 0o600 });
    await stale(state);
    const recovered = join(o.home, "recovered.json");
    await writeFile(recovered, JSON.stringify({ height: "41", round: 0, step: 3 }));
    assert.equal((await importValidatorState(dh, 0, recovered)).height, "41");
    assert.equal(mode(state), "600", "priv_validator_state.json");

    await mkdir(join(dh, "shipped"), { recursive: true });
    await stale(shipmentFile(dh, 0));
    await recordShipment(dh, 0, "trustnet-node", new Date(0));
    assert.equal(mode(shipmentFile(dh, 0)), "600", "shipment record");
    await rm(o.home, { recursive: true, force: true });
  });
});
