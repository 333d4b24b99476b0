// `trustnet vm logs` through the real launcher: the guest's console reaches the terminal with its control characters
// shown escaped, as `provider lease-logs` prints them (terminal-text.ts). consoleLines only dropped CSI sequences:
// a BEL, an OSC that sets the window title, a lone CR (rewrite the line) or a NUL went to the terminal as they were.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chown, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createVm, realShell, userName, type HostFeatures, type LifecycleDeps, type VmRecord } from "@trustnet/provisioner";

const LAUNCHER = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));
const HOST: HostFeatures = { os: "linux", arch: "x86_64", kvm: false, hvf: false, accelerators: ["tcg"], firmware: undefined, qemuVersion: { major: 8, minor: 2, patch: 0 }, seccomp: true };
const NO_QEMU: LifecycleDeps = { $: realShell, probe: async () => HOST, qemuBinary: (arch) => `qemu-system-${arch}`, launch: async () => ({ exitCode: 1, stderr: "no QEMU in this spec" }) };
const RECORD: VmRecord = {
  version: 1, name: "trustnet-node", kind: "node", arch: "aarch64", cpus: 1, memoryMiB: 256,
  boot: { kind: "kernel", kernel: "/k/vmlinuz", initrd: "initrd.img", append: "console=ttyAMA0" },
  disk: undefined, cidata: false, sshPort: 2299, forwards: [], user: "root", clientKey: "", userNicMac: "52:54:00:00:00:01",
  ula: { address: "fd5e:3a1b:9c04:1::1", mac: "52:54:00:00:00:02", transport: { kind: "mcast", group: "239.1.2.3", port: 40001 } },
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5lcdJ0NqH6mXvP3Vq2bq6mUoZqB2mN6s0bOQ0xMHnI",
  readiness: { cloudInit: false, health: undefined }, image: undefined, extraArgs: [],
};

test("vm logs (and -f on a stopped VM): BEL, an OSC window title, a lone CR and NUL are printed escaped; JSON as it is", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmlogs-cli-"));
  try {
    const dir = await createVm(home, RECORD, async () => undefined, NO_QEMU);
    await writeFile(join(dir, "serial.log"), "boot\x07 ok\n\x1b]0;owned\x07login:\nfake\rprompt \x00end\n\x1b[31mred\x1b[0m\n");
    const cli = (args: string[]) => spawnSync(process.execPath, [LAUNCHER, "vm", "logs", "node", "--home", home, ...args], { encoding: "utf8" });
    const escaped = "boot\\x07 ok\n\\x1b]0;owned\\x07login:\nfake\\x0dprompt \\x00end\nred\n";
    for (const args of [[], ["--follow"]]) {
      const r = cli(args);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, escaped, args.join(" "));
    }
    const json = cli(["--output", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), { name: "trustnet-node", lines: ["boot\x07 ok", "\x1b]0;owned\x07login:", "fake\rprompt \x00end", "red"] });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// It drains the console into serial.log: run by another user than the VM's owner (sudo, as root) it left a serial.log
// that user owns (0600), which the owner's next `vm logs` could not append to (provisioner lifecycle/owner.ts).
test("vm logs on a VM another user owns: refused (exit 1), naming the owner and sudo -u; nothing written", { skip: process.geteuid?.() !== 0 && "needs root to chown a directory to another uid" }, async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-vmlogs-owner-"));
  try {
    const dir = await createVm(home, RECORD, async () => undefined, NO_QEMU);
    await chown(dir, 65534, 65534);
    const before = (await readdir(dir)).sort();
    for (const follow of [[], ["-f"]]) {
      const r = spawnSync(process.execPath, [LAUNCHER, "vm", "logs", "node", "--home", home, ...follow], { encoding: "utf8" });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, new RegExp(`^error: ${dir} belongs to ${await userName(65534)} \\(uid 65534\\).*\nhint: .*sudo -u \\S+ trustnet vm logs trustnet-node …`, "su"));
    }
    assert.deepEqual((await readdir(dir)).sort(), before);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
