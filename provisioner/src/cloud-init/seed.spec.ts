import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { realShell as $ } from "../shell.ts";
import { generateEd25519, openSshPublicLine, publicBlob } from "../ssh/keys.ts";
import { writeSeedIso } from "./iso.ts";
import { alpineKeyLoginCommand, APP_TARBALL, buildSeed, COMETBFT_FILE, NODE_BINARY, payloadCommands, type SeedInput } from "./seed.ts";
import { NODE_SERVICE_COMMAND, REGISTRY_SERVICE_COMMAND, wrapperScript } from "./services.ts";

const hostKey = generateEd25519();
const userKey = openSshPublicLine(generateEd25519(), "op@laptop");
const input = (over: Partial<SeedInput> = {}): SeedInput => ({
  vmName: "trustnet-node", kind: "node", os: "alpine", user: "warden", authorizedKeys: [userKey], hostKey,
  userNicMac: "52:54:9a:3c:11:02", ulaMac: "52:54:7e:01:aa:41", ulaAddress: "fd5e:3a1b:9c04:1::1", nodeUlaAddress: "fd5e:3a1b:9c04:1::1", ...over,
});

/** The documents are JSON-in-YAML: parse them the strict way (a YAML parser accepts a superset). */
function parseCloudConfig(text: string): Record<string, unknown> {
  assert.ok(text.startsWith("#cloud-config\n"), "user-data must start with #cloud-config");
  return JSON.parse(text.slice("#cloud-config\n".length)) as Record<string, unknown>;
}

