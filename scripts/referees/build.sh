#!/usr/bin/env bash
# Builds the outside referees listed in scripts/referees/referees.tsv from the Go module proxy, once per version:
# each binary lands in $CINDER_CSI_CACHE/bin/<name>-<version> (default /var/cache/cinder-csi) and is reused by every
# later run, from any clone. Also fetches the external-snapshotter CRDs at the snapshotter's version.
# Usage: scripts/referees/build.sh [--bench] [name ...]   (no names: all of them). Prints one line per referee.
# --bench reads scripts/referees/bench.tsv instead (same columns): the referees only `npm run bench` needs (the upstream
# cinder-csi-plugin), never built by npm test.
# Fails with a clear message when Go or the module proxy is missing: the suites that need a referee never skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CINDER_CSI_CACHE:-/var/cache/cinder-csi}
mkdir -p "$cache/bin" "$cache/crds" "$cache/build"

command -v go >/dev/null || { echo "referees: the Go toolchain (go) is not on PATH; install Go >= 1.24 to build csi-sanity, the sidecars and Kubernetes" >&2; exit 1; }
export GOFLAGS=-buildvcs=false
export CGO_ENABLED=${CGO_ENABLED:-0}

k8s_ldflags() { # $1 = version vX.Y.Z
  local v=$1 minor
  minor=$(echo "$v" | cut -d. -f2)
  local p=k8s.io/component-base/version
  echo "-s -w -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.buildDate=1970-01-01T00:00:00Z -X k8s.io/client-go/pkg/version.gitVersion=$v"
}

module_dir() { # $1 = module, $2 = version: prints the module's directory in the (read-only) module cache
  local json
  json=$(go mod download -json "$1@$2") || { echo "referees: cannot download $1@$2 from the Go module proxy ($(go env GOPROXY))" >&2; return 1; }
  echo "$json" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

build_one() { # name module version pkg how [tag]
  local name=$1 mod=$2 ver=$3 pkg=$4 how=$5 tag=${6:-$3}
  local out="$cache/bin/$name-$tag"
  if [ -x "$out" ]; then echo "referees: $name $tag (cached: $out)"; return 0; fi
  # One build of a referee at a time on this machine (two test runs may ask at once); the second waits, then reuses it.
  exec 9>"$cache/build/$name.lock"
  flock 9
  if [ -x "$out" ]; then flock -u 9; echo "referees: $name $tag (cached: $out)"; return 0; fi
  local start=$SECONDS tmp
  case $how in
    install)
      tmp=$(mktemp -d "$cache/build/$name.XXXX")
      GOBIN=$tmp go install -ldflags "-s -w" "$mod/$pkg@$ver"
      mv "$tmp/$(basename "$pkg")" "$out.part"; rm -rf "$tmp" ;;
    module)
      # The module's own go.mod has replace directives, which apply only when building inside it: build a writable copy.
      local dir; dir=$(module_dir "$mod" "$ver")
      tmp=$(mktemp -d "$cache/build/$name.XXXX")
      cp -r "$dir/." "$tmp/"; chmod -R u+w "$tmp"
      # A replace by a nested module's local folder (external-snapshotter: client/v8 => ./client) has no folder in
      # the module zip: use that nested module's release of the same tag from the proxy instead.
      (cd "$tmp" && go mod edit -json | node -e '
        const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
        for (const r of m.Replace ?? []) if (r.New.Path.startsWith("./") && !require("fs").existsSync(r.New.Path)) console.log(r.Old.Path);
      ' | while read -r nested; do go mod edit -replace "$nested=$nested@$tag"; done) || { rm -rf "$tmp"; return 1; }
      (cd "$tmp" && go build -mod=mod -ldflags "-s -w -X main.version=$tag" -o "$out.part" "./$pkg") || { rm -rf "$tmp"; return 1; }
      rm -rf "$tmp" ;;
    k8s)
      (cd "$here/k8s" && go build -ldflags "$(k8s_ldflags "$ver")" -o "$out.part" "$( [ "$mod" = k8s.io/kubernetes ] && echo "$mod/$pkg" || echo "./$pkg")") ;;
    *) echo "referees: unknown build kind '$how' for $name" >&2; return 1 ;;
  esac
  mv "$out.part" "$out"
  flock -u 9
  echo "referees: $name $tag built in $((SECONDS - start)) s ($out)"
}

# external-snapshotter's CRDs (VolumeSnapshotClass, VolumeSnapshot, VolumeSnapshotContent) at the snapshotter's version.
fetch_crds() { # version
  local ver=$1 out="$cache/crds/snapshot-$1"
  if [ -d "$out" ]; then echo "referees: snapshot CRDs $ver (cached: $out)"; return 0; fi
  local dir; dir=$(module_dir github.com/kubernetes-csi/external-snapshotter/client/v8 "$ver")
  mkdir -p "$out.part"
  cp "$dir"/config/crd/snapshot.storage.k8s.io_*.yaml "$out.part/"
  chmod -R u+w "$out.part"; mv "$out.part" "$out"
  echo "referees: snapshot CRDs $ver ($out)"
}

table="$here/referees.tsv"
if [ "${1:-}" = --bench ]; then table="$here/bench.tsv"; shift; fi
wanted=("$@")
while IFS=$'\t' read -r name mod ver pkg how tag; do
  case $name in ''|'#'*) continue ;; esac
  if [ ${#wanted[@]} -gt 0 ] && ! printf '%s\n' "${wanted[@]}" | grep -qx "$name"; then continue; fi
  build_one "$name" "$mod" "$ver" "$pkg" "$how" "$tag"
  if [ "$name" = csi-snapshotter ]; then fetch_crds "$ver"; fi
done < "$table"
