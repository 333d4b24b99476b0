// lease ssh: the known_hosts line is written only for a published key that matches the on-chain fingerprint; for a
// lease with the fingerprint only, --fetch-host-key asks the VM (the real ssh-keyscan against an ssh2 server).
import { execFile, spawnSync } from "node:child_process";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import ssh2 from "ssh2";
import { NotOwnerError, userName } from "@trustnet/provisioner";
import { CliError } from "../errors.ts";
import { fetchHostKey, keyMatchingFingerprint, keyscanArgs, knownHostsLine, leaseSshArgs, type ReadyLease, writeLeaseKnownHosts } from "./lease-ssh.ts";

const b64 = "AAAAC3NzaC1lZDI1NTE5AAAAIPmEmx2mCNrr7DOyG0a/5VwWeZ6XZd1wQ0rr6n0SZo2l";
const fp = `SHA256:${createHash("sha256").update(Buffer.from(b64, "base64")).digest("base64").replace(/=+$/u, "")}`;
const lease: ReadyLease = { id: "3", sshHost: "203.0.113.7", sshPort: 40001, hostKeyFingerprint: fp, hostPublicKey: `ssh-ed25519 ${b64}` };

test("the pinned line for a matching key, bracketed for a non-22 port", () => {
  assert.equal(knownHostsLine(lease), `[203.0.113.7]:40001 ssh-ed25519 ${b64}`);
  assert.equal(knownHostsLine({ ...lease, sshPort: 22 }), `203.0.113.7 ssh-ed25519 ${b64}`);
});

test("a key that does not hash to the on-chain fingerprint is refused", () => {
  assert.throws(() => knownHostsLine({ ...lease, hostKeyFingerprint: "SHA256:somethingelse" }), (e: unknown) => e instanceof CliError && /does not match/.test(e.message));
  // a lease made ready before MsgLeaseReady required the key line: refused, never trusted on first use
  assert.throws(() => knownHostsLine({ ...lease, hostPublicKey: "" }), (e: unknown) => e instanceof CliError && /no usable host key, only its fingerprint/.test(e.message) && /--fetch-host-key/.test(e.hint ?? ""));
});

test("--fetch-host-key takes from ssh-keyscan only the key that hashes to the on-chain fingerprint", () => {
  const other = "AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const scanned = (...keys: string[]) => ["# 203.0.113.7:40001 SSH-2.0-OpenSSH_9.6", ...keys.map((k) => `[203.0.113.7]:40001 ${k}`), ""].join("\n");
  const legacy = { ...lease, hostPublicKey: "" };
  assert.equal(keyMatchingFingerprint(legacy, scanned(`ssh-ed25519 ${other}`, `ssh-ed25519 ${b64}`)), `ssh-ed25519 ${b64}`);
  assert.equal(knownHostsLine({ ...legacy, hostPublicKey: keyMatchingFingerprint(legacy, scanned(`ssh-ed25519 ${b64}`)) ?? "" }), `[203.0.113.7]:40001 ssh-ed25519 ${b64}`);
  assert.equal(keyMatchingFingerprint(legacy, scanned(`ssh-ed25519 ${other}`)), undefined, "another machine's key");
  assert.equal(keyMatchingFingerprint(legacy, `# 203.0.113.7:40001 ssh-ed25519 ${b64}\n`), undefined, "a comment is not a key");
  assert.equal(keyMatchingFingerprint(legacy, ""), undefined, "nothing answered");
  assert.deepEqual(keyscanArgs({ ...legacy, sshHost: "-v" }).slice(-2), ["--", "-v"], "the host stays an operand");
});

test("ssh runs with strict checking against that file only, the given key, and the remote command after --", () => {
  assert.deepEqual(leaseSshArgs(lease, "/h/kh", { identity: "/k/id", user: "root", command: ["nproc"] }), [
    "-o", 'UserKnownHostsFile="/h/kh"', "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "-o", "IdentitiesOnly=yes", "-o", 'IdentityFile="/k/id"',
    "-p", "40001", "root@203.0.113.7", "--", "nproc",
  ]);
  assert.equal(leaseSshArgs(lease, "/h/kh", { command: [] }).at(-1), "tenant@203.0.113.7");
});

test("--user must be a login name: an option (-oProxyCommand=…), an @, a space or an empty name is refused", () => {
  for (const user of ["ubuntu", "root", "_svc", "a.b-c_1"]) assert.equal(leaseSshArgs(lease, "/h/kh", { user, command: [] }).at(-1), `${user}@203.0.113.7`);
  for (const user of ["-oProxyCommand=touch /tmp/x", "-l", "a@b", "a b", "", "x\n", "ü", "a".repeat(33)]) {
    assert.throws(() => leaseSshArgs(lease, "/h/kh", { user, command: [] }), /is not a login name/, JSON.stringify(user));
  }
});

