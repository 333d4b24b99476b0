// The full-image test, as a user would run it (slow: run with `node --test test/provisioner/full-image.vm.ts`,
// meant for `npm run test:vm`). An ARM64 Debian cloud-style qcow2 (systemd, openssh-server, cloud-init, grub on
// an ESP; built with mmdebstrap --arch=arm64 and cached by recipe) is served with a real SHA256SUMS from a local
// HTTP mirror as the "ubuntu-24.04" image; `vm up` downloads and verifies it, seeds cloud-init, boots it under
// TCG with UEFI, and logs in as warden with the pinned host key.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { vmUp } from "../../provisioner/src/cli/vm-up.ts";
import { realRun } from "../../provisioner/src/exec.ts";
import { fileNameOf, findImage } from "../../provisioner/src/images/catalog.ts";
import { hashFile } from "../../provisioner/src/images/checksums.ts";
import { silentProgress } from "../../provisioner/src/images/progress.ts";
import { FILES, vmDir } from "../../provisioner/src/lifecycle/layout.ts";
import { freePort, portFree } from "../../provisioner/src/lifecycle/ports.ts";
import { realLifecycleDeps } from "../../provisioner/src/lifecycle/real-deps.ts";
import { waitReady } from "../../provisioner/src/lifecycle/ready.ts";
import { sshExec } from "../../provisioner/src/lifecycle/ssh-exec.ts";
import { makeSpinner } from "../../provisioner/src/lifecycle/spinner.ts";
import { readRecord, stopVm } from "../../provisioner/src/lifecycle/vm.ts";
import { qemuProcessesUnder } from "./guest.ts";

const repo = join(import.meta.dirname, "..", "..");
const recipe = join(repo, "provisioner/test-guest/build-cloud-image.sh");
const cacheDir = join(process.env.TRUSTNET_TEST_CACHE ?? join(homedir(), ".cache/trustnet-test"), "provisioner-cloud-image", createHash("sha256").update(readFileSync(recipe)).digest("hex").slice(0, 16));
const home = await mkdtemp(join(tmpdir(), "tn-full-"));

after(async () => {
  for (const pid of qemuProcessesUnder(home)) process.kill(pid, "SIGKILL");
  await rm(home, { recursive: true, force: true });
});

describe("full cloud image through vm up (real mmdebstrap image, real cloud-init, TCG + UEFI)", { timeout: 45 * 60_000 }, () => {
  test("download, verify, seed, boot, log in as warden", async () => {
    const imageFile = join(cacheDir, "image.qcow2");
    if (!existsSync(imageFile)) {
      process.stderr.write(`building the ARM64 cloud image (once, ~20 min cold; cached in ${cacheDir})\n`);
      const b = await execa("sh", [recipe, cacheDir], { reject: false, all: true });
      assert.equal(b.exitCode, 0, `build-cloud-image.sh failed (needs root and: apt-get install mmdebstrap qemu-user-static arch-test grub-common dosfstools mtools fdisk):\n${String(b.all).slice(-3000)}`);
    }
    const ubuntu = findImage("ubuntu-24.04", "aarch64");
    const sha256 = await hashFile(imageFile, "sha256");
    const size = statSync(imageFile).size;
    const server = createServer((req, res) => {
      if (req.url === `/${ubuntu.path}`) {
        res.writeHead(200, { "content-length": size });
        createReadStream(imageFile).pipe(res);
      } else if (ubuntu.checksum.kind === "sums" && req.url === `/${ubuntu.checksum.path}`) {
        res.end(`${"0".repeat(64)} *ubuntu-24.04-server-cloudimg-amd64.img\n${sha256} *${fileNameOf(ubuntu.path)}\n`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const sshPort = (await portFree(2222)) ? 2222 : await freePort();
      const config = join(home, "vm.json");
      await writeFile(config, JSON.stringify({ image: "ubuntu-24.04", node: { cpus: 2, memoryMiB: 2048, diskGiB: 4, forwardRpc: false } }));
      const logs: string[] = [];
      const t0 = Date.now();
      const lifecycle = realLifecycleDeps();
      await vmUp({
        home, configFile: config, validators: "1", sshPort, mirror, sshKey: undefined, arch: "aarch64", wait: false,
        timeoutSeconds: undefined, only: ["trustnet-node"], start: true,
      }, {
        lifecycle, run: realRun, spinner: (l) => makeSpinner(l), log: (l) => logs.push(l),
        images: { fetch, run: realRun, env: {}, progress: () => silentProgress, log: (l) => logs.push(l) },
      });
      assert.ok(logs.some((l) => l.startsWith("downloaded ")), logs.join("\n"));
      assert.ok(logs.some((l) => /no SHA256SUMS\.gpg/.test(l)), "the missing signature is reported");
      const r = await readRecord(home, "trustnet-node");
      assert.equal(r.user, "warden");
      const privateKey = readFileSync(r.clientKey, "utf8");
      const target = { port: r.sshPort, user: "warden", privateKey, hostKey: r.hostKey };
      await waitReady(r.name, target, { cloudInit: true, health: undefined }, join(vmDir(home, r.name), FILES.serialLog), 20 * 60_000, makeSpinner(r.name));
      const ready = Date.now();
      assert.equal((await sshExec(target, "id -un")).stdout.trim(), "warden");
      assert.equal((await sshExec(target, "uname -m")).stdout.trim(), "aarch64");
      const ula = await sshExec(target, "ip -6 addr show");
      assert.match(ula.stdout, new RegExp(`inet6 ${r.ula.address}/64`), ula.stdout);
      assert.match((await sshExec(target, "cat /etc/ssh/sshd_config.d/50-trustnet.conf")).stdout, /PasswordAuthentication no/);
      // Enabled by runcmd (the minimal image has no D-Bus, so an unprivileged `systemctl is-enabled` cannot ask).
      assert.equal((await sshExec(target, "test -L /etc/systemd/system/multi-user.target.wants/trustnet-node.service && echo enabled")).stdout.trim(), "enabled");
      assert.match((await sshExec(target, "cat /opt/trustnet/bin/trustnet-node-run")).stdout, /devnet/);
      // The minimal image has no logind/acpid to act on the power button: QMP quit after 15 s is expected here.
      const method = await stopVm(home, r.name, { timeoutMs: 15_000 });
      assert.ok(["powerdown", "quit"].includes(method), method);
      assert.deepEqual(qemuProcessesUnder(home), []);
      process.stderr.write(`full-image: vm up to warden login + cloud-init done in ${((ready - t0) / 1000).toFixed(1)}s (stop: ${method})\n`);
    } finally {
      server.close();
    }
  });
});
