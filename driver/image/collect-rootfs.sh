#!/bin/sh
# Assembles the driver image's whole file system under $1 (the Dockerfile's final stage is FROM scratch and copies
# it): the programs below, each with exactly the shared libraries it loads (ldd), and the few files they read.
# Runs in the Dockerfile's rootfs stage, a Debian with the packages that ship these programs installed; nothing else
# of that stage (apt, dpkg, perl, python3, coreutils) reaches the image.
set -eu
out=$1

# What the node service runs (driver/src/mounter, driver/src/metadata/config-drive.ts), and what those run:
# xfs_info is a sh script calling losetup, findmnt, tail, xfs_spaceman and xfs_db.
programs='node sh
  mount umount blkid findmnt losetup tail udevadm
  mkfs.ext3 mkfs.ext4 e2fsck resize2fs dumpe2fs
  mkfs.xfs xfs_growfs xfs_info xfs_spaceman xfs_db
  mcopy xorriso'

# Debian's merged /usr: /bin, /sbin, /lib and /lib64 are links into /usr, as in the base image.
mkdir -p "$out/usr/bin" "$out/usr/sbin" "$out/usr/lib" "$out/usr/lib64"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$out/$d"; done

# Copies a file to the same place under $out, by the name it is called (a link becomes a copy of its target: mcopy is
# mtools, mkfs.ext4 is mke2fs, and each tells by its own name what to do).
copy() {
  dir=$(realpath "$(dirname "$1")")
  mkdir -p "$out$dir"
  cp -L "$1" "$out$dir/$(basename "$1")"
}

for program in $programs; do
  path=$(command -v "$program") || { echo "collect-rootfs: $program is not installed" >&2; exit 1; }
  copy "$path"
  # The loader and every library, by the name the program asks for; a script has none (ldd then fails).
  { ldd "$path" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u \
    | while read -r lib; do copy "$lib"; done
done

# Files those programs read: mke2fs its defaults, libc the name-service order, the node user's entry (uid 1000,
# the image's default user), /etc/mtab as Debian has it, and the system CA bundle.
mkdir -p "$out/etc/ssl/certs" "$out/tmp" "$out/run" "$out/proc" "$out/sys" "$out/dev"
chmod 1777 "$out/tmp"
cp /etc/mke2fs.conf /etc/nsswitch.conf "$out/etc/"
cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/"
ln -s ../proc/self/mounts "$out/etc/mtab"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000:node:/nonexistent:/usr/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$out/etc/group"
