# Shared by bench/run.sh and bench/compare.sh (sourced). The caller sets $tmp, a scratch folder.

now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.'"${3:-1}"'f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs a firedrill command (possibly behind a wrapper such as GNU time) with its output in
# $tmp/out and prints the wall-clock seconds it took. Exit codes 0 and 1 are results; any other
# ends the benchmark with exit code 3 after showing the output, prefixed with WHO.
timed() {  # WHO COMMAND...
  local who=$1 t0 t1 rc=0
  shift
  t0=$(now)
  "$@" >"$tmp/out" 2>&1 || rc=$?
  t1=$(now)
  if [[ $rc -gt 1 ]]; then
    echo "$who: ${*} failed (exit code $rc):" >&2
    cat "$tmp/out" >&2
    exit 3
  fi
  sub "$t1" "$t0"
}

# The disasters of a scenario, in file order (from one trial's result: no JSON tool needed).
disasters_of() {  # FIREDRILL FILE
  local rc=0
  "$1" run "$2" --quiet --no-history --json "$tmp/run.json" >/dev/null 2>"$tmp/err" || rc=$?
  if [[ $rc -gt 1 ]]; then cat "$tmp/err" >&2; exit 3; fi
  grep -o '"disaster": *"[^"]*"' "$tmp/run.json" | sed 's/.*: *"\(.*\)"/\1/' | awk '!seen[$0]++'
}
