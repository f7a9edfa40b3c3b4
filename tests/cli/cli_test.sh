#!/usr/bin/env bash
# The command line as a user meets it: exit codes (0 met, 1 missed, 2 invalid input or usage,
# 3 runtime failure), error messages that name file, pointer, expected and found, outputs.
# Usage: cli_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1
cd "$2" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

expect 2 "" -- "$bin"
expect 2 "" -- "$bin" frobnicate
expect 2 "" -- "$bin" run
expect 0 "run" -- "$bin" --help
expect 2 "no-such.json" -- "$bin" run no-such.json
expect 2 "no-such.json" -- "$bin" validate no-such.json
expect 2 "" -- "$bin" run scenarios/examples/minimal.json --seed=-1
expect 2 'expected one of the scenario.s disasters, found "zone-outag"' -- \
  "$bin" run scenarios/examples/minimal.json --disaster zone-outag

printf '{"format": "firedrill.scenario/1",\n "name": "x",\n "horizon": -5\n' >"$tmp/trunc.json"
expect 2 "trunc.json:[0-9]+:[0-9]+: " -- "$bin" validate "$tmp/trunc.json"
printf '{"format": "firedrill.scenario/1", "name": "x", "horizon": "-5m",\n "providers": [], "components": [], "services": [], "disasters": []}\n' >"$tmp/bad.json"
expect 2 'bad.json:1:[0-9]+: /horizon: expected a duration like "24h", found "-5m"' -- \
  "$bin" validate "$tmp/bad.json"
# One bad file among good ones still fails the whole validation.
expect 2 "" -- "$bin" validate scenarios/examples/minimal.json "$tmp/bad.json"

# A scenario missing its target: exit 1, both outputs written and well-formed.
expect_rc_01() {
  "$bin" run "$@" >"$tmp/table.txt" 2>&1
  local rc=$?
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then echo "FAIL: run exited $rc"; failures=$((failures + 1)); return 1; fi
  passed=$((passed + 1))
}
expect_rc_01 scenarios/plans/managed-aws.json --seed 7 --json "$tmp/r.json" --trace "$tmp/t.json"
for key in '"schema": "firedrill.result/1"' '"scenario"' '"sha256"' '"seed": 7' '"versions"' \
           '"simgrid"' '"outcomes"' '"achieved"' '"rto_s"' '"rpo_s"' '"lost_writes"' '"phases"' \
           '"timeline"' '"t_s"' '"met"'; do
  if grep -q -- "$key" "$tmp/r.json"; then passed=$((passed + 1)); else
    echo "FAIL: result JSON lacks $key"; failures=$((failures + 1)); fi
done
if grep -q '"traceEvents"' "$tmp/t.json"; then passed=$((passed + 1)); else
  echo "FAIL: trace lacks traceEvents"; failures=$((failures + 1)); fi
for col in "RTO target" "RPO target" "lost writes" "dominant" "verdict" "single-zone-outage"; do
  if grep -q -- "$col" "$tmp/table.txt"; then passed=$((passed + 1)); else
    echo "FAIL: table lacks $col"; failures=$((failures + 1)); fi
done
# sha256 in the result is the file's.
want=$(sha256sum scenarios/plans/managed-aws.json | cut -d' ' -f1)
if grep -q "\"sha256\": \"$want\"" "$tmp/r.json"; then passed=$((passed + 1)); else
  echo "FAIL: sha256 is not the file's ($want)"; failures=$((failures + 1)); fi

# The committed JSON Schema is the one the binary generates.
"$bin" schema >"$tmp/schema.json"
if cmp -s "$tmp/schema.json" scenarios/schema/scenario.schema.json; then passed=$((passed + 1)); else
  echo "FAIL: scenarios/schema/scenario.schema.json is stale: run '$bin schema > scenarios/schema/scenario.schema.json'"
  failures=$((failures + 1)); fi
models=$("$bin" models)
for kind in compute load_balancer dns database queue object_store search_index third_party \
            external monitoring team; do
  if grep -q "^$kind:" <<<"$models"; then passed=$((passed + 1)); else
    echo "FAIL: models does not list $kind"; failures=$((failures + 1)); fi
done

