# Sourced by the image scripts (never run): points buildah and podman at the project's private container store under
# ${CINDER_CSI_CACHE:-/var/cache/cinder-csi}/images, shared by every clone and run on this machine, and writes its
# two settings files. The store holds the stand-in base images (build-base-images.sh) and the driver image (build.sh).
image_root=${CINDER_CSI_CACHE:-/var/cache/cinder-csi}/images
mkdir -p "$image_root"
export CONTAINERS_STORAGE_CONF=$image_root/storage.conf CONTAINERS_CONF=$image_root/containers.conf
# Rewritten only when different, so a concurrent reader never sees a half-written file.
write_if_changed() { # $1 = file; stdin = content
  local tmp; tmp=$(mktemp "$1.XXXX")
  cat > "$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}
write_if_changed "$CONTAINERS_STORAGE_CONF" <<C
[storage]
driver = "overlay"
graphroot = "$image_root/storage"
runroot = "$image_root/runroot"
C
# runc: crun refuses this kind of VM's mixed cgroup set-up. The VM cannot raise these limits above these values, and
# podman's defaults ask for more. Host networking everywhere: a bridge network would add iptables chains to the host.
write_if_changed "$CONTAINERS_CONF" <<'C'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "host"
[engine]
runtime = "runc"
C
