#!/usr/bin/env bash
# Live mode against real processes on loopback: a python3 http.server is the "service", the
# process driver kills it, the command driver restarts it, an http probe measures the RTO.
# Usage: live_test.sh FIREDRILL PROJECT_DIR
set -u
FD=$(realpath "$1")
PROJECT=$(realpath "$2")
WORK=$(mktemp -d)
FD_PID=""
cleanup() {
  [ -n "$FD_PID" ] && kill -9 "$FD_PID" 2>/dev/null
  for f in "$WORK"/web.pid "$WORK"/sleeper.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  [ -n "${KEEP_WORK:-}" ] && cp -r "$WORK" /tmp/live-keep; rm -rf "$WORK"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$WORK/www" && echo hello > "$WORK/www/index.html"
export FD_SECRET="s3cret-$RANDOM-value"
export FIREDRILL_HISTORY="$WORK/history.sqlite"  # live drills are recorded here

# Starts the server unless the one in web.pid runs (idempotent: it is also the fault's undo).
cat > "$WORK/start.sh" <<EOS
#!/bin/sh
cd "$WORK/www" || exit 1
state=\$( [ -f ../web.pid ] && sed 's/.*) //' /proc/\$(cat ../web.pid)/stat 2>/dev/null | cut -c1)
if [ -n "\$state" ] && [ "\$state" != Z ]; then
  echo "already running"; exit 0
fi
nohup python3 -m http.server --bind 127.0.0.1 $PORT >/dev/null 2>&1 &
echo \$! > ../web.pid
echo "started with token \$TOKEN"
EOS
chmod +x "$WORK/start.sh"

up() {
  python3 - "$PORT" <<'EOS'
import sys, urllib.request
try:
    urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=1)
except Exception:
    sys.exit(1)
EOS
}
wait_for() {  # wait_for up|down, at most 10 s
  for _ in $(seq 50); do
    if [ "$1" = up ] && up; then return 0; fi
    if [ "$1" = down ] && ! up; then return 0; fi
    sleep 0.2
  done
  return 1
}
server_pid() { cat "$WORK/web.pid"; }


scenario() {  # scenario FILE STEP_KIND
  cat > "$1" <<EOS
{
  "format": "firedrill.scenario/1",
  "name": "live-web",
  "providers": [{"name": "local", "kind": "on-prem", "regions": [{"name": "r1", "zones": ["z1"]}]}],
  "components": [
    {"name": "web", "kind": "compute", "zones": ["z1"], "autoscaling": false},
    {"name": "ops", "kind": "team", "people": 1},
    {"name": "mon", "kind": "monitoring", "zones": ["z1"], "pages": "ops", "check_interval": "1s",
     "failures": 1, "alert_delay": "0s"}
  ],
  "services": [{"name": "website", "depends": ["web"], "targets": {"default": {"rto": "1m", "rpo": "0s"}}}],
  "runbooks": [{"name": "restart-web", "team": "ops", "trigger": "alert", "steps": [
    {"id": "restart", "title": "Restart the web server", "kind": "$2", "duration": "1s",
     "action": {"repair": "web"}}]}],
  "disasters": [{"name": "web-crash", "class": "component",
    "faults": [{"kind": "component_crash", "target": "web", "at": "0s"}], "runbooks": ["restart-web"]}]
}
EOS
}
scenario "$WORK/auto.json" automated
scenario "$WORK/manual.json" manual

bindings() {  # bindings FILE [GUARDS_JSON]
  cat > "$1" <<EOS
{
  "format": "firedrill.bindings/1",
  "components": {"web": {"driver": "process", "params": {"pidfile": "$WORK/web.pid"}}},
  "services": {"website": {"probe": {"driver": "http", "interval": "200ms", "passes": 3,
    "params": {"url": "http://127.0.0.1:$PORT/", "timeout": "1s"}}}},
  "faults": {"web-crash": [{"action": "kill",
    "undo": {"driver": "command", "action": "run",
             "params": {"argv": ["$WORK/start.sh"], "env": {"TOKEN": {"env": "FD_SECRET"}}}}}]},
  "steps": {"restart-web/restart": {"driver": "command", "action": "run",
    "params": {"shell": "sleep 1; exec $WORK/start.sh", "env": {"TOKEN": {"env": "FD_SECRET"}}}}},
  "guards": ${2:-[]}
}
EOS
}
bindings "$WORK/bindings.json"