# Sweeps: shards merge back to the bytes of the whole sweep; bad shards and parts are refused.
ex=scenarios/examples/minimal.json
"$bin" sweep $ex --trials 30 --seed 3 --jobs 2 --json "$tmp/whole.json" --quiet
for k in 1 2 3; do "$bin" sweep $ex --trials 30 --seed 3 --shard $k/3 --json "$tmp/part$k.json" --quiet; done
"$bin" merge "$tmp/part3.json" "$tmp/part1.json" "$tmp/part2.json" --json "$tmp/merged.json" --quiet
if cmp -s "$tmp/whole.json" "$tmp/merged.json"; then passed=$((passed + 1)); else
  echo "FAIL: merged shards differ from the whole sweep"; failures=$((failures + 1)); fi
if grep -q '"kind": "sweep"' "$tmp/whole.json" && grep -q '"p_miss"' "$tmp/whole.json" &&
   grep -q '"ci95"' "$tmp/whole.json" && grep -q '"p95"' "$tmp/whole.json"; then
  passed=$((passed + 1)); else echo "FAIL: sweep JSON lacks its statistics"; failures=$((failures + 1)); fi
expect 2 "shard 2/3 is missing" -- "$bin" merge "$tmp/part1.json" "$tmp/part3.json"
expect 2 "given twice" -- "$bin" merge "$tmp/part1.json" "$tmp/part1.json" "$tmp/part2.json"
expect 2 "expected shard parts" -- "$bin" merge "$tmp/whole.json"
expect 2 "not valid json" -- "$bin" merge "$tmp/trunc.json"
expect 2 'expected K/N with 1 <= K <= N, like 2/8, found "4/3"' -- "$bin" sweep $ex --shard 4/3
expect 2 "" -- "$bin" sweep $ex --trials 0
expect 2 "" -- "$bin" sweep $ex --jobs 0
expect 2 "" -- "$bin" sweep $ex --batch -1

# Batches: trials side by side in one engine give the same sweep, and the same per-trial
# results, as one trial per engine; `run --trial N` replays trial N of such a sweep.
mr=scenarios/examples/multi-region.json
for b in 1 7; do
  "$bin" sweep $mr --trials 40 --seed 5 --jobs 2 --batch $b --quiet --json "$tmp/batch$b.json" \
    --trial-log "$tmp/log$b.jsonl"
  sort "$tmp/log$b.jsonl" >"$tmp/log$b.sorted"
done
if cmp -s "$tmp/batch1.json" "$tmp/batch7.json" && cmp -s "$tmp/log1.sorted" "$tmp/log7.sorted" &&
   [[ $(wc -l <"$tmp/log1.sorted") -eq 160 ]]; then passed=$((passed + 1)); else
  echo "FAIL: --batch 7 differs from --batch 1 (or the trial log lacks trials)"; failures=$((failures + 1)); fi
"$bin" run $mr --seed 5 --trial 13 --disaster region-outage --json "$tmp/t13.json" --quiet
python3 - "$tmp/t13.json" "$tmp/log1.sorted" <<'PY' && passed=$((passed + 1)) || { echo "FAIL: run --trial 13 differs from the sweep's trial 13"; failures=$((failures + 1)); }
import json, sys
run = json.load(open(sys.argv[1]))
logged = [json.loads(l) for l in open(sys.argv[2])]
mine = next(t for t in logged if t["trial"] == 13 and t["disaster"] == "region-outage")
sys.exit(0 if [o["achieved"] for o in run["outcomes"]] == [o["achieved"] for o in mine["outcomes"]] else 1)
PY

# Compare: variants side by side, cost and the Pareto mark; no shared disaster is an error.
"$bin" compare scenarios/examples/single-az.json scenarios/examples/multi-az.json --trials 20 \
  --seed 1 --json "$tmp/cmp.json" >"$tmp/cmp.txt" 2>&1
rc=$?
if [[ $rc -le 1 ]] && grep -q "not beaten on both cost and risk" "$tmp/cmp.txt" &&
   grep -q '"kind": "compare"' "$tmp/cmp.json" && grep -q '"pareto"' "$tmp/cmp.json"; then
  passed=$((passed + 1)); else echo "FAIL: compare output (rc $rc)"; head -5 "$tmp/cmp.txt"; failures=$((failures + 1)); fi
expect 2 "share no disaster" -- "$bin" compare scenarios/examples/minimal.json scenarios/examples/multi-az.json --trials 2

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
