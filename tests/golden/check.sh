#!/usr/bin/env bash
# Golden test of one shipped scenario: it validates, runs twice with the same seed to the same
# bytes, and matches the committed result in tests/golden/<name>.result.json.
# Usage: check.sh FIREDRILL SOURCE_DIR SCENARIO (relative to SOURCE_DIR)
# Set FIREDRILL_UPDATE_GOLDEN=1 to rewrite the committed result instead of comparing.
set -u
bin=$1 src=$2 scenario=$3
cd "$src" || exit 2
name=$(basename "${scenario%.*}")
golden="tests/golden/$name.result.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FIREDRILL_HISTORY=$tmp/history.sqlite  # runs are recorded here, not in the home folder

"$bin" validate "$scenario" || { echo "FAIL: $scenario does not validate"; exit 1; }
for i in 1 2; do
  "$bin" run "$scenario" --seed 7 --json - >"$tmp/run$i.json"
  rc=$?
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then echo "FAIL: run exited $rc"; exit 1; fi
done
cmp -s "$tmp/run1.json" "$tmp/run2.json" || {
  echo "FAIL: two runs with the same seed differ"; diff "$tmp/run1.json" "$tmp/run2.json" | head -20; exit 1; }
if [[ "${FIREDRILL_UPDATE_GOLDEN:-0}" == 1 ]]; then
  cp "$tmp/run1.json" "$golden"; echo "updated $golden"; exit 0
fi
[[ -f "$golden" ]] || { echo "FAIL: no golden file $golden (run tests/golden/update.sh)"; exit 1; }
cmp -s "$tmp/run1.json" "$golden" || {
  echo "FAIL: result differs from $golden"; diff "$golden" "$tmp/run1.json" | head -40; exit 1; }
echo "ok: $scenario"