describe("cloud-init seed", () => {
  test("user: key only, no password anywhere, password auth off", () => {
    const ud = parseCloudConfig(buildSeed(input()).userData);
    const users = ud.users as Record<string, unknown>[];
    assert.equal(users.length, 1);
    assert.equal(users[0]?.name, "warden");
    assert.equal(users[0]?.lock_passwd, true);
    assert.deepEqual(users[0]?.ssh_authorized_keys, [userKey]);
    assert.equal(ud.ssh_pwauth, false);
    assert.equal(ud.disable_root, true);
    const text = JSON.stringify(ud);
    assert.doesNotMatch(text, /"(passwd|plain_text_passwd|hashed_passwd|chpasswd|password)"\s*:/);
  });
  test("a key comment with DEL, a C1 control or NEL is written as \\u escapes (PyYAML refuses them raw; NEL folds)", () => {
    const odd = `${userKey.replace(/ op@laptop$/, "")} op\u007f\u0085\u009b@laptop`;
    const text = buildSeed(input({ authorizedKeys: [odd] })).userData;
    assert.doesNotMatch(text, /[\u007f-\u009f]/, "no raw DEL / C1 character in user-data");
    assert.match(text, /op\\u007f\\u0085\\u009b@laptop/);
    const users = parseCloudConfig(text).users as Record<string, unknown>[];
    assert.deepEqual(users[0]?.ssh_authorized_keys, [odd], "the key reads back as given");
  });
  test("registry VM: keeper, its service, node's ULA address in the env", () => {
    const ud = parseCloudConfig(buildSeed(input({ vmName: "trustnet-registry", kind: "registry", user: "keeper", ulaAddress: "fd5e:3a1b:9c04:1::2" })).userData);
    assert.equal((ud.users as { name: string }[])[0]?.name, "keeper");
    const files = ud.write_files as { path: string; content: string }[];
    assert.ok(files.some((f) => f.path === "/etc/init.d/trustnet-registry"));
    const env = files.find((f) => f.path === "/etc/trustnet/vm.env")?.content ?? "";
    assert.match(env, /TRUSTNET_ULA_ADDR=fd5e:3a1b:9c04:1::2\n/);
    assert.match(env, /TRUSTNET_NODE_ULA_ADDR=fd5e:3a1b:9c04:1::1\n/);
    assert.ok(files.find((f) => f.path === "/opt/trustnet/bin/trustnet-registry-run")?.content.includes(REGISTRY_SERVICE_COMMAND));
  });
  test("the registry's service may open more descriptors than its connection cap (OpenRC and systemd); the node's is unchanged", () => {
    const alp = parseCloudConfig(buildSeed(input({ vmName: "trustnet-registry", kind: "registry", user: "keeper", ulaAddress: "fd5e:3a1b:9c04:1::2" })).userData);
    const rc = (alp.write_files as { path: string; content: string }[]).find((f) => f.path === "/etc/init.d/trustnet-registry");
    assert.match(rc?.content ?? "", /\nrc_ulimit="-n 65536"\n/);
    const ub = parseCloudConfig(buildSeed(input({ os: "ubuntu", vmName: "trustnet-registry", kind: "registry", user: "keeper", ulaAddress: "fd5e:3a1b:9c04:1::2" })).userData);
    const unit = (ub.write_files as { path: string; content: string }[]).find((f) => f.path === "/etc/systemd/system/trustnet-registry.service");
    assert.match(unit?.content ?? "", /\nLimitNOFILE=65536\n/);
    const node = (parseCloudConfig(buildSeed(input({ os: "ubuntu" })).userData).write_files as { path: string; content: string }[]).find((f) => f.path === "/etc/systemd/system/trustnet-node.service");
    assert.doesNotMatch(node?.content ?? "", /LimitNOFILE/);
  });
  test("pre-generated host key: ssh2 reads it and it matches the key the host pins", () => {
    const ud = parseCloudConfig(buildSeed(input()).userData);
    assert.equal(ud.ssh_deletekeys, true);
    assert.deepEqual(ud.ssh_genkeytypes, ["ed25519"], "only the given key type: nothing else generated, and valid for the schema");
    const keys = ud.ssh_keys as { ed25519_private: string; ed25519_public: string };
    const parsed = ssh2.utils.parseKey(keys.ed25519_private);
    assert.ok(!(parsed instanceof Error));
    assert.deepEqual((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH(), publicBlob(hostKey));
    assert.ok(keys.ed25519_public.startsWith(openSshPublicLine(hostKey, "")));
  });
  test("Alpine gets OpenRC, Ubuntu gets systemd", () => {
    const alp = parseCloudConfig(buildSeed(input()).userData);
    const files = alp.write_files as { path: string; content: string }[];
    const rc = files.find((f) => f.path === "/etc/init.d/trustnet-node");
    assert.ok(rc?.content.startsWith("#!/sbin/openrc-run\n"));
    assert.match(rc?.content ?? "", /command_user="warden:warden"/);
    assert.deepEqual(alp.runcmd, ["echo 'warden:*' | chpasswd -e", "rc-update add trustnet-node default", "rc-service trustnet-node start"]);
    assert.ok(files.find((f) => f.path === "/opt/trustnet/bin/trustnet-node-run")?.content.includes(NODE_SERVICE_COMMAND));
    const ub = parseCloudConfig(buildSeed(input({ os: "ubuntu" })).userData);
    const unit = (ub.write_files as { path: string; content: string }[]).find((f) => f.path === "/etc/systemd/system/trustnet-node.service");
    assert.match(unit?.content ?? "", /\[Service\]\nUser=warden\n/);
    assert.match(unit?.content ?? "", /WantedBy=multi-user.target/);
    assert.deepEqual(ub.runcmd, ["systemctl daemon-reload", "systemctl enable trustnet-node.service", "systemctl start --no-block trustnet-node.service"]);
    assert.equal(ub.packages, undefined, "no empty packages list (cloud-init's schema rejects it)");
    assert.deepEqual(alp.packages, ["nodejs", "npm"]);
    assert.equal(ub.locale, "C.UTF-8");
  });
  test("Alpine: the user's password field becomes '*' (no password, not locked): its sshd, without PAM, refuses keys to a '!' account", () => {
    for (const [kind, user] of [["node", "warden"], ["registry", "keeper"]] as const) {
      const alp = parseCloudConfig(buildSeed(input({ kind, user })).userData);
      assert.equal((alp.runcmd as string[])[0], `echo '${user}:*' | chpasswd -e`, "first, before the payloads and services");
      assert.equal((alp.users as Record<string, unknown>[])[0]?.lock_passwd, true, "password logins stay off");
      const withPayloads = parseCloudConfig(buildSeed(input({ kind, user, payloads: { app: true, nodeRuntime: false, home: true } })).userData);
      assert.equal((withPayloads.runcmd as string[])[0], `echo '${user}:*' | chpasswd -e`);
    }
    const ub = parseCloudConfig(buildSeed(input({ os: "ubuntu" })).userData);
    assert.ok(!(ub.runcmd as string[]).some((c) => c.includes("chpasswd")), "Ubuntu's sshd checks accounts through PAM: '!' is fine there");
    assert.throws(() => alpineKeyLoginCommand("x'; reboot; '"), /invalid user name/);
  });
  test("network-config v2: DHCP on the NAT NIC, static ULA on the second NIC, matched by MAC", () => {
    const nc = JSON.parse(buildSeed(input()).networkConfig) as { version: number; ethernets: Record<string, Record<string, unknown>> };
    assert.equal(nc.version, 2);
    assert.deepEqual(nc.ethernets.nat0?.match, { macaddress: "52:54:9a:3c:11:02" });
    assert.equal(nc.ethernets.nat0?.dhcp6, false, "slirp answers no DHCPv6 (ifupdown would hang); IPv6 comes from its RAs");
    assert.deepEqual(nc.ethernets.ula0?.match, { macaddress: "52:54:7e:01:aa:41" });
    assert.deepEqual(nc.ethernets.ula0?.addresses, ["fd5e:3a1b:9c04:1::1/64"]);
    assert.equal(nc.ethernets.ula0?.dhcp4, false);
  });
  test("meta-data: instance id changes with the content, hostname", () => {
    const a = JSON.parse(buildSeed(input()).metaData) as Record<string, string>;
    const b = JSON.parse(buildSeed(input({ ulaAddress: "fd5e:3a1b:9c04:1::9" })).metaData) as Record<string, string>;
    assert.equal(a["local-hostname"], "trustnet-node");
    assert.match(a["instance-id"] ?? "", /^trustnet-node-[0-9a-f]{12}$/);
    assert.notEqual(a["instance-id"], b["instance-id"]);
    assert.deepEqual(buildSeed(input()), buildSeed(input()));
  });
  test("bad input: no key, a non-key, a bad VM name", () => {
    assert.throws(() => buildSeed(input({ authorizedKeys: [] })), /at least one SSH public key/);
    assert.throws(() => buildSeed(input({ authorizedKeys: ["-----BEGIN OPENSSH PRIVATE KEY-----"] })), /not an OpenSSH public key/);
    assert.throws(() => buildSeed(input({ vmName: "Bad Name" })), /invalid VM name/);
  });
  test("the cidata ISO (real xorriso): label cidata, files readable back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-seed-"));
    try {
      const seed = buildSeed(input());
      const iso = join(dir, "cidata.iso");
      await writeSeedIso($, seed, iso);
      const pvd = await $`xorriso -indev ${iso} -pvd_info`;
      assert.match(pvd.stdout + pvd.stderr, /Volume Id\s*:\s*cidata/);
      const out = join(dir, "ud");
      const x = await $`xorriso -osirrox on -indev ${iso} -extract /user-data ${out}`;
      assert.equal(x.exitCode, 0, x.stderr);
      assert.equal(await readFile(out, "utf8"), seed.userData);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("payloads on the seed", () => {
  test("app and Node runtime tarballs are unpacked before the services start", () => {
    const ud = parseCloudConfig(buildSeed(input({ os: "ubuntu", payloads: { app: true, nodeRuntime: true } })).userData);
    const run = ud.runcmd as string[];
    assert.match(run[0] ?? "", /findfs LABEL=cidata/);
    assert.ok(run.some((c) => c.includes(`/mnt/cidata/${APP_TARBALL} -C /opt/trustnet/app`)));
    assert.ok(run.includes(`install -m 0755 /mnt/cidata/${NODE_BINARY} /usr/local/bin/node`), run.join("\n"));
    assert.ok(run.indexOf("umount /mnt/cidata") < run.indexOf("systemctl enable trustnet-node.service"));
    assert.deepEqual(payloadCommands(undefined), []);
    assert.ok(!run.some((c) => c.includes("/usr/local/bin/cometbft")), "no cometbft unless shipped");
  });
  test("the guest's CometBFT binary is installed on PATH before the node service starts", () => {
    const run = parseCloudConfig(buildSeed(input({ os: "ubuntu", payloads: { app: true, nodeRuntime: true, cometbft: true } })).userData).runcmd as string[];
    const i = run.findIndex((c) => c === `install -m 0755 /mnt/cidata/${COMETBFT_FILE} /usr/local/bin/cometbft`);
    assert.ok(i > 0 && i < run.indexOf("umount /mnt/cidata"), run.join("\n"));
    assert.deepEqual(payloadCommands({ app: false, nodeRuntime: false, cometbft: true }).length, 3);
  });
  test("the ISO carries the payload files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-seed-"));
    try {
      const app = join(dir, "app.tgz");
      await writeFile(app, "tarball bytes");
      const iso = join(dir, "cidata.iso");
      await writeSeedIso($, buildSeed(input({ payloads: { app: true, nodeRuntime: false } })), iso, [{ name: APP_TARBALL, path: app }]);
      const out = join(dir, "back");
      assert.equal((await $`xorriso -osirrox on -indev ${iso} -extract ${`/${APP_TARBALL}`} ${out}`).exitCode, 0);
      assert.equal(await readFile(out, "utf8"), "tarball bytes");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("service wrapper", () => {
  test("sets the type-stripping flag only for Node 22.6-22.17 (Alpine's nodejs)", async () => {
    const line = wrapperScript("node").split("\n").find((l) => l.startsWith("case "));
    assert.ok(line !== undefined);
    const dir = await mkdtemp(join(tmpdir(), "tn-wrap-"));
    try {
      const opts = async (version: string): Promise<string> => {
        await writeFile(join(dir, "node"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
        const r = await $`sh -c ${`PATH="${dir}:$PATH"; unset NODE_OPTIONS; ${line}\necho "[$NODE_OPTIONS]"`}`;
        return r.stdout.trim();
      };
      assert.equal(await opts("v22.15.0"), "[--experimental-strip-types --disable-warning=ExperimentalWarning]");
      assert.equal(await opts("v22.6.0"), "[--experimental-strip-types --disable-warning=ExperimentalWarning]");
      assert.equal(await opts("v22.18.0"), "[]");
      assert.equal(await opts("v24.21.0"), "[]");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
