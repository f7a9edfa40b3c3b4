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
