#!/usr/bin/env bash
# `firedrill live recover` after a drill killed with SIGKILL at each step in turn: the PostgreSQL
# failover drill of pg_failover_test.sh (synchronous replication) is run once per journal line
# and killed as soon as that line is on disk; `live recover --journal DIR` must then leave the
# system as it was, which for this drill means:
#   - every injected fault is undone: both PostgreSQL servers run (the one the drill killed was
#     started again) and no workload table is left on either of them;
#   - recovery steps are not undone (they are the repair, not a fault): a promoted standby stays
#     the primary, and HAProxy keeps what the fence/switch steps did. So each HAProxy server is
#     in its initial state (pg1 ready, pg2 in maintenance) unless the journal shows the step that
#     changes it (fence: pg1 in maintenance; switch: pg2 ready), and pg2 is a standby unless
#     the journal shows the promote step. A step's journal line is written before it acts, so
#     after it either state is accepted.
# A second recover does nothing. Every server is stopped on exit, also on failure.
# Usage: pg_recover_test.sh FIREDRILL PROJECT_DIR   (KEEP_WORK=1 keeps the folder)
set -u
FD=$(realpath "$1")
PROJECT=$(realpath "$2")
source "$(dirname "$(realpath "$0")")/pg_lib.sh"
FD_PID=""
cleanup() {
  [[ -n $FD_PID ]] && kill -9 "$FD_PID" 2>/dev/null
  pg_stop_all
  if [[ -n ${KEEP_WORK:-} ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fails=0
check() {
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fails=$((fails + 1)); fi
}

pg_make_template
cd "$WORK" || exit 1
sed 's/^    replication: async$/    replication: sync/' "$PROJECT/scenarios/live/pg-failover-loopback.yaml" > scenario.yaml
pg_bindings bindings.json

no_table() {  # no workload table on pg1 nor pg2 (a standby gets the drop by replication)
  for _ in $(seq 100); do
    [[ "$(pgq "$P1" "SELECT to_regclass('$TABLE') IS NULL")$(pgq "$P2" "SELECT to_regclass('$TABLE') IS NULL")" == tt ]] && return 0
    sleep 0.2
  done
  return 1
}
# as_it_was JOURNAL: the system as the journal's recovery steps left it, every fault undone.
as_it_was() {
  local j=$1 pg1=0 pg2=1 promoted=f
  pg_running "$WORK/pg1" || { echo "  pg1 is not running"; return 1; }
  pg_running "$WORK/pg2" || { echo "  pg2 is not running"; return 1; }
  no_table || { echo "  a workload table is left"; return 1; }
  local states
  states=$(hap_states)
  local fence=0 switch=0 promote=0
  grep -q '"what":"step promote-standby/fence"' "$j" && fence=1
  grep -q '"what":"step promote-standby/switch"' "$j" && switch=1
  grep -q '"what":"step promote-standby/promote"' "$j" && promote=1
  local s1=${states#pg1=}; s1=${s1%% *}
  local s2=${states##*pg2=}
  [[ $s1 == 0 || ($s1 == 1 && $fence == 1) ]] || { echo "  pg1 in state $s1 without a fence step"; return 1; }
  [[ $s2 == 1 || ($s2 == 0 && $switch == 1) ]] || { echo "  pg2 in state $s2 without a switch step"; return 1; }
  local rec
  rec=$(pgq "$P2" "SELECT pg_is_in_recovery()")
  [[ $rec == t || ($rec == f && $promote == 1) ]] || { echo "  pg2 promoted without a promote step"; return 1; }
  return 0
}

k=1
while :; do
  pg_setup sync || { echo "FAIL: setup"; exit 1; }
  # Runs the drill and kills it (SIGKILL) as soon as the journal has k lines; prints "killed"
  # or "finished" (the drill ended before its k-th line).
  outcome=$(python3 - "$FD" "$k" "$WORK/j$k" <<'EOS'
import glob, os, signal, subprocess, sys, time
fd, k, jdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
p = subprocess.Popen([fd, "live", "scenario.yaml", "--bindings", "bindings.json", "--yes",
                      "--journal-dir", jdir], stdout=open(jdir + ".out", "w"), stderr=subprocess.STDOUT)
deadline = time.time() + 120
while time.time() < deadline:
    files = glob.glob(jdir + "/*/journal.jsonl")
    if files and open(files[0]).read().count("\n") >= k:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        print("killed")
        sys.exit(0)
    if p.poll() is not None:
        print("finished")
        sys.exit(0)
    time.sleep(0.002)
p.kill()
print("timeout")
EOS
)
  [[ $outcome == finished ]] && { echo "the drill ends after $((k - 1)) journal lines"; break; }
  check "k=$k: the drill was killed after journal line $k" [ "$outcome" = killed ]
  jfile=$(ls "$WORK/j$k"/*/journal.jsonl)
  echo "   killed after: $(sed -n "${k}p" "$jfile" | cut -c1-110)"
  "$FD" live recover --journal "$(dirname "$jfile")" > "recover$k.out" 2>&1
  rc=$?
  check "k=$k: recover exits 0, was $rc" [ $rc -eq 0 ]
  [[ $rc -eq 0 ]] || cat "recover$k.out"
  check "k=$k: the system is as it was" as_it_was "$jfile"
  "$FD" live recover --journal "$(dirname "$jfile")" > "recover$k-again.out" 2>&1
  check "k=$k: a second recover does nothing" grep -q "nothing to undo" "recover$k-again.out"
  check "k=$k: no password in the journal or output" \
    bash -c "! grep -q -- \"$PGPASSWORD\" $jfile recover$k.out $WORK/j$k.out"
  k=$((k + 1))
  [[ $k -gt 15 ]] && { echo "FAIL: more journal lines than expected"; fails=$((fails + 1)); break; }
done
check "killed at every line up to the end (at least 10 lines)" [ $k -ge 11 ]
if [[ $fails -gt 0 ]]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all recover checks passed"
