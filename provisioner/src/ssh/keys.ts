/**
 * ed25519 keys for VMs: client keys (when the host user has none) and pre-generated SSH host keys,
 * so the host pins the VM's host key in a per-VM known_hosts before the first boot.
 * Encodings: OpenSSH public line, OpenSSH private key (openssh-key-v1, unencrypted), dropbear's key file.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";

export interface Ed25519Key {
  /** 32-byte private seed. */
  readonly seed: Buffer;
  /** 32-byte public key. */
  readonly pub: Buffer;
}

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function generateEd25519(): Ed25519Key {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return { seed: Buffer.from(jwk.d ?? "", "base64url"), pub: Buffer.from(jwk.x ?? "", "base64url") };
}

/** Rebuilds a key from its 32-byte seed (tests, and reading back our own files). */
export function ed25519FromSeed(seed: Buffer): Ed25519Key {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const jwk = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ format: "jwk" });
  return { seed, pub: Buffer.from(jwk.x ?? "", "base64url") };
}

/** The wire-format public key blob: string "ssh-ed25519", string pub. */
export function publicBlob(k: Ed25519Key): Buffer {
  return Buffer.concat([sshString("ssh-ed25519"), sshString(k.pub)]);
}

/** "ssh-ed25519 AAAA... comment" */
export function openSshPublicLine(k: Ed25519Key, comment: string): string {
  return `ssh-ed25519 ${publicBlob(k).toString("base64")}${comment ? ` ${comment}` : ""}`;
}

/** An unencrypted openssh-key-v1 private key (what ssh-keygen writes; read by OpenSSH, cloud-init and ssh2). */
export function openSshPrivateKey(k: Ed25519Key, comment: string, check: number = randomBytes(4).readUInt32BE()): string {
  const priv = Buffer.concat([
    uint32(check), uint32(check),
    sshString("ssh-ed25519"), sshString(k.pub), sshString(Buffer.concat([k.seed, k.pub])), sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), uint32(1),
    sshString(publicBlob(k)), sshString(Buffer.concat([priv, Buffer.from(pad)])),
  ]);
  const b64 = body.toString("base64").replace(/.{1,70}/g, "$&\n");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`;
}

/** dropbear's host key file for ed25519: string "ssh-ed25519", string (seed || pub). */
export function dropbearPrivateKey(k: Ed25519Key): Buffer {
  return Buffer.concat([sshString("ssh-ed25519"), sshString(Buffer.concat([k.seed, k.pub]))]);
}

/** A known_hosts line pinning `k` for 127.0.0.1:<port> (OpenSSH's bracketed form for non-22 ports). */
export function knownHostsLine(port: number, k: Ed25519Key): string {
  const host = port === 22 ? "127.0.0.1" : `[127.0.0.1]:${port}`;
  return `${host} ${openSshPublicLine(k, "")}`;
}

/** Parses the key blob out of "ssh-ed25519 AAAA..." (a pinned known_hosts entry, an authorized key). */
export function blobFromPublicLine(line: string): Buffer | undefined {
  const m = /(?:^|\s)(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+)\s+([A-Za-z0-9+/=]+)/.exec(line);
  return m?.[2] === undefined ? undefined : Buffer.from(m[2], "base64");
}
