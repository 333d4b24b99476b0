// OpenSSH public keys made with ssh-keygen (test fixtures; the private halves were discarded).
export const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDLADmzpnTNPs8QWGn3acBbnRy0o/fwdwICqmz+DiK0 t@x";
export const ED25519_FINGERPRINT = "SHA256:u0LLIQziaYPjKT3lOUIpd5NF4CHRg8H+YjHoyW5ruBk";
export const ECDSA_P256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBojMtRNsBcxiBN7Q9EXdQIWtS4tcMcDCV36cVoL9pzwTWK9Ix9CTK0UFXbxDbm/napAHVcoU8EqPnMm1OxDZRw= t@x";
export const ECDSA_P384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBFjQB97o2RKfGppqu3PFmprdfR/2J2E+Qk0X8lcSPeFyjIWre9hGf31p0m+z0AFEmpUbIV62nnL65Y/8F49MQ6QyLVYZYUg4P89ynOVm2kL0ZSnq4e9u4Ol/Fol3myansA== t@x";
export const RSA_2048 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQD2U1XD0NYzTNZ0TTvEpzhmYfb0v+fPVQqEVl/IO55xgEic5yR+v8fBN0AX562TMCk72I+uX1wEHGZURPzgUowR+FZ9jajsaL/eQ2VQQg0UT1Feqj+DWwsmECjhDWNtTL8KC74QH1AmURHuEyBI+CowSOb5bJgE6n/SevGSVMzSfjvz4MexTCLU4XXlehBkFtHAK/wMujrFNfYuXq1iL2CHZ7KfLxBQWtpfjDOWfUx/ZOiMfRuSHCSJ1DchA6VKYWn7jeJRmhrg/+z0WcvWMn+qpHPhhk7YcYHzWWKHYq5hWLxww8IM2gXrJwxRxrKut2gWIYSqJ2Por80gB4o1AAKt t@x";
export const RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAzzj5Wv8rO/EXz8xISdPDCUXGEokkf4EwVKsS52+HhgZE7xM7KOtXLBj7unXeKG7l3Ui6vPT4VpZ3B/qyjzGOo5kuf1iCjCM8krXdRqV1sNvXjLdMQAebrFQyTBHMESmJP4hwif2mQiIcnlsDuSaop44Aehp+Ijhie1+tkRnTYw== t@x";
export const RSA_2048_FINGERPRINT = "SHA256:nMDz229efiECtwnoy4LmHZ03LhI0Rtl6jvsp1s1vmgE";
export const ECDSA_P521 = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAGoNF+OoQe0QMdla9DR719EF+7ikRgJxm/8kxCNci5xbKYLWMzmBJMm7pVC7iTcAfEOHDf386AFJk7hBQxDkxU19gD/leJYOVULpYPOHs/UAOTcvq4jq1kuZ4NAYkicromoN2IMC6pM4w/uhBJP2ZZRK7IwpfvnDXZbabQe43kRE8JwUw== t@x";

// Keys the chain used to accept that OpenSSH refuses (ssh-keygen -lf says "is not a public key file"), built here
// from their parts: a lease naming one would never become ready.
const u32 = (n: number): Uint8Array => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const sshString = (b: Uint8Array | string): Uint8Array[] => {
  const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
  return [u32(bytes.length), bytes];
};
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex"));

/** An authorized_keys line from the key blob's fields. */
export function sshKeyLine(type: string, ...fields: (Uint8Array | string)[]): string {
  return `${type} ${Buffer.concat([...sshString(type), ...fields.flatMap(sshString)]).toString("base64")} t@x`;
}

/** An ECDSA key line for the point (x, y), on its curve or not. */
export function ecdsaKey(curve: "nistp256" | "nistp384" | "nistp521", x: bigint, y: bigint): string {
  const size = { nistp256: 32, nistp384: 48, nistp521: 66 }[curve];
  const coord = (v: bigint) => hexBytes(v.toString(16).padStart(size * 2, "0"));
  return sshKeyLine(`ecdsa-sha2-${curve}`, curve, new Uint8Array([4, ...coord(x), ...coord(y)]));
}

/** An RSA key line with this exponent and modulus (hex, written as the mpint bytes: no 0x00 is added). */
export const rsaKey = (eHex: string, nHex: string): string => sshKeyLine("ssh-rsa", hexBytes(eHex), hexBytes(nHex));
