# Provisioner: QEMU for ARM64 guests, UEFI firmware, qemu-img, an ISO tool for cloud-init seeds, cpio for
# initramfs images, and the tiny ARM64 test guest (Debian arm64 kernel + busybox + dropbear), built from
# Debian packages without emulation and cached by recipe hash under ~/.cache/trustnet-test/provisioner-guest/.
apt_install qemu-system-arm qemu-efi-aarch64 qemu-utils xorriso cpio
guest_cache="${TRUSTNET_TEST_CACHE:-$HOME/.cache/trustnet-test}/provisioner-guest"
guest_key=$(cat "$root/provisioner/test-guest/build-guest.sh" "$root/provisioner/test-guest/init" | sha256sum | cut -c1-16)
if [ ! -s "$guest_cache/$guest_key/initramfs.cpio.gz" ] || [ ! -s "$guest_cache/$guest_key/vmlinuz" ]; then
  step "building the ARM64 test guest from Debian arm64 packages (once; cached in $guest_cache/$guest_key)"
  try "building the ARM64 test guest (provisioner/test-guest/build-guest.sh)" \
    "it downloads Debian arm64 packages with apt-get: check the network and /etc/apt/sources.list; run the command above by hand to see all of its output" \
    sh "$root/provisioner/test-guest/build-guest.sh" "$guest_cache/$guest_key"
fi
