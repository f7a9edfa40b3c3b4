#!/usr/bin/env bash
# Actor stacks have no guard pages in normal runs (sim/engine.cpp, ActorStacks): their margins
# stand in for the guard. FIREDRILL_STACK_CHECK=1 halves every stack and turns the guard pages
# back on, so a trial that would use more than half of its stack crashes (SIGSEGV, exit code 3)
# here instead of silently overwriting the heap in a real sweep. Every bundled scenario, a
# generated large topology and a long dependency chain must run within half their stacks.
#
#   stack_margin_test.sh FIREDRILL PROJECT_DIR BENCH_GEN_TOPOLOGY
set -u
firedrill=$1 project=$2 gen=$3
source "$(dirname "$0")/expect.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exit code 0 or 1 (targets met or missed); 3 would be a crashed trial.
sweeps_ok() {
  local file=$1 out rc
  sweep_under FIREDRILL_STACK_CHECK=1 "$file" "$2" 1
  [[ $rc -le 1 ]]
  verdict $? "$file with half stacks and guard pages exited $rc
$(tail -3 <<<"$out")"
}

while read -r f; do sweeps_ok "$f" 32; done < <(bundled_scenarios "$project")

"$gen" 2000 > "$work/topology.json"
sweeps_ok "$work/topology.json" 2

# A chain of 3,000 compute components, each depending on the next: one evaluation frame per
# component, on the evaluation's stack sized by the deepest chain.
python3 - "$project/scenarios/examples/minimal.json" "$work/chain.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
n = 3000
chain = [{"name": f"c{i}", "kind": "compute", "zones": ["zone-a"], "autoscaling": False,
          **({"depends": [f"c{i + 1}"]} if i + 1 < n else {})} for i in range(n)]
s["components"] = chain + [c for c in s["components"] if c["kind"] == "team"]
s["services"][0]["depends"] = ["c0"]
s["runbooks"][0]["steps"][0]["action"] = {"repair": f"c{n - 1}"}
s["disasters"][0]["faults"][0]["target"] = f"c{n - 1}"
json.dump(s, open(sys.argv[2], "w"))
PY
sweeps_ok "$work/chain.json" 2

echo "stack margins: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
