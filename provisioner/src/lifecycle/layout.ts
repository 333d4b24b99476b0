/** Where a VM's files live: $TRUSTNET_HOME/vms/<name>/ (pure path helpers). */
import { join } from "node:path";
import { InvalidConfigError } from "../errors.ts";

export function vmsRoot(home: string): string {
  return join(home, "vms");
}

/** The ULA segment's unix datagram sockets (a 0700 directory). */
export function netDir(home: string): string {
  return join(vmsRoot(home), ".net");
}

export function lockFile(home: string): string {
  return join(vmsRoot(home), ".lock");
}

export function vmDir(home: string, name: string): string {
  validateVmName(name);
  return join(vmsRoot(home), name);
}

export function isVmName(name: string): boolean {
  return /^[a-z][a-z0-9-]{0,39}$/.test(name);
}

export function validateVmName(name: string): void {
  if (!isVmName(name)) {
    throw new InvalidConfigError(`invalid VM name ${JSON.stringify(name)}: use 1-40 lowercase letters, digits and '-', starting with a letter`);
  }
}

/** File names inside a VM directory. */
export const FILES = {
  record: "vm.json",
  pid: "qemu.pid",
  bootId: "qemu.boot-id",
  qmp: "qmp.sock",
  serialLog: "serial.log",
  knownHosts: "known_hosts",
  disk: "disk.qcow2",
  cidata: "cidata.iso",
  efiVars: "efi-vars.fd",
  initrd: "initrd.img",
} as const;

export const startScriptName = (name: string): string => `start-${name}.sh`;
export const stopScriptName = (name: string): string => `stop-${name}.sh`;

/** Unix socket paths are limited to 107 bytes; QEMU fails obscurely past that, so we check first. */
export function checkSocketPath(path: string): void {
  if (Buffer.byteLength(path) > 107) {
    throw new InvalidConfigError(`socket path too long (${Buffer.byteLength(path)} > 107 bytes): ${path}`, "use a shorter TRUSTNET_HOME");
  }
}
