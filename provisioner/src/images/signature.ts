/** gpgv verification of Ubuntu's SHA256SUMS against the pinned cloud-image signing key. */
import { ProvisionError } from "../errors.ts";
import type { Shell } from "../shell.ts";

/** Keyrings that may hold the Ubuntu cloud-image key (ubuntu-keyring on Ubuntu hosts), first found wins. */
export function keyringCandidates(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  return [env.TRUSTNET_UBUNTU_KEYRING, "/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg"].filter((k): k is string => k !== undefined && k !== "");
}

export type SignatureResult = { readonly verified: true; readonly fingerprint: string } | { readonly verified: false; readonly reason: string };

/** The fingerprint from gpgv's `--status-fd` output, when the signature is good. */
export function validSigFingerprint(status: string): string | undefined {
  return /^\[GNUPG:\] VALIDSIG ([0-9A-F]{40})/m.exec(status)?.[1];
}

/**
 * Verifies `sig` over `data` with gpgv. Refuses (throws) a bad signature or one by another key than `fingerprint`.
 * Returns verified:false (the caller warns) when gpgv or the keyring is not available.
 */
export async function verifySums($: Shell, exists: (p: string) => Promise<boolean>, keyrings: readonly string[], sigFile: string, dataFile: string, fingerprint: string): Promise<SignatureResult> {
  let keyring: string | undefined;
  for (const k of keyrings) if (await exists(k)) { keyring = k; break; }
  if (keyring === undefined) return { verified: false, reason: `no Ubuntu cloud-image keyring (${keyrings.join(", ")}); install ubuntu-keyring or set TRUSTNET_UBUNTU_KEYRING` };
  const r = await $`gpgv --status-fd 1 --keyring ${keyring} ${sigFile} ${dataFile}`;
  if (r.exitCode === 127) return { verified: false, reason: "gpgv is not installed" };
  const fpr = validSigFingerprint(r.stdout);
  if (r.exitCode !== 0 || fpr === undefined) {
    throw new ProvisionError(`the signature on SHA256SUMS does not verify (gpgv exit ${r.exitCode}): ${r.stderr.trim()}`, "the mirror may be compromised or out of date; nothing was downloaded");
  }
  if (fpr !== fingerprint) throw new ProvisionError(`SHA256SUMS is signed by ${fpr}, not the pinned Ubuntu cloud-image key ${fingerprint}`, "refusing the image");
  return { verified: true, fingerprint: fpr };
}