cd "$WORK" || exit 1
"$WORK/start.sh" >/dev/null
check "the server starts" wait_for up
pid0=$(server_pid)

# Dry run: every action with its target, nothing touched, no journal, no secret.
"$FD" live auto.json --bindings bindings.json --dry-run > dry.out 2>&1
check "dry run exits 0" [ $? -eq 0 ]
check "dry run names the kill and its target" grep -q "send SIGKILL to the pid in $WORK/web.pid" dry.out
check "dry run shows the secret as a reference" grep -q "env: TOKEN" dry.out
check "dry run left the server alone (same pid, up)" [ "$(server_pid)" = "$pid0" ]
check "dry run: the server still answers" up
check "dry run wrote no journal" [ ! -e .firedrill ]

# Input errors: exit 2, nothing touched.
"$FD" live auto.json --bindings bindings.json --yes --max-duration soon > bad.out 2>&1
check "bad --max-duration: exit 2" [ $? -eq 2 ]
"$FD" live auto.json --bindings bindings.json --yes --disaster nope > bad.out 2>&1
check "unknown --disaster: exit 2" [ $? -eq 2 ]
check "unknown --disaster: lists the disasters" grep -q "web-crash" bad.out
sed 's/"web": {"driver"/"webb": {"driver"/' bindings.json > badcomp.json
"$FD" live auto.json --bindings badcomp.json --yes > bad.out 2>&1
check "unknown component: exit 2" [ $? -eq 2 ]
check "unknown component: file, pointer and hint" grep -q 'badcomp.json:3:.*/components/webb: .*did you mean "web"' bad.out
check "input errors left the server alone" [ "$(server_pid)" = "$pid0" ]

# On a terminal without --yes: the plan, then a question; anything but "yes" touches nothing.
if command -v script > /dev/null; then
  echo no | timeout 30 script -qec "\"$FD\" live auto.json --bindings bindings.json" /dev/null > ask.out 2>&1
  check "terminal, answered no: exit 2" [ $? -eq 2 ]
  check "terminal: the plan was shown before the question" grep -q "T0: inject fault" ask.out
  check "terminal, answered no: nothing touched" [ "$(server_pid)" = "$pid0" ]
  (echo yes; sleep 6) | timeout 30 script -qec "\"$FD\" live auto.json --bindings bindings.json --json ask.json --journal-dir j0" /dev/null > ask-yes.out 2>&1
  check "terminal, answered yes: the drill ran" python3 -c "import json; assert json.load(open('ask.json'))['outcomes'][0]['affected']"
  check "terminal, answered yes: the server runs again" wait_for up
  pid0=$(server_pid)
fi

# The shipped example bindings validate and dry-run against the shipped minimal scenario.
"$FD" live "$PROJECT/scenarios/examples/minimal.json" --bindings "$PROJECT/scenarios/live/minimal-staging.json" \
  --dry-run > example.out 2>&1
check "shipped example: dry run exits 0" [ $? -eq 0 ]
check "shipped example: the undo is listed" grep -q "undo fault web-crash/0.*systemctl start web" example.out
"$FD" live "$PROJECT/scenarios/examples/pg-failover.yaml" \
  --bindings "$PROJECT/scenarios/live/pg-failover-staging.json" --dry-run > example-pg.out 2>&1
check "shipped pg-failover example: dry run exits 0" [ $? -eq 0 ]
check "shipped pg-failover example: promote, switch and the workload's undo are listed" \
  bash -c 'grep -q "pg_promote() the standby" example-pg.out && grep -q "set server pg/pg2 state ready" example-pg.out && grep -q "undo workload orders" example-pg.out'

# Without --yes and without a terminal: refused, nothing touched.
"$FD" live auto.json --bindings bindings.json < /dev/null > refused.out 2>&1
check "no terminal, no --yes: exit 2" [ $? -eq 2 ]
check "refused run left the server alone" [ "$(server_pid)" = "$pid0" ]

