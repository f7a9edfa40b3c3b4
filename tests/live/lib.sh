# Shared by the live-mode test scripts (sourced): FD (the firedrill binary) must be set.

fails=0
check() {  # check "what" command...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fails=$((fails + 1)); fi
}

# drill_at_manual_step NAME ARGS...: runs `firedrill live ARGS` in the background, its input a
# fifo held open on fd 9 (written to by the test), its output in NAME.out, and waits (15 s at
# most) until it announces the manual step. Sets FD_PID; drill_wait reaps it (rc in $rc).
drill_at_manual_step() {
  local name=$1
  shift
  mkfifo "$name.fifo"
  exec 9<>"$name.fifo"
  "$FD" live "$@" < "$name.fifo" > "$name.out" 2>&1 &
  FD_PID=$!
  for _ in $(seq 75); do grep -q "MANUAL STEP" "$name.out" && break; sleep 0.2; done
}
drill_wait() {
  wait "$FD_PID" 2>/dev/null
  rc=$?
  FD_PID=""
  exec 9>&-
}
