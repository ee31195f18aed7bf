#!/usr/bin/env bash
# The project's synthesize command (npm run synth): lib/generated/, charts/cinder-csi/ and dist/ from the
# constructs. On a fresh clone it first installs the npm dependencies the lock file pins. Needs no cdk8s CLI and no
# Helm. Transpile-only for speed: `npx tsc --noEmit` checks types.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node -r ts-node/register/transpile-only scripts/synth.ts
