#!/usr/bin/env bash
# Rewrites every golden result after an intended change of behaviour. Review the diff.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$src/build/bin/firedrill}
for f in "$src"/scenarios/plans/*.json "$src"/scenarios/examples/*.json "$src"/scenarios/examples/*.yaml; do
  FIREDRILL_UPDATE_GOLDEN=1 "$src/tests/golden/check.sh" "$bin" "$src" "${f#$src/}"
done
