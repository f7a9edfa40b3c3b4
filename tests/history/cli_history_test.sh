#!/usr/bin/env bash
# The history as a user meets it on the default SQLite store: runs and sweeps recorded, then
# list, show, trend and verify; a record changed or removed with the sqlite3 client makes
# verify exit 1; bad ids, services and locations exit 2; a failure to record does not change
# a run's exit code.
# Usage: cli_history_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1
source "$(dirname "$0")/../cli/expect.sh"
cd "$2" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
command -v sqlite3 >/dev/null || { echo "FAIL: the sqlite3 client is missing (make deps)"; exit 1; }

# run_rc01 ARGS...: a run or sweep that may meet (0) or miss (1) its targets.
run_rc01() {
  "$bin" "$@" >"$tmp/out.txt" 2>&1
  local rc=$?
  [[ $rc -le 1 ]] && ok || { bad "'$*' exited $rc"; head -5 "$tmp/out.txt"; }
}

unset XDG_DATA_HOME FIREDRILL_HISTORY_DB
export FIREDRILL_HISTORY=$tmp/store/history.sqlite
db=$FIREDRILL_HISTORY
mini=scenarios/examples/minimal.json

run_rc01 run $mini --seed 3 --json "$tmp/r1.json"
grep -q "recorded as history record 1 in $db" "$tmp/out.txt" && ok || bad "first run not recorded as record 1"
run_rc01 run $mini --seed 4
run_rc01 run $mini --seed 5 --no-history
run_rc01 sweep $mini --trials 6 --seed 2 --jobs 1 --quiet
run_rc01 sweep $mini --trials 6 --seed 2 --jobs 1 --quiet --shard 1/2  # a part: recorded at merge
[[ $(sqlite3 "$db" 'SELECT count(*) FROM records') == 3 ]] && ok || bad "expected 3 records (2 runs, 1 sweep)"

expect 0 "^3 +[0-9-]+ [0-9:]+ +sweep +minimal" -- "$bin" history list
expect 0 "^id +recorded \(UTC\) +kind +scenario" -- "$bin" history list
"$bin" history list --json >"$tmp/list.json"
python3 - "$tmp/list.json" <<'PY' && ok || bad "history list --json"
import json, sys
records = json.load(open(sys.argv[1]))
assert [r["id"] for r in records] == [1, 2, 3], records
assert [r["kind"] for r in records] == ["run", "run", "sweep"]
assert [r["seed"] for r in records] == [3, 4, 2]
assert records[2]["trials"] == 6
assert records[1]["prev_hash"] == records[0]["hash"]
assert records[0]["summary"]["cells"][0]["service"] == "website"
PY
expect 0 "" -- "$bin" history list --limit 1
[[ $("$bin" history list --limit 1 | wc -l) == 2 ]] && ok || bad "list --limit 1 shows more than one record"
expect 0 "no records .* for scenario \"nope\"" -- "$bin" history list --scenario nope

expect 0 "seed +3, 1 trial per disaster" -- "$bin" history show 1
expect 0 "web-crash +website" -- "$bin" history show 1
expect 0 "RTO p95" -- "$bin" history show 3
"$bin" history show 1 --json >"$tmp/show1.json"
cmp -s "$tmp/show1.json" "$tmp/r1.json" && ok || bad "show 1 --json differs from the run's --json output"
expect 2 "no record 99" -- "$bin" history show 99
expect 2 "" -- "$bin" history show abc
expect 2 "" -- "$bin" history show

expect 0 "^1 .* run +minimal .* web-crash" -- "$bin" history trend --service website
"$bin" history trend --service website --json >"$tmp/trend.json"
python3 - "$tmp/trend.json" "$tmp/r1.json" <<'PY' && ok || bad "history trend --json"
import json, sys
points = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))
assert [p["record"] for p in points] == [1, 2, 3], points
assert points[2]["statistic"] == "p95"
o = run["outcomes"][0]
assert points[0]["rto_s"] == o["achieved"]["rto_s"] and points[0]["rpo_s"] == o["achieved"]["rpo_s"]
assert points[0]["target"]["rto_s"] == o["target"]["rto_s"] and points[0]["met"] == o["met"]
PY
expect 2 'found "websit" \(did you mean "website"\?\)' -- "$bin" history trend --service websit
expect 2 "" -- "$bin" history trend

expect 0 "^chain intact: 3 records, head [0-9a-f]{64}$" -- "$bin" history verify

# Several writers at once: every run gets its own record and the chain holds.
for seed in 11 12 13 14; do "$bin" run $mini --seed $seed --quiet & done
wait
expect 0 "^chain intact: 7 records" -- "$bin" history verify
head=$("$bin" history verify | sed -n 's/.*, head \([0-9a-f]*\)$/\1/p')

# Removing the last record leaves an intact but shorter chain: --head finds it.
cp "$db" "$tmp/truncated.sqlite"
sqlite3 "$tmp/truncated.sqlite" "DELETE FROM records WHERE id = 7"
expect 0 "^chain intact: 6 records" -- "$bin" history --db "$tmp/truncated.sqlite" verify
expect 1 "^chain: no record has the head hash ${head:0:12}: records were removed from the end" -- \
  "$bin" history --db "$tmp/truncated.sqlite" verify --head "$head"
expect 0 "^chain intact: 7 records" -- "$bin" history verify --head "${head:0:12}"
expect 2 "expected 12 to 64 lower-case hex digits" -- "$bin" history verify --head xyz

