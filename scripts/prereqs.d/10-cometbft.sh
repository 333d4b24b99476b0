# CometBFT, pinned, built from the Go module proxy (the release tarballs are not reachable from CI).
if [ "$("$bin/cometbft" version 2>/dev/null)" != "$COMETBFT_VERSION" ]; then
  need_go
  step "building CometBFT v$COMETBFT_VERSION with go install (once; cached in $bin)"
  try "building CometBFT v$COMETBFT_VERSION (go install)" "check that Go >= 1.22 works (go version) and that the Go module proxy is reachable (go env GOPROXY; a company CA goes in /usr/local/share/ca-certificates, then update-ca-certificates); then re-run" \
    env GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@v$COMETBFT_VERSION"
fi