# An unbound automated step refuses the drill before it starts.
python3 -c "import json,sys; b=json.load(open('bindings.json')); del b['steps']; json.dump(b, open('nostep.json','w'))"
"$FD" live auto.json --bindings nostep.json --yes > nostep.out 2>&1
check "unbound step: exit 2" [ $? -eq 2 ]
check "unbound step: named by its pointer" grep -q "/steps/restart-web~1restart" nostep.out
check "unbound step: server untouched" [ "$(server_pid)" = "$pid0" ]

# The real drill: kill, detect, restart, measure.
timeout 60 "$FD" live auto.json --bindings bindings.json --yes --json out.json --journal-dir j1 \
  --journal-format chaostoolkit > run.out 2>&1
rc=$?
check "drill exits 0 (target met), was $rc" [ $rc -eq 0 ]
check "the server was killed (new pid)" [ "$(server_pid)" != "$pid0" ]
check "the server runs at the end" wait_for up
check "the result has the service with a plausible RTO" python3 - out.json <<'EOS'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "firedrill.result/1" and d["kind"] == "live", d.get("kind")
o = [x for x in d["outcomes"] if x["service"] == "website"][0]
rto = o["achieved"]["rto_s"]
assert o["affected"] and rto is not None and 0.5 < rto < 20, rto   # the restart sleeps 1 s
assert o["achieved"]["rpo_s"] is None and "not measured" in o["achieved"]["rpo_note"]
assert o["met"] is True
assert abs(o["phases"]["detect_s"] + o["phases"]["respond_s"] + o["phases"]["restore_s"] - rto) < 1e-3
events = [e["event"] for e in d["timeline"]]
assert "fault" in events and "step-done" in events and "service-up" in events, events
up = [e["t_s"] for e in d["timeline"] if e["event"] == "service-up"][-1]
assert abs(up - rto) < 1e-3, (up, rto)   # the same instant: the streak's first pass
assert [e["t_s"] for e in d["timeline"]] == sorted(e["t_s"] for e in d["timeline"])
EOS
check "secret absent from output, result and journal" \
  bash -c "[ -s out.json ] && [ -d j1 ] && ! grep -rq -- \"$FD_SECRET\" run.out out.json j1"
check "the secret was used and redacted" grep -q "started with token \*\*\*" run.out

# The same run as a Chaos Toolkit journal: its keys, statuses and one run record per action
# of the firedrill journal.
check "chaos toolkit journal: its path is said" grep -q "chaos toolkit journal: j1/.*/journal.json" run.out
check "chaos toolkit journal: structure, statuses, activities" python3 - j1 <<'EOS'
import glob, json, sys
d = glob.glob(sys.argv[1] + "/*/")[0]
j = json.load(open(d + "journal.json"))
for k in ["chaoslib-version", "platform", "node", "experiment", "start", "end", "duration", "status",
          "deviated", "steady_states", "run", "rollbacks"]:
    assert k in j, k
assert j["status"] == "completed" and j["deviated"] is False, (j["status"], j["deviated"])
e = j["experiment"]
assert e["title"] and "steady-state-hypothesis" in e and e["method"] and e["rollbacks"], e.keys()
assert [p["type"] for p in e["steady-state-hypothesis"]["probes"]] == ["probe"]
assert e["steady-state-hypothesis"]["probes"][0]["provider"]["type"] == "http"
assert {a["type"] for a in e["method"]} == {"action"}
actions = [json.loads(l) for l in open(d + "journal.jsonl") if json.loads(l)["type"] == "action"]
assert len(j["run"]) == len(actions) == 2, (len(j["run"]), len(actions))   # the kill, the restart
for r in j["run"] + j["rollbacks"]:
    assert set(["activity", "status", "output", "start", "end", "duration"]) <= set(r), r.keys()
    assert r["status"] == "succeeded", r
    assert r["duration"] >= 0 and r["start"] <= r["end"], r
