# Shared by the command-line tests (source it): pass/fail counters and `expect`.
failures=0 passed=0

# expect CODE PATTERN -- command...: runs it, checks exit code and that output matches PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $code ]]; then
    echo "FAIL: '$*' exited $rc, expected $code"; echo "$out" | head -5; failures=$((failures + 1)); return
  fi
  if [[ -n "$pattern" ]] && ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL: '$*' output does not match /$pattern/"; echo "$out" | head -5; failures=$((failures + 1)); return
  fi
  passed=$((passed + 1))
}

# Every scenario shipped in PROJECT (plans and examples), one path a line.
bundled_scenarios() {
  printf '%s\n' "$1"/scenarios/plans/*.json "$1"/scenarios/examples/*.json "$1"/scenarios/examples/*.yaml
}

# verdict OK MESSAGE: counts a pass when OK is 0, else prints MESSAGE and counts a failure.
verdict() {
  if [[ $1 -eq 0 ]]; then
    passed=$((passed + 1))
  else
    echo "FAIL: $2"
    failures=$((failures + 1))
  fi
}

# sweep_under SETTING FILE TRIALS SEED: `firedrill sweep` of FILE with the environment setting
# (NAME=VALUE) on $firedrill, result in $work; sets $out (stdout and stderr) and $rc.
sweep_under() {
  out=$(env "$1" "$firedrill" sweep "$2" --trials "$3" --jobs 2 --seed "$4" --no-history --quiet \
        --json "$work/out.json" 2>&1)
  rc=$?
}
