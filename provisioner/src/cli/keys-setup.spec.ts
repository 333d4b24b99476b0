// The VMs' client key: a passphrase-protected ~/.ssh key (the usual case) cannot be used by ssh2 without an agent.
// It used to be taken as the login key: `vm up` then created and started the VMs and retried SSH for the whole
// readiness timeout (15 minutes) before failing.
import assert from "node:assert/strict";
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import ssh2 from "ssh2";
import { silentSpinner } from "../lifecycle/spinner.ts";
import { waitReady } from "../lifecycle/ready.ts";
import { ClientKeyError } from "../lifecycle/ssh-exec.ts";
import { freePort } from "../lifecycle/ports.ts";
import { resolveClientKey } from "./keys-setup.ts";

async function userWithKey(passphrase: string | undefined): Promise<{ readonly userHome: string; readonly pub: string; readonly priv: string }> {
  const userHome = await mkdtemp(join(tmpdir(), "tn-keys-"));
  const k = ssh2.utils.generateKeyPairSync("ed25519", passphrase === undefined ? { comment: "op@laptop" } : { comment: "op@laptop", passphrase, cipher: "aes256-ctr", rounds: 4 });
  await mkdir(join(userHome, ".ssh"), { mode: 0o700 });
  await writeFile(join(userHome, ".ssh", "id_ed25519"), k.private, { mode: 0o600 });
  await writeFile(join(userHome, ".ssh", "id_ed25519.pub"), `${k.public}\n`);
  return { userHome, pub: k.public.trim(), priv: k.private };
}

test("a passphrase-protected default key stays authorized, but the provisioner logs in with its generated key", async () => {
  const u = await userWithKey("secret");
  const home = join(u.userHome, "tn");
  try {
    const logs: string[] = [];
    const k = await resolveClientKey(home, undefined, u.userHome, (l) => logs.push(l));
    assert.equal(k.privateKeyPath, join(home, "ssh", "id_ed25519"));
    assert.equal(k.publicLines.length, 2);
    assert.match(k.publicLines[0] ?? "", /^ssh-ed25519 \S+ trustnet$/);
    assert.equal(k.publicLines[1], u.pub);
    assert.match(logs.join("\n"), /id_ed25519\.pub is authorized in the VMs, but the provisioner logs in with its own key \(.*no passphrase given\)/);
    // An unencrypted default key is the login key itself.
    const plain = await userWithKey(undefined);
    assert.deepEqual(await resolveClientKey(join(plain.userHome, "tn"), undefined, plain.userHome), { publicLines: [plain.pub], privateKeyPath: join(plain.userHome, ".ssh", "id_ed25519") });
    await rm(plain.userHome, { recursive: true, force: true });
  } finally {
    await rm(u.userHome, { recursive: true, force: true });
  }
});

test("readiness with a key ssh2 cannot use fails at once with the reason, instead of retrying until the timeout", async () => {
  const u = await userWithKey("secret");
  try {
    const target = { port: await freePort(), user: "warden", privateKey: await readFile(join(u.userHome, ".ssh", "id_ed25519"), "utf8"), hostKey: u.pub };
    const started = Date.now();
    await assert.rejects(waitReady("tvm", target, { cloudInit: false, health: undefined }, join(u.userHome, "serial.log"), 20_000, silentSpinner), (e: unknown) =>
      e instanceof ClientKeyError && /no passphrase given/.test(e.message) && /--ssh-key/.test(e.hint ?? ""));
    assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms`);
  } finally {
    await rm(u.userHome, { recursive: true, force: true });
  }
});

test("the generated key replaces what was at its path: a private half left 0644 by a cut-short generation ends 0600, a planted symlink is not written through", async () => {
  const home = await mkdtemp(join(tmpdir(), "tn-keys-home-"));
  const userHome = await mkdtemp(join(tmpdir(), "tn-keys-nokey-"));
  try {
    await mkdir(join(home, "ssh"), { mode: 0o700 });
    const priv = join(home, "ssh", "id_ed25519");
    await writeFile(priv, "half a key\n", { mode: 0o644 });
    const victim = join(home, "victim.pub");
    await writeFile(victim, "not yours\n");
    await symlink(victim, `${priv}.pub`);
    const key = await resolveClientKey(home, undefined, userHome);
    assert.equal(key.privateKeyPath, priv);
    assert.equal((await stat(priv)).mode & 0o777, 0o600);
    assert.match(await readFile(priv, "utf8"), /BEGIN OPENSSH PRIVATE KEY/);
    assert.equal(await readFile(victim, "utf8"), "not yours\n");
    assert.equal((await lstat(`${priv}.pub`)).isSymbolicLink(), false);
    assert.equal((await stat(`${priv}.pub`)).mode & 0o777, 0o644);
    assert.equal((await readFile(`${priv}.pub`, "utf8")).trim(), key.publicLines[0]);
  } finally {
    await rm(home, { recursive: true, force: true });
    await rm(userHome, { recursive: true, force: true });
  }
});
