/**
 * The NoCloud seed of a lease VM booted from a catalog image: one user (`tenant`) whose only authorized keys are
 * the tenant's, no root login, no password, and the SSH host key the daemon generated (so its fingerprint is known
 * before boot and published on chain). The provider's own keys are never installed. Documents are JSON (valid YAML).
 */
import { createHash } from "node:crypto";
import { alpineKeyLoginCommand, type Seed } from "../cloud-init/seed.ts";
import { openSshPrivateKey, openSshPublicLine, type Ed25519Key } from "../ssh/keys.ts";
import { LEASE_USER, leaseVmName, type LeaseVmSpec } from "./spec.ts";

/**
 * Characters YAML 1.1 (cloud-init's PyYAML) may not carry raw: DEL and the C1 controls are refused outright ("unacceptable
 * character": the whole user-data is dropped, so the tenant's user is never made), U+FFFE/U+FFFF too, and NEL, LS and PS
 * are read as line breaks (folded to a space). JSON leaves them raw; a tenant's key comment may hold them.
 */
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/gu;
const escapeForYaml = (json: string): string => json.replace(YAML_UNSAFE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
/** A JSON document (valid YAML, the same value read either way: every character YAML cannot hold raw is a \u escape). */
const doc = (header: string, value: unknown): string => `${header}${escapeForYaml(JSON.stringify(value, null, 2))}\n`;

export function buildLeaseSeed(spec: LeaseVmSpec, hostKey: Ed25519Key, userNicMac: string): Seed {
  const name = leaseVmName(spec.leaseId);
  const alpine = spec.image.startsWith("alpine-");
  const userData = {
    hostname: name,
    preserve_hostname: false,
    users: [{
      name: LEASE_USER,
      gecos: `TrustNet lease ${spec.leaseId}`,
      groups: alpine ? ["wheel"] : ["sudo"],
      shell: alpine ? "/bin/ash" : "/bin/bash",
      lock_passwd: true,
      sudo: "ALL=(ALL) NOPASSWD:ALL",
      ssh_authorized_keys: spec.sshPubkeys.map((k) => k.trim()),
    }],
    disable_root: true,
    ssh_pwauth: false,
    ssh_deletekeys: true,
    ssh_genkeytypes: ["ed25519"],
    // A fixed check word keeps the seed byte-identical for the same key (golden tests, idempotent re-provisioning).
    ssh_keys: { ed25519_private: openSshPrivateKey(hostKey, `root@${name}`, 0x6c65_6173), ed25519_public: openSshPublicLine(hostKey, `root@${name}`) },
    write_files: [{ path: "/etc/ssh/sshd_config.d/50-trustnet-lease.conf", content: "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n", permissions: "0644" }],
    // Alpine's sshd (no PAM) refuses key logins to a "!" (locked) account: cloud-init/seed.ts, alpineKeyLoginCommand.
    ...(alpine ? { runcmd: [alpineKeyLoginCommand(LEASE_USER)] } : {}),
  };
  const networkConfig = { version: 2, ethernets: { nat0: { match: { macaddress: userNicMac }, "set-name": "eth0", dhcp4: true, dhcp6: false } } };
  const instance = createHash("sha256").update(JSON.stringify([userData, networkConfig])).digest("hex").slice(0, 12);
  return {
    metaData: doc("", { "instance-id": `${name}-${instance}`, "local-hostname": name }),
    userData: doc("#cloud-config\n", userData),
    networkConfig: doc("", networkConfig),
  };
}
