#!/usr/bin/env bash
# Evaluations are incremental (sim/engine.cpp, Trial::evaluate): they look only at the
# components touched since the last one and at what depends on them. A change that is not
# marked would leave a component's old state in place. FIREDRILL_EVAL_CHECK=1 makes every
# incremental evaluation also run the full one and compare (serving, visibly serving,
# instance and copy liveness, routing targets, services); on a mismatch the trial aborts
# with a "FIREDRILL_EVAL_CHECK" message. Every bundled scenario and a generated large
# topology must sweep without one.
#
#   eval_check_test.sh FIREDRILL PROJECT_DIR BENCH_GEN_TOPOLOGY
set -u
firedrill=$1 project=$2 gen=$3
source "$(dirname "$0")/expect.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exit code 0 or 1 (targets met or missed) and no mismatch reported.
sweeps_ok() {
  local file=$1 out rc
  sweep_under FIREDRILL_EVAL_CHECK=1 "$file" "$2" 5
  [[ $rc -le 1 ]] && ! grep -q FIREDRILL_EVAL_CHECK <<<"$out"
  verdict $? "$file with FIREDRILL_EVAL_CHECK=1 exited $rc
$(grep -m3 -E "FIREDRILL_EVAL_CHECK|rror" <<<"$out")"
}

while read -r f; do sweeps_ok "$f" 300; done < <(bundled_scenarios "$project")
"$gen" 2000 > "$work/topology.json"
sweeps_ok "$work/topology.json" 4

echo "eval check: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