test("--fetch-host-key against a real SSH server: its key when it hashes to the chain's fingerprint, else a refusal", async () => {
  const host = ssh2.utils.generateKeyPairSync("ed25519");
  const server = new ssh2.Server({ hostKeys: [host.private] }, (c) => {
    c.on("error", () => undefined);
    c.on("authentication", (ctx) => ctx.reject());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const line = host.public.trim().split(/\s+/u).slice(0, 2).join(" ");
    const vm: ReadyLease = { id: "4", sshHost: "127.0.0.1", sshPort: (server.address() as AddressInfo).port, hostKeyFingerprint: `SHA256:${createHash("sha256").update(Buffer.from(line.split(" ")[1] ?? "", "base64")).digest("base64").replace(/=+$/u, "")}`, hostPublicKey: "" };
    assert.equal(await fetchHostKey(vm), line);
    await assert.rejects(fetchHostKey({ ...vm, hostKeyFingerprint: fp }), (e: unknown) => e instanceof CliError && /offered no host key that hashes to the on-chain fingerprint/.test(e.message));
  } finally {
    server.close();
  }
});

test("the known_hosts file is written whole, 0600: a symbolic link planted at it is replaced, not written through", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-lease-ssh-"));
  try {
    mkdirSync(join(home, "lease-ssh"), { mode: 0o700 });
    const victim = join(home, "victim.txt");
    writeFileSync(victim, "not yours\n");
    symlinkSync(victim, join(home, "lease-ssh", "known_hosts-3"));
    const file = await writeLeaseKnownHosts(home, lease);
    assert.equal(file, join(home, "lease-ssh", "known_hosts-3"));
    assert.equal(readFileSync(victim, "utf8"), "not yours\n");
    assert.equal(lstatSync(file).isSymbolicLink(), false);
    assert.equal(lstatSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, "utf8"), `${knownHostsLine(lease)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

// ssh split an unquoted UserKnownHostsFile at its spaces and expanded % tokens in it and in the key's path: with a home
// such as "/srv/my home" (install.sh allows spaces) `lease ssh` read `/srv/my` and `home/lease-ssh/…` and refused the
// lease's pinned key. The real ssh against an ssh2 server: it offers the given key only once the host key is verified.
test("lease ssh with a home and a key whose paths have a space, quotes, a backslash and a %: the real ssh verifies the pinned key and offers the given key", { skip: spawnSync("sh", ["-c", "command -v ssh"]).status !== 0 && "no ssh client" }, async () => {
  const home = join(mkdtempSync(join(tmpdir(), "tn-lease-ssh-space-")), 'my "home" 100%d\\');
  const host = ssh2.utils.generateKeyPairSync("ed25519");
  const client = ssh2.utils.generateKeyPairSync("ed25519");
  const offered: string[] = [];
  const server = new ssh2.Server({ hostKeys: [host.private] }, (c) => {
    c.on("error", () => undefined);
    c.on("authentication", (ctx) => {
      if (ctx.method === "publickey") offered.push(ctx.key.data.toString("base64"));
      ctx.reject(["publickey"]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    mkdirSync(home, { recursive: true });
    const identity = join(home, "id %h key");
    writeFileSync(identity, client.private, { mode: 0o600 });
    const line = host.public.trim().split(/\s+/u).slice(0, 2).join(" ");
    const vm: ReadyLease = { id: "5", sshHost: "127.0.0.1", sshPort: (server.address() as AddressInfo).port, hostKeyFingerprint: `SHA256:${createHash("sha256").update(Buffer.from(line.split(" ")[1] ?? "", "base64")).digest("base64").replace(/=+$/u, "")}`, hostPublicKey: line };
    const args = leaseSshArgs(vm, await writeLeaseKnownHosts(home, vm), { identity, user: "tenant", command: ["true"] });
    const stderr = await new Promise<string>((resolve) => execFile("ssh", ["-o", "BatchMode=yes", ...args], { timeout: 30_000 }, (_e, _out, err) => resolve(err)));
    assert.deepEqual(offered, [client.public.trim().split(/\s+/u)[1]], `ssh verified the pinned host key and offered the given key (${stderr.trim()})`);
  } finally {
    server.close();
    rmSync(join(home, ".."), { recursive: true, force: true });
  }
});

// Run by another user (sudo, as root) `lease ssh` made <home>/lease-ssh root's, 0700: the owner's next `lease ssh`
// could write no known_hosts there. Refused first, naming the owner and sudo -u (the other user: an injected euid).
test("the known_hosts file is written by the home's owner only: another user is refused, naming the owner and sudo -u; nothing written", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-lease-ssh-owner-"));
  try {
    const owner = lstatSync(home).uid;
    const name = await userName(owner);
    const refused = (dir: string) => (e: unknown) => e instanceof NotOwnerError
      && e.message.startsWith(`${dir} belongs to ${name} (uid ${owner}), not to this user (uid ${owner + 1}): 'lease ssh 3' runs as its owner only`)
      && (e.hint ?? "").endsWith(`sudo -u ${name.startsWith("#") ? `'${name}'` : name} trustnet lease ssh 3 …`);
    await assert.rejects(writeLeaseKnownHosts(home, lease, owner + 1), refused(home));
    assert.deepEqual(readdirSync(home), [], "no lease-ssh directory made");
    await writeLeaseKnownHosts(home, lease, owner);
    assert.deepEqual(readdirSync(join(home, "lease-ssh")), ["known_hosts-3"]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
