// A REAL ARM64 boot under TCG: two VMs (the tiny Debian-arm64 guest, direct-kernel mode) created, started and
// stopped by the provisioner's own argv builder and lifecycle code; ssh2 logs in on 127.0.0.1:2222 (when free)
// with the generated key and the pinned host key; the VMs ping each other over their ULA addresses.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, loadOrCreateNetwork, macFor, type UlaNetwork } from "../../provisioner/src/network/ula.ts";
import { netDir, FILES, startScriptName, vmDir } from "../../provisioner/src/lifecycle/layout.ts";
import { freePort, portFree } from "../../provisioner/src/lifecycle/ports.ts";
import { realLifecycleDeps } from "../../provisioner/src/lifecycle/real-deps.ts";
import type { VmRecord } from "../../provisioner/src/lifecycle/record.ts";
import { waitReady } from "../../provisioner/src/lifecycle/ready.ts";
import { HostKeyMismatchError, sshExec, type SshTarget } from "../../provisioner/src/lifecycle/ssh-exec.ts";
import { makeSpinner } from "../../provisioner/src/lifecycle/spinner.ts";
import { createVm, startVm, stopVm, vmStatus } from "../../provisioner/src/lifecycle/vm.ts";
import { generateEd25519, openSshPrivateKey, openSshPublicLine, type Ed25519Key } from "../../provisioner/src/ssh/keys.ts";
import { testGuest, writeVmInitrd } from "./guest.ts";
import { runVmCli } from "./cli.ts";

const home = await mkdtemp(join(tmpdir(), "tn-boot-"));
const deps = realLifecycleDeps();

function qemuProcessesUnder(dir: string): number[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
      return cmd.includes("qemu-system") && cmd.includes(dir);
    } catch {
      return false;
    }
  }).map(Number);
}

after(async () => {
  for (const pid of qemuProcessesUnder(home)) process.kill(pid, "SIGKILL");
  await rm(home, { recursive: true, force: true });
});

function record(net: UlaNetwork, name: string, kind: "node" | "registry", sshPort: number, client: Ed25519Key, hostKey: Ed25519Key, peer: string): VmRecord {
  const guest = testGuest();
  return {
    version: 1, name, kind, arch: "aarch64", cpus: 1, memoryMiB: 256,
    boot: { kind: "kernel", kernel: guest.kernel, initrd: FILES.initrd, append: "console=ttyAMA0 quiet" },
    disk: undefined, cidata: false, sshPort, forwards: [], user: "root",
    clientKey: join(home, "ssh", "id_ed25519"),
    userNicMac: macFor(net.prefix, name, 0),
    ula: {
      address: addressOf(net.segment, { role: kind }), mac: macFor(net.prefix, name, 1),
      transport: { kind: "unix-pair", localSocket: join(netDir(home), `${name}.sock`), remoteSocket: join(netDir(home), `${peer}.sock`) },
    },
    hostKey: openSshPublicLine(hostKey, ""), readiness: { cloudInit: false, health: undefined }, image: undefined, extraArgs: [],
  };
}

describe("ARM64 boot under TCG (real QEMU, real SSH)", { timeout: 300_000 }, () => {
  test("two VMs: SSH with pinned keys, ULA ping both ways, clean stop", async () => {
    const t0 = Date.now();
    const guest = testGuest();
    const net = await loadOrCreateNetwork(home, { readFile: async () => undefined, writeFile: (p, t) => writeFile(p, t), randomBytes, now: () => new Date() });
    const client = generateEd25519();
    await rm(join(home, "ssh"), { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(join(home, "ssh"), { recursive: true, mode: 0o700 }));
    const clientKey = openSshPrivateKey(client, "test");
    await writeFile(join(home, "ssh", "id_ed25519"), clientKey, { mode: 0o600 });
    const nodePort = (await portFree(2222)) ? 2222 : await freePort();
    const regPort = await freePort();
    const keys = { node: generateEd25519(), registry: generateEd25519() };
    const vms = [
      { rec: record(net, "trustnet-node", "node", nodePort, client, keys.node, "trustnet-registry"), key: keys.node },
      { rec: record(net, "trustnet-registry", "registry", regPort, client, keys.registry, "trustnet-node"), key: keys.registry },
    ];
    for (const { rec, key } of vms) {
      await createVm(home, rec, (tmp) => writeVmInitrd(guest.initrd, join(tmp, FILES.initrd), {
        hostname: rec.name, ulaAddress: `${rec.ula.address}/64`, ulaMac: rec.ula.mac, hostKey: key, authorizedKey: openSshPublicLine(client, "test"),
      }), deps);
      const script = readFileSync(join(vmDir(home, rec.name), startScriptName(rec.name)), "utf8");
      assert.match(script, /-daemonize/);
    }
    await Promise.all(vms.map(({ rec }) => startVm(home, rec.name, deps)));
    for (const { rec } of vms) assert.equal((await vmStatus(home, rec.name)).state, "running");
    const target = (rec: VmRecord): SshTarget => ({ port: rec.sshPort, user: "root", privateKey: clientKey, hostKey: rec.hostKey });
    await Promise.all(vms.map(({ rec }) => waitReady(rec.name, target(rec), { cloudInit: false, health: `ip -6 addr | grep -q ${rec.ula.address}/64` }, join(vmDir(home, rec.name), FILES.serialLog), 180_000, makeSpinner(rec.name))));
    const booted = Date.now();

    const [node, registry] = [vms[0]?.rec, vms[1]?.rec] as [VmRecord, VmRecord];
    const uname = await sshExec(target(node), "uname -m");
    assert.equal(uname.stdout.trim(), "aarch64");
    // The pinned key is enforced: the registry's key on the node's port is refused.
    await assert.rejects(sshExec({ ...target(node), hostKey: registry.hostKey }, "true"), HostKeyMismatchError);

    const ping1 = await sshExec(target(node), `ping -c 3 -W 5 ${registry.ula.address}`);
    assert.equal(ping1.code, 0, ping1.stdout + ping1.stderr);
    assert.match(ping1.stdout, /3 packets transmitted, [1-3] packets received/);
    const ping2 = await sshExec(target(registry), `ping -c 3 -W 5 ${node.ula.address}`);
    assert.equal(ping2.code, 0, ping2.stdout + ping2.stderr);

    const status = JSON.parse(await runVmCli(["vm", "status", "--home", home, "--output", "json"])) as { name: string; state: string; ula: { address: string } }[];
    assert.deepEqual(status.map((s) => [s.name, s.state, s.ula.address]), [[node.name, "running", node.ula.address], [registry.name, "running", registry.ula.address]]);

    const out = await runVmCli(["vm", "stop", node.name, registry.name, "--home", home, "--output", "json"]);
    const stopped = JSON.parse(out) as { name: string; method: string }[];
    assert.deepEqual(stopped.map((s) => s.method), ["powerdown", "powerdown"], "both VMs powered off on the ACPI/GPIO power button");
    assert.deepEqual(qemuProcessesUnder(home), [], "no QEMU process is left");
    for (const { rec } of vms) assert.equal((await vmStatus(home, rec.name)).state, "stopped");
    process.stderr.write(`boot.e2e: booted both VMs to SSH in ${((booted - t0) / 1000).toFixed(1)}s; total ${((Date.now() - t0) / 1000).toFixed(1)}s (ssh port ${nodePort})\n`);
  });
});

void stopVm;
