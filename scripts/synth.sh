#!/usr/bin/env bash
# The project's synthesize command (npm run synth): lib/generated/, charts/cinder-csi/ and dist/ from the
# constructs. Needs no cdk8s CLI and no Helm. Transpile-only for speed: `npx tsc --noEmit` checks types.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node -r ts-node/register/transpile-only scripts/synth.ts
