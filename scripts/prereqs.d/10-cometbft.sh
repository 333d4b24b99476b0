# CometBFT, pinned, built from the Go module proxy (the release tarballs are not reachable from CI).
COMETBFT_VERSION=$(sed -n 's/.*COMETBFT_VERSION *= *"\(.*\)".*/\1/p' "$root/installer/src/versions.ts")
if [ "$("$bin/cometbft" version 2>/dev/null)" != "$COMETBFT_VERSION" ]; then
  command -v go >/dev/null 2>&1 || { echo "error: Go >= 1.22 is needed to build CometBFT for the tests (apt-get install golang)" >&2; exit 1; }
  step "building CometBFT v$COMETBFT_VERSION with go install (once; cached in $bin)"
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@v$COMETBFT_VERSION"
fi
