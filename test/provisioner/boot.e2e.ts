// A REAL ARM64 boot under TCG: two VMs (the tiny Debian-arm64 guest, direct-kernel mode) created, started and
// stopped by the provisioner's own argv builder and lifecycle code; ssh2 logs in on 127.0.0.1:2222 (when free)
// with the generated key and the pinned host key; the VMs ping each other over their ULA addresses;
// `trustnet vm stop` powers both off cleanly and no QEMU process is left.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planVm } from "../../provisioner/src/cli/vm-plan.ts";
import { FILES, startScriptName, vmDir } from "../../provisioner/src/lifecycle/layout.ts";
import { freePort, portFree } from "../../provisioner/src/lifecycle/ports.ts";
import { realLifecycleDeps } from "../../provisioner/src/lifecycle/real-deps.ts";
import type { VmRecord } from "../../provisioner/src/lifecycle/record.ts";
import { waitReady } from "../../provisioner/src/lifecycle/ready.ts";
import { HostKeyMismatchError, sshExec, type SshTarget } from "../../provisioner/src/lifecycle/ssh-exec.ts";
import { makeSpinner } from "../../provisioner/src/lifecycle/spinner.ts";
import { startVm, vmStatus } from "../../provisioner/src/lifecycle/vm.ts";
import { loadOrCreateNetwork } from "../../provisioner/src/network/ula.ts";
import { DEFAULT_CONFIG } from "../../provisioner/src/profiles.ts";
import { generateEd25519, openSshPrivateKey, openSshPublicLine } from "../../provisioner/src/ssh/keys.ts";
import { runVmCli } from "./cli.ts";
import { createGuestVm, guestRecord, qemuProcessesUnder } from "./guest.ts";

const home = await mkdtemp(join(tmpdir(), "tn-boot-"));
const deps = realLifecycleDeps();

after(async () => {
  for (const pid of qemuProcessesUnder(home)) process.kill(pid, "SIGKILL");
  await rm(home, { recursive: true, force: true });
});

describe("ARM64 boot under TCG (real QEMU, real SSH)", { timeout: 300_000 }, () => {
  test("two VMs: SSH on 2222 with pinned keys, ULA ping both ways, clean stop", async () => {
    const t0 = Date.now();
    const net = await loadOrCreateNetwork(home, { readFile: async () => undefined, writeFile: (p, t) => writeFile(p, t), randomBytes, now: () => new Date() });
    const client = generateEd25519();
    await mkdir(join(home, "ssh"), { recursive: true, mode: 0o700 });
    const clientKey = openSshPrivateKey(client, "test");
    await writeFile(join(home, "ssh", "id_ed25519"), clientKey, { mode: 0o600 });
    const nodePort = (await portFree(2222)) ? 2222 : await freePort();
    const members = ["trustnet-node", "trustnet-registry"];
    const vms: { rec: VmRecord }[] = [];
    for (const [name, port] of [["trustnet-node", nodePort], ["trustnet-registry", await freePort()]] as const) {
      const p = planVm(home, net, DEFAULT_CONFIG, members, name, port);
      const hostKey = generateEd25519();
      const rec = guestRecord({ name, kind: p.profile.kind, sshPort: p.profile.sshPort, ulaAddress: p.ulaAddress, ulaMac: p.ulaMac, userNicMac: p.userNicMac, transport: p.transport }, hostKey, join(home, "ssh", "id_ed25519"));
      await createGuestVm(home, rec, hostKey, openSshPublicLine(client, "test"), deps);
      assert.match(readFileSync(join(vmDir(home, name), startScriptName(name)), "utf8"), /-daemonize/);
      vms.push({ rec });
    }
    const [node, registry] = [vms[0]?.rec, vms[1]?.rec] as [VmRecord, VmRecord];
    assert.equal(node.ula.transport.kind, "unix-pair");
    await Promise.all(vms.map(({ rec }) => startVm(home, rec.name, deps)));
    for (const { rec } of vms) assert.equal((await vmStatus(home, rec.name)).state, "running");
    const target = (rec: VmRecord): SshTarget => ({ port: rec.sshPort, user: "root", privateKey: clientKey, hostKey: rec.hostKey });
    await Promise.all(vms.map(({ rec }) => waitReady(rec.name, target(rec), rec.readiness, join(vmDir(home, rec.name), FILES.serialLog), 180_000, makeSpinner(rec.name))));
    const booted = Date.now();

    assert.equal((await sshExec(target(node), "uname -m")).stdout.trim(), "aarch64");
    // The pinned key is enforced: the registry's key on the node's port is refused.
    await assert.rejects(sshExec({ ...target(node), hostKey: registry.hostKey }, "true"), HostKeyMismatchError);

    const ping1 = await sshExec(target(node), `ping -c 3 -W 5 ${registry.ula.address}`);
    assert.equal(ping1.code, 0, ping1.stdout + ping1.stderr);
    assert.match(ping1.stdout, /3 packets transmitted, [1-3] packets received/);
    const ping2 = await sshExec(target(registry), `ping -c 3 -W 5 ${node.ula.address}`);
    assert.equal(ping2.code, 0, ping2.stdout + ping2.stderr);

    // `vm ssh` runs the system's OpenSSH with the per-VM known_hosts (strict) and our key file: both must be valid.
    process.exitCode = undefined;
    await runVmCli(["vm", "ssh", "node", "--home", home, "true"]);
    assert.equal(process.exitCode, 0, "ssh with the pinned known_hosts and the generated key");
    process.exitCode = undefined;
    assert.match(await runVmCli(["vm", "logs", "registry", "--home", home, "--lines", "5"]), /TRUSTNET-GUEST-READY trustnet-registry/);

    const status = JSON.parse(await runVmCli(["vm", "status", "--home", home, "--output", "json", "--no-health"])) as { name: string; state: string; pid: number; ssh: { port: number }; ula: { address: string } }[];
    assert.deepEqual(status.map((s) => [s.name, s.state, s.ssh.port, s.ula.address]), [[node.name, "running", nodePort, node.ula.address], [registry.name, "running", registry.sshPort, registry.ula.address]]);

    const stopped = JSON.parse(await runVmCli(["vm", "stop", "--home", home, "--output", "json"])) as { name: string; method: string }[];
    assert.deepEqual(stopped.map((s) => s.method), ["powerdown", "powerdown"], "both VMs powered off on the power button");
    assert.deepEqual(qemuProcessesUnder(home), [], "no QEMU process is left");
    for (const { rec } of vms) assert.equal((await vmStatus(home, rec.name)).state, "stopped");
    process.stderr.write(`boot.e2e: both VMs reachable over SSH after ${((booted - t0) / 1000).toFixed(1)}s; total ${((Date.now() - t0) / 1000).toFixed(1)}s (node ssh port ${nodePort})\n`);
  });
});
