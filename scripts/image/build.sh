#!/usr/bin/env bash
# Builds the driver's image from driver/Dockerfile, unchanged, with buildah into the project's private container store
# (scripts/image/containers-env.sh), from the stand-in base images (build-base-images.sh, made first when missing).
# The image is tagged localhost/cinder-csi-plugin:<hash of the build context and base images> and :dev; an image with
# that hash is reused without building. npm in the build trusts this machine's CA bundle (npm's cafile), given as the
# Dockerfile's optional npm-ca build secret. Prints the tag as its last line of stdout; the build log goes to stderr.
# Usage: scripts/image/build.sh [--force]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
driver=$(cd "$here/../../driver" && pwd)
bash "$here/build-base-images.sh" >&2
# shellcheck source=containers-env.sh
. "$here/containers-env.sh"

# The context is what driver/.dockerignore admits; the hash covers it and the base images it starts from.
context_hash() {
  {
    (cd "$driver" && find Dockerfile .dockerignore package.json package-lock.json tsconfig.json tsconfig.build.json scripts/bundle.js scripts/bundle-loader.js src image \
      -type f -print0 | sort -z | xargs -0 sha256sum)
    podman image inspect --format '{{.Id}}' docker.io/library/debian:bookworm-slim docker.io/library/node:22-bookworm-slim
  } | sha256sum | cut -c1-16
}
tag=localhost/cinder-csi-plugin:$(context_hash)
if [ "${1:-}" != --force ] && podman image exists "$tag"; then
  echo "image: $tag (cached)" >&2
  echo "$tag"
  exit 0
fi

exec 9>"$image_root/driver-build.lock"
flock 9
if [ "${1:-}" != --force ] && podman image exists "$tag"; then echo "$tag"; exit 0; fi
secret=()
cafile=$(npm config get cafile 2>/dev/null || true)
[ -n "$cafile" ] && [ "$cafile" != null ] && [ -s "$cafile" ] && secret=(--secret "id=npm-ca,src=$cafile")
start=$SECONDS
buildah bud --pull=never --network host --layers "${secret[@]}" -t "$tag" -t localhost/cinder-csi-plugin:dev \
  -f "$driver/Dockerfile" "$driver" >&2 || { echo "image: buildah bud driver/Dockerfile failed" >&2; exit 1; }
echo "image: built $tag in $((SECONDS - start)) s" >&2
# Earlier builds of the driver image go (a run after a change to driver/src leaves one); build-cache layers stay for a
# week, so the Debian tools stage is not rebuilt every time.
podman images --format '{{.Repository}}:{{.Tag}}' localhost/cinder-csi-plugin | grep -vxF -e "$tag" -e localhost/cinder-csi-plugin:dev \
  | xargs -r podman rmi >/dev/null 2>&1 || true
podman image prune --force --filter until=168h >/dev/null 2>&1 || true
echo "$tag"
