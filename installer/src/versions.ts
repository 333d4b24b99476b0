/** Pinned versions of everything TrustNet installs. One place, read by install.sh and the test prerequisites too. */
export const COMETBFT_VERSION = "0.38.25";
export const NODE_VERSION = "24.21.0";
