// The multi-validator VM segment (vm up --validators N): with more than two VMs the ULA segment is a loopback
// multicast hub. Three tiny ARM64 guests (node, registry, validator-2, planned by the real planner) ping each
// other over their ULA addresses; all stop cleanly.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stopMany } from "../../provisioner/src/cli/vm-actions.ts";
import { allVmNames, planVm } from "../../provisioner/src/cli/vm-plan.ts";
import { FILES, vmDir } from "../../provisioner/src/lifecycle/layout.ts";
import { freePort } from "../../provisioner/src/lifecycle/ports.ts";
import { realLifecycleDeps } from "../../provisioner/src/lifecycle/real-deps.ts";
import type { VmRecord } from "../../provisioner/src/lifecycle/record.ts";
import { waitReady } from "../../provisioner/src/lifecycle/ready.ts";
import { sshExec } from "../../provisioner/src/lifecycle/ssh-exec.ts";
import { silentSpinner } from "../../provisioner/src/lifecycle/spinner.ts";
import { startVm } from "../../provisioner/src/lifecycle/vm.ts";
import { loadOrCreateNetwork } from "../../provisioner/src/network/ula.ts";
import { DEFAULT_CONFIG } from "../../provisioner/src/profiles.ts";
import { generateEd25519, openSshPrivateKey, openSshPublicLine } from "../../provisioner/src/ssh/keys.ts";
import { createGuestVm, guestRecord, qemuProcessesUnder } from "./guest.ts";

const home = await mkdtemp(join(tmpdir(), "tn-vals-"));
const deps = realLifecycleDeps();

after(async () => {
  for (const pid of qemuProcessesUnder(home)) process.kill(pid, "SIGKILL");
  await rm(home, { recursive: true, force: true });
});

describe("multi-VM ULA segment (real QEMU)", { timeout: 300_000 }, () => {
  test("node, registry and validator-2 reach each other over ULA", async () => {
    const net = await loadOrCreateNetwork(home, { readFile: async () => undefined, writeFile: (p, t) => writeFile(p, t), randomBytes, now: () => new Date() });
    const client = generateEd25519();
    await mkdir(join(home, "ssh"), { recursive: true, mode: 0o700 });
    const clientKey = openSshPrivateKey(client, "test");
    await writeFile(join(home, "ssh", "id_ed25519"), clientKey, { mode: 0o600 });
    const members = allVmNames(2);
    const recs: VmRecord[] = [];
    for (const name of members) {
      const p = planVm(home, net, DEFAULT_CONFIG, members, name, await freePort());
      const hostKey = generateEd25519();
      const rec = guestRecord({ name, kind: p.profile.kind, sshPort: p.profile.sshPort, ulaAddress: p.ulaAddress, ulaMac: p.ulaMac, userNicMac: p.userNicMac, transport: p.transport }, hostKey, join(home, "ssh", "id_ed25519"));
      assert.equal(rec.ula.transport.kind, "mcast");
      await createGuestVm(home, rec, hostKey, openSshPublicLine(client, "test"), deps);
      recs.push(rec);
    }
    assert.deepEqual(recs.map((r) => r.ula.address.split("::")[1]), ["1", "2", "3"]);
    await Promise.all(recs.map((r) => startVm(home, r.name, deps)));
    const target = (r: VmRecord) => ({ port: r.sshPort, user: "root", privateKey: clientKey, hostKey: r.hostKey });
    await Promise.all(recs.map((r) => waitReady(r.name, target(r), r.readiness, join(vmDir(home, r.name), FILES.serialLog), 180_000, silentSpinner)));
    for (const from of recs) {
      const others = recs.filter((r) => r !== from).map((r) => r.ula.address);
      const res = await sshExec(target(from), others.map((a) => `ping -c 2 -W 5 ${a}`).join(" && "));
      assert.equal(res.code, 0, `${from.name}: ${res.stdout}${res.stderr}`);
    }
    const stopped = await stopMany(home, [], 60_000);
    assert.deepEqual(stopped.map((s) => s.method), ["powerdown", "powerdown", "powerdown"]);
    assert.deepEqual(qemuProcessesUnder(home), []);
    // What each guest printed while powering off was drained before QEMU ended (it paused at the power-off).
    for (const r of recs) assert.match(readFileSync(join(vmDir(home, r.name), FILES.serialLog), "utf8"), /TRUSTNET-GUEST-POWEROFF/, r.name);
  });
});