assert j["run"][0]["activity"]["name"].startswith("fault web-crash/0")
assert j["run"][1]["activity"]["provider"]["type"] == "process"
assert len(j["rollbacks"]) == 1 and j["rollbacks"][0]["activity"]["name"].startswith("undo fault")
ss = j["steady_states"]
assert ss["before"]["steady_state_met"] is True and ss["after"]["steady_state_met"] is True
assert all(p["tolerance_met"] for p in ss["after"]["probes"])
assert j["start"] <= j["run"][0]["start"] <= j["run"][1]["end"] <= j["end"]
assert abs(j["duration"] - 1.0) >= 0 and j["duration"] > 0.5
EOS
check "chaos toolkit journal: the secret's value absent" bash -c \
  "grep -q 'start.sh' j1/*/journal.json && ! grep -q -- \"$FD_SECRET\" j1/*/journal.json"

# The drill is in the history (kind live); --no-history leaves it out.
check "history: the drill is recorded as live" bash -c "'$FD' history list | grep -q 'live.*live-web'"
check "history: the trend of the service shows the live point" bash -c \
  "'$FD' history trend --service website --scenario live-web --json | python3 -c 'import json,sys; p=json.load(sys.stdin); assert any(x[\"kind\"] == \"live\" for x in (p[\"points\"] if isinstance(p, dict) else p)), p'"

# The report of a run of the same scenario shows the live drills in its drill-history section.
"$FD" run auto.json --json run.json --quiet > /dev/null 2>&1
"$FD" report run.json -o report.md > /dev/null 2>&1
check "report: the drill history includes the live drills" python3 - report.md <<'EOS'
import sys
text = open(sys.argv[1]).read()
section = text.split("## Drill history")[1].split("\n## ")[0]
assert "live drills: the measured value" in section, section
rows = [l for l in section.splitlines() if l.startswith("| 20")]
assert len(rows) >= 2, section   # the live drill above and this run at least
EOS

# Where the measured RTO falls in a sweep of the same scenario.
"$FD" sweep auto.json --trials 200 --json sweep.json --quiet --no-history > /dev/null 2>&1
check "sweep of the same scenario: written" [ -s sweep.json ]
"$FD" compare-live sweep.json out.json --json cmp.json > cmp.out 2>&1
rc=$?
check "compare-live: exit 0 or 1 (inside or outside p1..p99), was $rc" [ $rc -le 1 ]
check "compare-live: the table" grep -q "inside p1..p99" cmp.out
check "compare-live: the json" python3 - cmp.json out.json $rc <<'EOS'
import json, sys
c = json.load(open(sys.argv[1])); live = json.load(open(sys.argv[2])); rc = int(sys.argv[3])
assert c["schema"] == "firedrill.compare-live/1"
rto = [x for x in c["cells"] if x["metric"] == "rto_s"][0]
assert rto["disaster"] == "web-crash" and rto["service"] == "website"
assert abs(rto["measured"] - live["outcomes"][0]["achieved"]["rto_s"]) < 1e-5
assert rto["p1"] <= rto["p50"] <= rto["p95"] <= rto["p99"], rto
assert 0 <= rto["percentile_rank"] <= 100 and rto["sweep_trials"] == 200
assert rto["inside_p1_p99"] == (rto["p1"] <= rto["measured"] <= rto["p99"])
assert (rc == 0) == rto["inside_p1_p99"], (rc, rto)
rpo = [x for x in c["cells"] if x["metric"] == "rpo_s"][0]
assert rpo["inside_p1_p99"] is None or isinstance(rpo["inside_p1_p99"], bool)
EOS
"$FD" compare-live sweep.json manual-nothing.json > cmp-bad.out 2>&1
check "compare-live: a missing file, exit 2" [ $? -eq 2 ]
"$FD" compare-live out.json sweep.json > cmp-bad.out 2>&1
check "compare-live: swapped files, exit 2" [ $? -eq 2 ]
check "compare-live: swapped files, the pointer" grep -q "out.json: /kind: expected a sweep result" cmp-bad.out
"$FD" sweep manual.json --trials 20 --json sweep-manual.json --quiet --no-history > /dev/null 2>&1
"$FD" compare-live sweep-manual.json out.json > cmp-bad.out 2>&1
check "compare-live: another scenario, exit 2" [ $? -eq 2 ]
check "compare-live: another scenario, said so" grep -q "out.json: /scenario/sha256: expected the scenario of the sweep" cmp-bad.out
python3 -c "import json; d=json.load(open('out.json')); d['outcomes'][0]['disaster']='nope'; json.dump(d, open('other-disaster.json','w'))"
"$FD" compare-live sweep.json other-disaster.json > cmp-bad.out 2>&1
check "compare-live: another disaster, exit 2" [ $? -eq 2 ]
check "compare-live: another disaster, pointer and the sweep's disasters" \
  grep -q 'other-disaster.json: /outcomes/0/disaster: expected one of the sweep.s disasters (web-crash), found "nope"' cmp-bad.out

