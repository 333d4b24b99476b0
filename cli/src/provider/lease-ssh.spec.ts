// lease ssh: the known_hosts line is written only for a published key that matches the on-chain fingerprint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CliError } from "../errors.ts";
import { knownHostsLine, leaseSshArgs, type ReadyLease } from "./lease-ssh.ts";

const b64 = "AAAAC3NzaC1lZDI1NTE5AAAAIPmEmx2mCNrr7DOyG0a/5VwWeZ6XZd1wQ0rr6n0SZo2l";
const fp = `SHA256:${createHash("sha256").update(Buffer.from(b64, "base64")).digest("base64").replace(/=+$/u, "")}`;
const lease: ReadyLease = { id: "3", sshHost: "203.0.113.7", sshPort: 40001, hostKeyFingerprint: fp, hostPublicKey: `ssh-ed25519 ${b64}` };

test("the pinned line for a matching key, bracketed for a non-22 port", () => {
  assert.equal(knownHostsLine(lease), `[203.0.113.7]:40001 ssh-ed25519 ${b64}`);
  assert.equal(knownHostsLine({ ...lease, sshPort: 22 }), `203.0.113.7 ssh-ed25519 ${b64}`);
});

test("a key that does not hash to the on-chain fingerprint is refused", () => {
  assert.throws(() => knownHostsLine({ ...lease, hostKeyFingerprint: "SHA256:somethingelse" }), (e: unknown) => e instanceof CliError && /does not match/.test(e.message));
  assert.throws(() => knownHostsLine({ ...lease, hostPublicKey: "" }), (e: unknown) => e instanceof CliError && /no usable host key/.test(e.message));
});

test("ssh runs with strict checking against that file only, the given key, and the remote command after --", () => {
  assert.deepEqual(leaseSshArgs(lease, "/h/kh", { identity: "/k/id", user: "root", command: ["nproc"] }), [
    "-o", "UserKnownHostsFile=/h/kh", "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "-o", "IdentitiesOnly=yes", "-i", "/k/id",
    "-p", "40001", "root@203.0.113.7", "--", "nproc",
  ]);
  assert.equal(leaseSshArgs(lease, "/h/kh", { command: [] }).at(-1), "tenant@203.0.113.7");
});
