// The `trustnet vm` commands that write, run through the real launcher by another user than the VMs' owner (sudo, as
// root): refused (exit 1) naming the owner and `sudo -u`, before anything is written or QEMU started. They left a
// pidfile, scripts, serial.log or a signing state root owned, and `vm start` ran QEMU as root for that user's VM. A
// home chowned to nobody (65534): possible as root only. One command per directory checked (a VM's, the home, the
// VMs' chain) and the exit code here; every gated command (restart, destroy, create, logs too) is a case of
// provisioner/src/cli/vm-command.spec.ts, with an injected euid, and `vm logs` of vm-logs.spec.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createVm, realShell, userName, type HostFeatures, type LifecycleDeps, type VmRecord } from "@trustnet/provisioner";
import { treeSnapshot } from "../testing/tree-snapshot.ts";

const LAUNCHER = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));
const NOBODY = 65534;
const HOST: HostFeatures = { os: "linux", arch: "x86_64", kvm: false, hvf: false, accelerators: ["tcg"], firmware: undefined, qemuVersion: { major: 8, minor: 2, patch: 0 }, seccomp: true };
const NO_QEMU: LifecycleDeps = { $: realShell, probe: async () => HOST, qemuBinary: (arch) => `qemu-system-${arch}`, launch: async () => ({ exitCode: 1, stderr: "no QEMU in this spec" }) };
const record = (name: string, sshPort: number): VmRecord => ({
  version: 1, name, kind: "node", arch: "aarch64", cpus: 1, memoryMiB: 256,
  boot: { kind: "kernel", kernel: "/k/vmlinuz", initrd: "initrd.img", append: "console=ttyAMA0" },
  disk: undefined, cidata: false, sshPort, forwards: [], user: "root", clientKey: "", userNicMac: "52:54:00:00:00:01",
  ula: { address: "fd5e:3a1b:9c04:1::1", mac: "52:54:00:00:00:02", transport: { kind: "mcast", group: "239.1.2.3", port: 40001 } },
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5lcdJ0NqH6mXvP3Vq2bq6mUoZqB2mN6s0bOQ0xMHnI",
  readiness: { cloudInit: false, health: undefined }, image: undefined, extraArgs: [],
});

test("vm start/stop/up/import-validator-state on a home another user owns: refused (exit 1), naming the owner and sudo -u; nothing written", { skip: process.geteuid?.() !== 0 && "needs root to chown a directory to another uid" }, async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmowner-cli-"));
  const other = await mkdtemp(join(tmpdir(), "tn-vmowner-cli-in-"));
  try {
    await createVm(home, record("trustnet-node", 2296), async () => undefined, NO_QEMU);
    await createVm(home, record("trustnet-registry", 2297), async () => undefined, NO_QEMU);
    const signState = join(home, "vms", ".devnet", "devnet", "node0", "cometbft", "data");
    await mkdir(signState, { recursive: true });
    await writeFile(join(signState, "priv_validator_state.json"), '{"height":"3","round":0,"step":0}');
    await writeFile(join(other, "state.json"), '{"height":"9","round":0,"step":0}');
    for (const p of Object.keys(await treeSnapshot(home))) await chown(join(home, p), NOBODY, NOBODY);
    const name = await userName(NOBODY);
    const before = await treeSnapshot(home);
    // Were a command to get past the check, no QEMU could start (the binary it would run is false).
    const env = { ...process.env, QEMU_SYSTEM_AARCH64: "/bin/false" };
    const cli = (args: string[]) => spawnSync(process.execPath, [LAUNCHER, "vm", ...args, "--home", home], { encoding: "utf8", env });
    for (const [args, dir, command] of [
      [["start", "node", "--no-wait"], join(home, "vms"), "vm start trustnet-node"],
      [["stop"], join(home, "vms"), "vm stop"],
      [["up", "--no-wait"], home, "vm up"],
      [["import-validator-state", "node", join(other, "state.json")], join(home, "vms", ".devnet"), "vm import-validator-state trustnet-node"],
    ] as const) {
      const r = cli([...args]);
      assert.equal(r.status, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, new RegExp(`^error: ${dir} belongs to ${name} \\(uid ${NOBODY}\\), not to this user \\(uid 0\\): '${command}' runs as its owner only.*\nhint: run it as ${name}, with the same arguments: sudo -u ${name} trustnet ${command} …`, "su"));
    }
    assert.deepEqual(await treeSnapshot(home), before);
    // A home its user owns (here root's, as CI's) is theirs to change as before.
    for (const p of Object.keys(before)) await chown(join(home, p), 0, 0);
    const own = cli(["destroy", "registry"]);
    assert.equal(own.status, 0, own.stderr);
    assert.deepEqual((await readdir(join(home, "vms"))).filter((n) => !n.startsWith(".")), ["trustnet-node"]);
  } finally {
    await rm(home, { recursive: true, force: true });
    await rm(other, { recursive: true, force: true });
  }
});
