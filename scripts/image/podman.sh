#!/usr/bin/env bash
# podman on the project's private container store (scripts/image/containers-env.sh), where build.sh puts the driver
# image: scripts/image/podman.sh run --rm localhost/cinder-csi-plugin:dev --version
set -euo pipefail
# shellcheck source=containers-env.sh
. "$(dirname "$0")/containers-env.sh"
exec podman "$@"
