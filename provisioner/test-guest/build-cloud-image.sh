#!/bin/sh
# Builds an ARM64 Debian cloud-style qcow2 (systemd, openssh-server, cloud-init, a UEFI-bootable GPT disk with
# grub on the ESP) for the full-image test, with mmdebstrap --arch=arm64 under qemu-user-static (binfmt).
# Slow when cold (the package scripts run emulated): cache the output by recipe hash (the caller does).
# Usage: build-cloud-image.sh OUT_DIR   (writes OUT_DIR/image.qcow2)
# Needs (Debian): mmdebstrap qemu-user-static grub-common dosfstools mtools fdisk e2fsprogs qemu-utils; root for binfmt.
set -eu
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Stopped (the test runner stops a background build when an earlier phase fails): exit, so the EXIT trap cleans up.
trap 'exit 143' TERM
trap 'exit 130' INT
mirror="${TRUSTNET_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
fi

# Kept fast under emulation (every maintainer script runs through qemu-user):
# - no docs, man pages or translations unpacked;
# - the initramfs holds only the modules the boot needs (virtio PCI/block, ext4 and their dependencies), gzip;
# - Python is not byte-compiled by the package scripts (py3compile and py_compile.py are diverted while installing);
#   the host compiles the same files natively afterwards when its Python has the guest's version (bytecode is
#   architecture-independent), else the guest compiles on first import;
# - no ca-certificates (nothing in the test needs TLS).
pyver=3.11
mmdebstrap --quiet --arch=arm64 --variant=minbase \
  --include=systemd-sysv,openssh-server,cloud-init,ifupdown,isc-dhcp-client,iproute2,linux-image-arm64,grub-efi-arm64-bin,sudo,wget \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"' \
  --essential-hook='printf "MODULES=list\nCOMPRESS=gzip\n" > "$1/etc/initramfs-tools/conf.d/trustnet-test.conf"' \
  --essential-hook='printf "virtio_pci\nvirtio_blk\next4\n" > "$1/usr/share/initramfs-tools/modules.d/trustnet-test"' \
  --essential-hook="chroot \"\$1\" dpkg-divert --quiet --local --rename --add /usr/bin/py3compile && ln -s /bin/true \"\$1/usr/bin/py3compile\"" \
  --essential-hook="chroot \"\$1\" dpkg-divert --quiet --local --rename --divert /usr/lib/python$pyver/py_compile.py.real --add /usr/lib/python$pyver/py_compile.py && mkdir -p \"\$1/usr/lib/python$pyver\" && echo 'raise SystemExit(0)' > \"\$1/usr/lib/python$pyver/py_compile.py\"" \
  --customize-hook="rm -f \"\$1/usr/bin/py3compile\" \"\$1/usr/lib/python$pyver/py_compile.py\" && chroot \"\$1\" dpkg-divert --quiet --local --rename --remove /usr/bin/py3compile && chroot \"\$1\" dpkg-divert --quiet --local --rename --remove /usr/lib/python$pyver/py_compile.py" \
  --customize-hook='echo "LABEL=rootfs / ext4 defaults 0 1" > "$1/etc/fstab"' \
  --customize-hook='chroot "$1" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1 || true' \
  --customize-hook='printf "datasource_list: [ NoCloud, None ]\n" > "$1/etc/cloud/cloud.cfg.d/90-trustnet-test.cfg"' \
  bookworm "$work/root" "$mirror"
if command -v python3 >/dev/null 2>&1 && [ "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$pyver" ]; then
  python3 -m compileall -q -j 0 -s "$work/root" -p / "$work/root/usr/lib/python$pyver" "$work/root/usr/lib/python3/dist-packages" >/dev/null || true
fi

# The ESP: a standalone grub that finds the rootfs by label and boots the kernel with its initrd.
kver=$(ls "$work/root/boot" | sed -n 's/^vmlinuz-//p' | head -n1)
cat > "$work/grub.cfg" <<CFG
set timeout=0
search --no-floppy --label rootfs --set=root
linux /boot/vmlinuz-$kver root=LABEL=rootfs ro console=ttyAMA0 net.ifnames=0
initrd /boot/initrd.img-$kver
boot
CFG
grub-mkstandalone -O arm64-efi -d "$work/root/usr/lib/grub/arm64-efi" -o "$work/BOOTAA64.EFI" \
  --modules="part_gpt ext2 search search_label linux normal" "boot/grub/grub.cfg=$work/grub.cfg"
truncate -s 64M "$work/esp.img"
mkfs.vfat -F 32 -n ESP "$work/esp.img" >/dev/null
mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$work/esp.img" "$work/BOOTAA64.EFI" ::/EFI/BOOT/BOOTAA64.EFI

truncate -s 2560M "$work/root.img"
mkfs.ext4 -q -F -L rootfs -d "$work/root" "$work/root.img"
truncate -s 2626M "$work/disk.raw"
printf 'label: gpt\nstart=2048, size=131072, type=U\nstart=133120, type=L\n' | sfdisk -q "$work/disk.raw"
dd if="$work/esp.img" of="$work/disk.raw" bs=1M seek=1 conv=notrunc status=none
dd if="$work/root.img" of="$work/disk.raw" bs=1M seek=65 conv=notrunc status=none
mkdir -p "$out"
qemu-img convert -c -O qcow2 "$work/disk.raw" "$out/image.qcow2.tmp"
mv "$out/image.qcow2.tmp" "$out/image.qcow2"
