#!/usr/bin/env bash
# Live mode against a real PostgreSQL 15 primary + streaming standby behind HAProxy, on loopback
# (tests/live/pg_lib.sh builds it). The drill of scenarios/live/pg-failover-loopback.yaml kills
# the primary under the write workload; the runbook's automated steps fence it in HAProxy,
# promote the standby and enable it in HAProxy; the drill measures RTO (probe through HAProxy)
# and RPO (the workload's acknowledged rows missing after recovery). Two runs:
#   sync:  synchronous replication: 0 lost writes, and the audit table agrees;
#   async: asynchronous replication and commit: the lost rows reported are exactly the
#          acknowledged rows missing from the audit table of the new primary.
# Then the simulator's model of the same setup is swept (1000 trials) and the measured RTO
# must lie within its p1..p99. Every server is stopped on exit, also on failure.
# Usage: pg_failover_test.sh FIREDRILL PROJECT_DIR   (KEEP_WORK=1 keeps the folder)
set -u
FD=$(realpath "$1")
PROJECT=$(realpath "$2")
source "$(dirname "$(realpath "$0")")/pg_lib.sh"
cleanup() {
  pg_stop_all
  if [[ -n ${KEEP_WORK:-} ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fails=0
check() {  # check "what" command...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fails=$((fails + 1)); fi
}

pg_make_template
SCEN=$PROJECT/scenarios/live/pg-failover-loopback.yaml
cd "$WORK" || exit 1
sed 's/^    replication: async$/    replication: sync/' "$SCEN" > pg-failover-sync.yaml
grep -q "replication: sync" pg-failover-sync.yaml || { echo "FAIL: cannot make the sync scenario"; exit 1; }
cp "$SCEN" pg-failover-async.yaml
pg_bindings bindings.json

# The dry run lists the workload and its undo, touches nothing, shows no password.
"$FD" live pg-failover-async.yaml --bindings bindings.json --dry-run > dry.out 2>&1
check "dry run exits 0" [ $? -eq 0 ]
check "dry run lists the workload" grep -q "before T0, workload of service orders: postgres: write 100/s numbered rows to a new table $TABLE" dry.out
check "dry run lists the workload's undo" grep -q "undo workload orders: postgres: DROP TABLE IF EXISTS $TABLE" dry.out
check "dry run lists the kill" grep -q "SIGKILL the postmaster of $WORK/pg1" dry.out
check "dry run: no password" bash -c "! grep -q -- \"$PGPASSWORD\" dry.out"

summary=()
for mode in sync async; do
  echo "== $mode replication"
  pg_setup "$mode" || { echo "FAIL: setup ($mode)"; exit 1; }
  timeout 180 "$FD" live "pg-failover-$mode.yaml" --bindings bindings.json --yes --json "$mode.json" \
    --journal-dir "j-$mode" > "$mode.out" 2>&1
  rc=$?
  check "$mode: the drill ran to its end (exit 0 or 1), was $rc" [ $rc -le 1 ]
  [[ $rc -le 1 ]] || { cat "$mode.out"; tail -n 20 "$WORK/pg1.log" "$WORK/pg2.log"; }
  # The independent record: which audited rows the new primary (pg2, directly) holds.
  pgq "$P2" "SELECT seq FROM audit_seqs ORDER BY seq" > "present-$mode.txt"
  check "$mode: the audit table was read from the new primary" [ -s "present-$mode.txt" ]
  check "$mode: lost writes = acknowledged minus present, exactly; RPO as DESIGN.md" \
    python3 - "$mode.json" "present-$mode.txt" "$mode" <<'EOS'
import json, sys
d = json.load(open(sys.argv[1]))
present = {int(x) for x in open(sys.argv[2]).read().split()}
w = d["live"]["workloads"]["orders"]
o = [x for x in d["outcomes"] if x["service"] == "orders"][0]
acks = w["acks"]
acked = [s for s, t in acks]
assert len(acked) == w["acknowledged"] > 200, (len(acked), w["acknowledged"])
assert any(t < 0 for s, t in acks) and any(t > 0 for s, t in acks), "writes before and after T0"
lost = sorted(set(acked) - present)
assert lost == w["lost_seqs"], (lost[:20], w["lost_seqs"][:20])
assert o["achieved"]["lost_writes"] == len(lost), (o["achieved"]["lost_writes"], len(lost))
rpo = max(0.0, -min(t for s, t in acks if s in set(lost))) if lost else 0.0
assert abs(o["achieved"]["rpo_s"] - rpo) < 2e-6, (o["achieved"]["rpo_s"], rpo)
assert "rpo_note" not in o["achieved"], o["achieved"]
assert w["present"] == len(present), (w["present"], len(present))   # the readback agrees
assert present <= set(range(1, w["written"] + 1))
if sys.argv[3] == "sync":
    assert lost == [] and o["achieved"]["rpo_s"] == 0, lost
assert o["affected"] and o["achieved"]["rto_s"] is not None
print("  %s: RTO %.3fs, RPO %.3fs, %d lost of %d acknowledged (%d written)" % (
    sys.argv[3], o["achieved"]["rto_s"], o["achieved"]["rpo_s"], len(lost), len(acked), w["written"]))
EOS
  check "$mode: pg2 is the primary" [ "$(pgq "$P2" "SELECT pg_is_in_recovery()")" = f ]
  check "$mode: HAProxy: pg1 fenced (maint), pg2 ready" [ "$(hap_states)" = "pg1=1 pg2=0" ]
  check "$mode: the rollback restarted pg1" pg_running "$WORK/pg1"
  check "$mode: no workload table left on pg1 nor pg2" \
    [ "$(pgq "$P1" "SELECT to_regclass('$TABLE') IS NULL")$(pgq "$P2" "SELECT to_regclass('$TABLE') IS NULL")" = tt ]
  check "$mode: the journal marks every action undone" python3 - "j-$mode" <<'EOS'
import glob, json, sys
lines = [json.loads(l) for f in glob.glob(sys.argv[1] + "/*/journal.jsonl") for l in open(f)]
acts = [l for l in lines if l["type"] == "action" and l["undo"]]
undone = {l["id"] for l in lines if l["type"] == "undone"}
assert acts and all(a["id"] in undone for a in acts), lines
EOS
  check "$mode: no password in the output, result or journal" \
    bash -c "! grep -rq -- \"$PGPASSWORD\" $mode.out $mode.json j-$mode"

  # The model of this setup, swept: the measured RTO must lie within the predicted p1..p99.
  "$FD" sweep "pg-failover-$mode.yaml" --disaster primary-crash --trials 1000 --json "sweep-$mode.json" \
    --trial-log "trials-$mode.jsonl" > "sweep-$mode.out" 2>&1
  check "$mode: the sweep ran (exit 0 or 1)" [ $? -le 1 ]
  line=$(python3 - "$mode.json" "trials-$mode.jsonl" "$mode" <<'EOS'
import json, sys
m = [x for x in json.load(open(sys.argv[1]))["outcomes"] if x["service"] == "orders"][0]["achieved"]
rto, rpo = [], []
for l in open(sys.argv[2]):
    for o in json.loads(l)["outcomes"]:
        if o["service"] == "orders":
            rto.append(o["achieved"]["rto_s"]); rpo.append(o["achieved"]["rpo_s"])
def q(v, p):
    v = sorted(x for x in v if x is not None)
    return v[min(len(v) - 1, int(p * len(v)))]
ok = q(rto, 0.01) <= m["rto_s"] <= q(rto, 0.99)
print("%s %s: measured RTO %.3fs, RPO %.3fs, %d lost writes; predicted (%d trials) RTO p1 %.3fs p50 %.3fs p99 %.3fs, RPO p1 %.3fs p50 %.3fs p99 %.3fs"
      % ("ok" if ok else "OUTSIDE", sys.argv[3], m["rto_s"], m["rpo_s"], m["lost_writes"], len(rto),
         q(rto, .01), q(rto, .5), q(rto, .99), q(rpo, .01), q(rpo, .5), q(rpo, .99)))
EOS
)
  echo "  $line"
  summary+=("$line")
  check "$mode: the measured RTO lies within the predicted p1..p99" [ "${line%% *}" = ok ]
done

# The same drill with the fault bound to `postgres stop` (immediate) instead of `kill`: its own
# undo (pg_ctl start) runs in the rollback; synchronous replication loses nothing.
echo "== sync replication, the primary stopped (pg_ctl stop -m immediate)"
pg_setup sync || { echo "FAIL: setup (stop)"; exit 1; }
python3 - <<'EOS'
import json
b = json.load(open("bindings.json"))
b["faults"]["primary-crash"] = [{"action": "stop", "params": {"mode": "immediate"}}]
json.dump(b, open("stop.json", "w"))
EOS
timeout 180 "$FD" live pg-failover-sync.yaml --bindings stop.json --yes --json stop-result.json \
  --journal-dir j-stop > stop.out 2>&1
rc=$?
check "stop: the drill ran to its end (exit 0 or 1), was $rc" [ $rc -le 1 ]
check "stop: pg_ctl stop -m immediate was the fault" grep -q "fault pg: pg_ctl stop -m immediate the server of $WORK/pg1" stop.out
check "stop: 0 lost writes, RPO 0" python3 -c "
import json; o = json.load(open('stop-result.json'))['outcomes'][0]['achieved']
assert o['lost_writes'] == 0 and o['rpo_s'] == 0 and o['rto_s'] is not None, o"
check "stop: the rollback started pg1 again" pg_running "$WORK/pg1"
check "stop: pg2 is the primary, HAProxy switched" \
  [ "$(pgq "$P2" "SELECT pg_is_in_recovery()") $(hap_states)" = "f pg1=1 pg2=0" ]

# A table of that name that the workload did not create: the drill refuses to start (exit 3),
# touches nothing, and leaves the table alone.
# (With a guard that probes HAProxy's pg2, ready now: it passes before the drill.)
guarded() {  # guarded SERVER FILE: the bindings with a haproxy guard on SERVER
  python3 - "$1" "$2" "$WORK/haproxy.sock" <<'EOS'
import json, sys
b = json.load(open("bindings.json"))
b["guards"] = [{"name": "haproxy-" + sys.argv[1], "driver": "haproxy",
                "params": {"socket": sys.argv[3], "backend": "pg", "server": sys.argv[1]}}]
json.dump(b, open(sys.argv[2], "w"))
EOS
}
guarded pg2 guard-pg2.json
guarded pg1 guard-pg1.json
pgq "$PH" "CREATE TABLE $TABLE (seq bigint); INSERT INTO $TABLE VALUES (-1)" >/dev/null
pid1=$(head -n 1 "$WORK/pg1/postmaster.pid")
timeout 60 "$FD" live pg-failover-async.yaml --bindings guard-pg1.json --yes --journal-dir j-guard > guard.out 2>&1
rc=$?
check "haproxy guard on the fenced pg1: exit 3 before anything, was $rc" [ $rc -eq 3 ]
check "haproxy guard on the fenced pg1: says it is in maintenance" grep -q "guard haproxy-pg1 is not healthy.*not ready: op_state [0-9], admin_state 1" guard.out
timeout 60 "$FD" live pg-failover-async.yaml --bindings guard-pg2.json --yes --journal-dir j-exists > exists.out 2>&1
rc=$?
check "existing table: exit 3, was $rc" [ $rc -eq 3 ]
check "existing table: said so" grep -q "table $TABLE exists" exists.out
check "existing table: no fault injected (same pg1 postmaster)" [ "$(head -n 1 "$WORK/pg1/postmaster.pid")" = "$pid1" ]
check "existing table: left alone" [ "$(pgq "$PH" "SELECT seq FROM $TABLE")" = -1 ]

echo "== summary (measured vs predicted)"
printf '%s\n' "${summary[@]}"
if [[ $fails -gt 0 ]]; then
  for f in sync.out async.out; do echo "== $f"; cat "$f" 2>/dev/null; done
  echo "$fails check(s) failed"
  exit 1
fi
echo "all postgres live checks passed"