# A fault that no probe notices (SIGSTOP to a bystander process): the service is unaffected
# (RTO 0), the alert runbook never starts, the drill ends, and the rollback sends SIGCONT.
sleep 300 > /dev/null 2>&1 &
echo $! > sleeper.pid
python3 - bindings.json stop.json "$(cat sleeper.pid)" <<'EOS'
import json, sys
b = json.load(open(sys.argv[1]))
b["components"]["ops"] = {"driver": "process", "params": {"pid": int(sys.argv[3])}}
b["faults"]["web-crash"] = [{"component": "ops", "action": "stop"}]
json.dump(b, open(sys.argv[2], "w"))
EOS
records_before=$("$FD" history list | grep -c live)
timeout 60 "$FD" live auto.json --bindings stop.json --yes --json stop-out.json --journal-dir j6 --no-history > stop.out 2>&1
rc=$?
check "--no-history: not recorded" [ "$("$FD" history list | grep -c live)" = "$records_before" ]
check "unnoticed fault: exit 0, was $rc" [ $rc -eq 0 ]
check "unnoticed fault: the bystander was stopped" grep -q "send SIGSTOP to pid" stop.out
check "unnoticed fault: unaffected, RTO 0" python3 -c "
import json; o = json.load(open('stop-out.json'))['outcomes'][0]
assert o['affected'] is False and o['achieved']['rto_s'] == 0 and o['met'], o"
check "unnoticed fault: the step never ran" bash -c "! grep -q step-start stop.out"
check "unnoticed fault: SIGCONT sent back (not stopped)" \
  bash -c "[ \"\$(sed 's/.*) //' /proc/$(cat sleeper.pid)/stat | cut -c1)\" != T ]"
check "unnoticed fault: the rollback said so" grep -q "sent SIGCONT to pid $(cat sleeper.pid)" stop.out

# An unset secret stops the drill before anything is touched (exit 2).
pid_before=$(server_pid)
env -u FD_SECRET "$FD" live auto.json --bindings bindings.json --yes --journal-dir j7 > unset.out 2>&1
check "unset secret: exit 2" [ $? -eq 2 ]
check "unset secret: named" grep -q "env:FD_SECRET" unset.out
check "unset secret: server untouched" [ "$(server_pid)" = "$pid_before" ]

# A guard that fails aborts the drill (exit 3); the rollback restarts the server.
bindings guard.json "[{\"name\": \"web-guard\", \"driver\": \"http\", \"failures\": 2, \"interval\": \"100ms\", \"params\": {\"url\": \"http://127.0.0.1:$PORT/\", \"timeout\": \"1s\"}}]"
timeout 60 "$FD" live auto.json --bindings guard.json --yes --journal-dir j2 --journal-format chaostoolkit \
  < /dev/null > guard.out 2>&1
check "failing guard: exit 3" [ $? -eq 3 ]
check "failing guard: the chaos toolkit journal says aborted" python3 -c "
import glob, json; j = json.load(open(glob.glob('j2/*/journal.json')[0]))
assert j['status'] == 'aborted' and j['deviated'] is False and j['steady_states']['after'] is None, j['status']
assert j['rollbacks'][0]['status'] == 'succeeded'" 
check "failing guard: named in the abort" grep -q "guard web-guard failed" guard.out
check "failing guard: rollback restarted the server" wait_for up