# Tampering with the file itself.
cp "$db" "$tmp/removed.sqlite"
sqlite3 "$db" "UPDATE records SET result = replace(result, '\"seed\": 4', '\"seed\": 40') WHERE id = 2"
[[ $(sqlite3 "$db" "SELECT count(*) FROM records WHERE result LIKE '%\"seed\": 40%'") == 1 ]] && ok ||
  bad "the tampering did not change record 2"
expect 1 "record 2: content changed" -- "$bin" history verify
expect 0 "warning: record 2 was changed after it was recorded" -- "$bin" history show 2 --json
"$bin" history show 1 2>&1 | grep -q "warning" && bad "show warns about an unchanged record" || ok
sqlite3 "$tmp/removed.sqlite" "DELETE FROM records WHERE id = 2"
expect 1 "record 3: ids jump from 1 to 3: record 2 removed" -- "$bin" history --db "$tmp/removed.sqlite" verify
expect 1 "record 3: ids jump" -- "$bin" history verify --db "sqlite:$tmp/removed.sqlite"

# Locations: --db, sqlite:PATH, the XDG and home defaults; bad ones exit 2.
expect 2 "no history there" -- "$bin" history --db "$tmp/none.sqlite" list
expect 2 'found a "mysql" URI: mysql://root:\*\*\*@db/x' -- "$bin" history --db mysql://root:pw@db/x list
run_rc01 run $mini --seed 3 --db "sqlite:$tmp/other.sqlite"
expect 0 "chain intact: 1 records" -- "$bin" history --db "$tmp/other.sqlite" verify
(unset FIREDRILL_HISTORY; XDG_DATA_HOME=$tmp/xdg HOME=$tmp/home "$bin" run $mini --quiet)
[[ -s $tmp/xdg/firedrill/history.sqlite ]] && ok || bad "no history in \$XDG_DATA_HOME/firedrill/history.sqlite"
(unset FIREDRILL_HISTORY XDG_DATA_HOME; HOME=$tmp/home "$bin" run $mini --quiet)
[[ -s $tmp/home/.local/share/firedrill/history.sqlite ]] && ok || bad "no history in ~/.local/share/firedrill/history.sqlite"

# compare records each variant's sweep.
out=$("$bin" compare scenarios/examples/shop-variants.json --variants base,multi-az --trials 4 --db "$tmp/cmp.sqlite" 2>&1)
[[ $(sqlite3 "$tmp/cmp.sqlite" "SELECT group_concat(kind || ' ' || scenario_name || ' ' || variant || ' ' || trials, '; ') FROM records") \
   == "sweep shop  4; sweep shop/multi-az multi-az 4" ]] && ok || bad "compare did not record its two sweeps: $out"

# A failure to record warns, never shows a password, and keeps the run's exit code.
"$bin" run $mini --seed 3 --no-history >/dev/null 2>&1
want=$?
out=$("$bin" run $mini --seed 3 --db "postgresql://bob:hunter2@127.0.0.1:1/h?connect_timeout=5" 2>&1)
[[ $? -eq $want ]] && ok || bad "an unreachable database changed the run's exit code"
grep -q "warning: the result was not recorded in the history (postgresql://bob:\*\*\*@127.0.0.1:1/h" <<<"$out" && ok ||
  bad "no warning naming the redacted location: $out"
grep -q hunter2 <<<"$out" && bad "the password was printed: $out" || ok
echo "not a database" >"$tmp/notes.txt"
out=$("$bin" run $mini --seed 3 --db "$tmp/notes.txt" 2>&1)
rc=$?
[[ $rc -eq $want ]] && ok || bad "a failure to record changed the exit code from $want to $rc"
grep -q "warning: the result was not recorded in the history ($tmp/notes.txt)" <<<"$out" && ok ||
  bad "no warning when recording fails: $out"

# The report's drill history: the recorded drills of the same scenario, from the history the
# result was recorded in (run --report records first, so its own drill is the last point).
export FIREDRILL_HISTORY=$tmp/report-store/history.sqlite
run_rc01 run $mini --seed 3 --json "$tmp/rep1.json"
"$bin" report "$tmp/rep1.json" -o "$tmp/rep1.md" >/dev/null 2>&1
grep -q "achieved RTO per recorded drill" "$tmp/rep1.md" && bad "a trend drawn from one drill" || ok
run_rc01 run $mini --seed 4 --json "$tmp/rep2.json" --report "$tmp/rep2.md"
section=$(sed -n '/^## Drill history/,/^## Reproducibility/p' "$tmp/rep2.md")
grep -q "website in web-crash: achieved RTO per recorded drill" <<<"$section" && ok ||
  bad "no RTO trend of website in the report: $section"
rows=$(grep -cE '^\| 20[0-9-]+ [0-9:]+ \| ' <<<"$section")
[[ $rows -eq 2 ]] && ok || bad "the report shows $rows recorded drills, expected 2"
for f in rep1 rep2; do  # each drill's achieved RTO, as its result says, is a point of the trend
  rto=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(repr(d["outcomes"][0]["achieved"]["rto_s"]))' "$tmp/$f.json" 2>/dev/null)
  shown=$("$bin" history trend --service website --json | python3 -c 'import json,sys; print([p["rto_s"] for p in json.load(sys.stdin)])' 2>/dev/null)
  grep -q -- "$rto" <<<"$shown" && ok || bad "$f: RTO $rto not among the trend's points $shown"
done
expect 0 "Not looked up \(--no-history\)" -- "$bin" report "$tmp/rep1.json" -o - -f md --no-history
expect 0 "No drill history found" -- "$bin" report "$tmp/rep1.json" -o - -f md --db "$tmp/none.sqlite"
[[ -e $tmp/none.sqlite ]] && bad "report created a history file" || ok

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
