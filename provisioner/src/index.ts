/** Public API of the provisioner (house rule 19: explicit named exports, no deep imports from other areas). */
export { makeVmCommand, realVmIo, DEFAULT_VM_CONFIG, type VmAppFacts, type VmCliIo } from "./cli/vm-command.ts";
export { vmUp, waitVm, loadConfig, type UpDeps, type UpOptions } from "./cli/vm-up.ts";
export { statusAll, stopMany, type StatusWithHealth } from "./cli/vm-actions.ts";
export { allVmNames, canonicalName, planVm, NODE_VM, REGISTRY_VM, type PlannedVm } from "./cli/vm-plan.ts";
export { buildSeed, type Seed, type SeedInput } from "./cloud-init/seed.ts";
export { writeSeedIso } from "./cloud-init/iso.ts";
export { NODE_SERVICE_COMMAND, REGISTRY_SERVICE_COMMAND, HEALTH_COMMANDS, GUEST_APP_DIR, type GuestOs } from "./cloud-init/services.ts";
export { createOverlay, imageInfo, checkDiskSize } from "./disks.ts";
export {
  ProvisionError, MissingDependencyError, InvalidConfigError, IncompatibleChainError, ChecksumMismatchError, DownloadError, PortInUseError,
  VmStateError, LockedError, VmTimeoutError, CommandFailedError, NotOwnerError,
} from "./errors.ts";
export { requireStateOwner, userName } from "./lifecycle/owner.ts";
export { checked, realShell, shell, type Shell } from "./shell.ts";
export { CATALOG, findImage, type ImageEntry } from "./images/catalog.ts";
export { ensureImage, type CachedImage, type EnsureImageDeps } from "./images/ensure-image.ts";
export { createVm, startVm, stopVm, destroyVm, vmStatus, listVms, readRecord, type LifecycleDeps, type StopMethod, type VmStatus } from "./lifecycle/vm.ts";
export { realLifecycleDeps } from "./lifecycle/real-deps.ts";
export type { VmRecord } from "./lifecycle/record.ts";
export { waitReady, type ReadinessPlan } from "./lifecycle/ready.ts";
export { abortOnSignals, followSerialLog, FOLLOW_INTERVAL_MS, type FollowEnd, type FollowOptions } from "./lifecycle/serial-follow.ts";
export { sshExec, HostKeyMismatchError, type SshTarget, type SshResult } from "./lifecycle/ssh-exec.ts";
export { sshOptionPath } from "./ssh/option-path.ts";
export { loadOrCreateNetwork, addressOf, macFor, segmentOf, type UlaNetwork, type VmRole } from "./network/ula.ts";
export { DEFAULT_CONFIG, parseVmConfig, parseValidatorCount, type VmConfig, type VmKind, type VmProfile } from "./profiles.ts";
export { buildQemuArgv, chooseAccelerator } from "./qemu/argv.ts";
export { probeHost, type ProbeDeps, type ProbeOptions } from "./qemu/probe.ts";
export { realProbeDeps } from "./qemu/probe-deps.ts";
export type { HostFeatures, VmSpec, Firmware } from "./qemu/types.ts";
export {
  LEASE_IMAGES, LEASE_USER, LIMITS_ENFORCED, BANDWIDTH_NOT_ENFORCED, leaseVmName, vcpusFor, hostKeyFingerprint, fingerprintOfBlob, validateLeaseVmSpec,
  type LeaseImage, type LeaseResources, type LeaseVmSpec,
} from "./lease/spec.ts";
export { catalogBootSource, kernelBootSource, type LeaseBootSource, type PreparedBoot } from "./lease/boot-source.ts";
export {
  claimLeaseVm, prepareLeaseVm, startLeaseVm, destroyLeaseVm, drainLeaseConsole, leaseConsoleTail, followLeaseConsole, listLeaseVms, readLeaseRecord, leaseVmState, leaseQemuProcesses, leaseDir, leasesRoot,
  LeaseVmExistsError, type LeaseVmRecord,
} from "./lease/lease-vm.ts";
export { probeLeaseReady, type ReadyProbeResult, type ReadyProbeTarget } from "./lease/ready-probe.ts";
export { portFree } from "./lifecycle/ports.ts";
export { shQuote } from "./lifecycle/scripts.ts";
export { stderrProgress } from "./images/progress.ts";