# --max-duration aborts a drill waiting on a manual step (the operator never answers).
timeout 60 "$FD" live manual.json --bindings bindings.json --yes --max-duration 2s --journal-dir j3 \
  < <(sleep 6) > max.out 2>&1
check "max duration: exit 3" [ $? -eq 3 ]
check "max duration: said so" grep -q "maximum duration" max.out
check "max duration: manual step announced" grep -q "MANUAL STEP restart-web/restart" max.out
check "max duration: rollback restarted the server" wait_for up

# SIGINT mid-drill (a background job: the shell ignores SIGINT for it): abort, exit 3, rollback.
drill_at_manual_step int manual.json --bindings bindings.json --yes --journal-dir j5 \
  --journal-format chaostoolkit
kill -INT "$FD_PID"
drill_wait
check "SIGINT: exit 3, was $rc" [ $rc -eq 3 ]
check "SIGINT: named in the abort" grep -q "interrupted by SIGINT" int.out
check "SIGINT: rollback restarted the server" wait_for up
check "SIGINT: the journal marks the fault undone" grep -q '"type":"undone"' j5/*/journal.jsonl
check "SIGINT: the chaos toolkit journal says interrupted" python3 - j5 <<'EOS'
import glob, json, sys
j = json.load(open(glob.glob(sys.argv[1] + "/*/journal.json")[0]))
assert j["status"] == "interrupted" and j["steady_states"]["after"] is None, j["status"]
assert [r["status"] for r in j["run"]] == ["succeeded", "failed"], j["run"]   # the kill; the manual step cut short
assert j["run"][1]["activity"]["name"].startswith("manual step restart-web/restart")
assert "interrupted by SIGINT" in j["run"][1]["exception"][0]
assert [r["status"] for r in j["rollbacks"]] == ["succeeded"]
EOS

# A manual step done by the operator: the server restarted by hand, then `done` typed.
drill_at_manual_step manual manual.json --bindings bindings.json --yes --json manual-out.json \
  --journal-dir j8
sleep 1
"$WORK/start.sh" > /dev/null
echo "not yet" >&9
echo done >&9
drill_wait
check "manual step: exit 0, was $rc" [ $rc -eq 0 ]
check "manual step: another answer asks again" grep -q "type \`done\`" manual.out
check "manual step: timed, and respond counts until it started" python3 -c "
import json; d = json.load(open('manual-out.json')); o = d['outcomes'][0]
ev = {e['event']: e['t_s'] for e in d['timeline']}
assert ev['step-done'] - ev['step-start'] >= 0.9, ev
assert o['achieved']['rto_s'] >= 0.9 and o['phases']['restore_s'] >= 0.9, o"

# SIGKILL mid-drill: the server stays down until `live recover` undoes the journal.
drill_at_manual_step killed manual.json --bindings bindings.json --yes --journal-dir j4
check "killed drill: reached the manual step" grep -q "MANUAL STEP" killed.out
kill -9 "$FD_PID"
drill_wait
check "killed drill: the server is down" wait_for down
JDIR=$(ls -d j4/*/)
"$FD" live recover --journal "$JDIR" > recover1.out 2>&1
check "recover exits 0" [ $? -eq 0 ]
check "recover restarted the server" wait_for up
pid1=$(server_pid)
"$FD" live recover --journal "$JDIR" > recover2.out 2>&1
check "second recover exits 0" [ $? -eq 0 ]
check "second recover does nothing" grep -q "nothing to undo" recover2.out
check "second recover left the server alone" [ "$(server_pid)" = "$pid1" ]
check "recover: no secret" bash -c "[ -s $JDIR/journal.jsonl ] && ! grep -q -- \"$FD_SECRET\" recover1.out recover2.out $JDIR/journal.jsonl"
"$FD" live recover --journal "$WORK/nowhere" > /dev/null 2>&1
check "recover of no journal: exit 2" [ $? -eq 2 ]

if [ $fails -gt 0 ]; then
  for f in run.out guard.out max.out int.out stop.out manual.out killed.out recover1.out; do echo "== $f"; cat "$f" 2>/dev/null; done
  echo "$fails check(s) failed"
  exit 1
fi
echo "all live checks passed"
