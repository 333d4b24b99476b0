// The keystore passphrase in $TRUSTNET_KEYRING_PASSPHRASE stays in the CLI: no process it starts inherits it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { leasingTypes as L } from "@trustnet/abci-app";
import { fingerprintOfBlob, shell } from "@trustnet/provisioner";
import { childEnv, SECRET_ENV } from "./child-env.ts";
import { PASSPHRASE_ENV } from "./keyring/index.ts";
import { runCli, startFakeNode, type FakeNode } from "./testing/fake-node.ts";

const SECRET = "do not leak this passphrase";

describe("childEnv", () => {
  test("drops the passphrase and keeps the rest", () => {
    assert.deepEqual(SECRET_ENV, [PASSPHRASE_ENV]);
    assert.deepEqual(childEnv({ PATH: "/bin", [PASSPHRASE_ENV]: SECRET }, { EXTRA: "1" }), { PATH: "/bin", EXTRA: "1" });
  });
});

describe("processes started by the CLI and the code it runs do not get the passphrase", () => {
  let dir: string;
  let node: FakeNode;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tn-childenv-"));
    // A ready lease with a real ed25519 host key, so that `lease ssh` gets as far as starting ssh.
    const pub = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "der" }).subarray(-32);
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), pub]);
    const lease = {
      id: 1n, tenant: "t", provider: "p", cpuMillis: 1000n, memoryMib: 512n, diskGib: 1n, bandwidthMbps: 0n, image: "i", sshPubkeys: [], rate: "1", balance: "1", deposited: "1", paid: "0",
      refunded: "0", state: BigInt(L.LeaseState.ready), createdHeight: 1n, readyHeight: 2n, settledHeight: 2n, closedHeight: 0n, closeReason: "", sshHost: "127.0.0.1",
      sshPort: 2222n, hostKeyFingerprint: fingerprintOfBlob(blob), hostPublicKey: `ssh-ed25519 ${blob.toString("base64")}`, dueHeight: 100n,
    } as unknown as L.Lease;
    node = await startFakeNode({ abci: { "/trustnet.leasing.v1.Query/Lease": L.QueryLeaseResponse.encode({ lease: [lease] }).finish() } });
    // A fake `ssh` that records its environment.
    await writeFile(join(dir, "ssh"), `#!/bin/sh\nenv > "${join(dir, "ssh.env")}"\n`);
    await chmod(join(dir, "ssh"), 0o755);
  });
  after(async () => {
    await node.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("lease ssh: ssh runs without it", async () => {
    const r = await runCli(["lease", "ssh", "1", "--home", join(dir, "home"), "--node", node.url, "--chain-id", "trustnet-local-1"],
      { PATH: `${dir}:${process.env.PATH ?? ""}`, [PASSPHRASE_ENV]: SECRET, MARKER: "seen" });
    assert.equal(r.code, 0, r.stderr);
    const env = await readFile(join(dir, "ssh.env"), "utf8");
    assert.match(env, /^MARKER=seen$/mu, "the rest of the environment is passed on");
    assert.doesNotMatch(env, new RegExp(PASSPHRASE_ENV, "u"));
  });

  test("the provisioner's shell (qemu … for provider run and vm): its programs run without it", async () => {
    process.env[PASSPHRASE_ENV] = SECRET;
    try {
      const viaShell = (await shell()`env`).stdout;
      assert.match(viaShell, /^PATH=/mu);
      assert.doesNotMatch(viaShell, new RegExp(PASSPHRASE_ENV, "u"));
      assert.equal(process.env[PASSPHRASE_ENV], SECRET, "the CLI itself still reads it");
    } finally {
      delete process.env[PASSPHRASE_ENV];
    }
  });
});
