#!/bin/sh
# Builds the tiny ARM64 test guest (Debian arm64 kernel + virtio modules, busybox-static, dropbear) from
# Debian packages, without emulation: apt-get download + dpkg-deb -x, then a newc initramfs.
# Usage: build-guest.sh OUT_DIR   (writes OUT_DIR/vmlinuz and OUT_DIR/initramfs.cpio.gz)
# Needs: apt-get, dpkg-deb, cpio, gzip, and the Debian mirror. Does not touch dpkg's architecture list.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mirror="${TRUSTNET_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${TRUSTNET_DEBIAN_SUITE:-bookworm}"

mkdir -p "$work/apt/state/lists/partial" "$work/apt/cache/archives/partial" "$work/debs" "$work/root"
echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$work/apt/sources.list"
echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${TRUSTNET_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} $suite-security main" >> "$work/apt/sources.list"
cat > "$work/apt/apt.conf" <<CONF
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Dir::State "$work/apt/state";
Dir::State::status "/dev/null";
Dir::Cache "$work/apt/cache";
Dir::Etc::SourceList "$work/apt/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$work/apt/apt.conf"
apt-get update -qq 2>&1 | grep -v "unsandboxed" >&2 || true
kernel=$(apt-cache depends linux-image-arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-arm64\)$/\1/p' | head -n1)
[ -n "$kernel" ] || { echo "error: could not resolve linux-image-arm64 from $mirror" >&2; exit 1; }
cd "$work/debs"
apt-get download -qq "$kernel" busybox-static dropbear-bin libc6 libcrypt1 zlib1g libtomcrypt1 libtommath1 libgmp10
for d in *.deb; do dpkg-deb -x "$d" "$work/root"; done
cd "$work"

kver=${kernel#linux-image-}
r="$work/initramfs"
mkdir -p "$r/bin" "$r/sbin" "$r/etc/dropbear" "$r/lib/modules" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/tmp" "$r/run" "$r/var/log"
cp "$work/root/bin/busybox" "$r/bin/busybox"
# busybox is aarch64, so its applet list cannot be printed here: link the applets the init script uses.
for a in sh mount mkdir cat insmod hostname ip cp chmod head echo sync poweroff sleep ls ping ping6 uname ps dmesg sed grep cut true false kill; do
  ln -sf busybox "$r/bin/$a"
done
mkdir -p "$r/usr/sbin" "$r/usr/bin" "$r/lib/aarch64-linux-gnu" "$r/usr/lib/aarch64-linux-gnu"
cp "$work/root/usr/sbin/dropbear" "$r/usr/sbin/dropbear"
for lib in libc.so.6 libcrypt.so.1 libz.so.1 libtomcrypt.so.1 libtommath.so.1 libgmp.so.10 libutil.so.1; do
  for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
    for f in "$work/root/$d/$lib"*; do [ -e "$f" ] && cp -aL "$f" "$r/$d/"; done
  done
done
# The loader at the path the binaries ask for (/lib/ld-linux-aarch64.so.1).
for f in "$work/root/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" "$work/root/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"; do
  [ -e "$f" ] && { cp -L "$f" "$r/lib/ld-linux-aarch64.so.1"; break; }
done
[ -e "$r/lib/ld-linux-aarch64.so.1" ] || { echo "error: ld-linux-aarch64.so.1 not found in libc6:arm64" >&2; exit 1; }

# Modules, in load order (virtio is =m on Debian's arm64 kernel; gpio-keys for the power button).
: > "$r/etc/modules.order"
for m in failover net_failover virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mmio virtio_net virtio_blk virtio-rng gpio-pl061 gpio_keys evdev; do
  f=$(find "$work/root/lib/modules/$kver" -name "$m.ko" | head -n1)
  [ -n "$f" ] || continue
  cp "$f" "$r/lib/modules/$m.ko"
  echo "$m" >> "$r/etc/modules.order"
done
grep -q '^virtio_net$' "$r/etc/modules.order" || { echo "error: virtio_net.ko not found in $kernel" >&2; exit 1; }
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\n' > "$r/etc/group"
printf '/bin/sh\n' > "$r/etc/shells"
cp "$here/init" "$r/init"
chmod 755 "$r/init"
mkdir -p "$out"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initramfs.cpio.gz.tmp"
cp "$work/root/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
echo "$kernel" > "$out/kernel-package"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
