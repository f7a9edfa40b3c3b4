#!/usr/bin/env bash
# The command line as a user meets it: exit codes (0 met, 1 missed, 2 invalid input or usage,
# 3 runtime failure), error messages that name file, pointer, expected and found, outputs.
# Usage: cli_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1
source "$(dirname "$0")/expect.sh"
cd "$2" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FIREDRILL_HISTORY=$tmp/history.sqlite  # runs are recorded here, not in the home folder

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

# A misspelled disruption class is an error (not the "default" target), with the near name.
sed 's/"class": "component"/"class": "componnet"/' scenarios/examples/minimal.json >"$tmp/cls.json"
expect 2 'cls.json:[0-9]+:[0-9]+: /disasters/0/class: expected a standard disruption class or one that a service.s targets name, found "componnet" \(did you mean "component"\?\)' -- \
  "$bin" validate "$tmp/cls.json"
sed 's/"targets": {"default"/"targets": {"componnet": {"rto": "1m", "rpo": "0s"}, "default"/' \
  scenarios/examples/minimal.json >"$tmp/key.json"
expect 2 'key.json:[0-9]+:[0-9]+: /services/0/targets/componnet: expected "default", a standard disruption class or the class of a disaster, found "componnet" \(did you mean "component"\?\)' -- \
  "$bin" validate "$tmp/key.json"

# A runbook with trigger "alert" that nothing can start (no monitoring, no damaged data) is
# valid, with a warning naming the runbook and the disaster: validate, run and sweep print it on
# stderr (not stdout) and exit as they would without it.
sed 's/"trigger": "start"/"trigger": "alert"/' scenarios/examples/minimal.json >"$tmp/alert.json"
alert_warning='alert.json:[0-9]+:[0-9]+: /runbooks/0: warning: expected a runbook that its disasters can start, found runbook "restart-web" with trigger "alert", which nothing raises in disaster "web-crash" \(the scenario has no monitoring'
expect 0 "$alert_warning" -- "$bin" validate "$tmp/alert.json"
# a consumer no faster than the arrivals never drains its backlog: validate warns
sed 's|"drain_rate": "20/s"|"drain_rate": "5/s"|' scenarios/plans/azure-api-nagios.json > "$tmp/slow-drain.json"
expect 0 '/services/1/queued/0/drain_rate: warning: expected a drain_rate above the service.s writes \(5/s\), found 5/s' -- "$bin" validate "$tmp/slow-drain.json"
expect 0 "alert.json: ok" -- "$bin" validate "$tmp/alert.json"
# validate states each credential's blast radius: what its compromise destroys.
expect 0 'credential backup-copy-role: destroys s3-content: copy@us-east-1' -- \
  "$bin" validate scenarios/plans/lms-multi-dc-mysql.json
expect 1 "$alert_warning" -- "$bin" run "$tmp/alert.json" --no-history --timeline 0
expect 1 "$alert_warning" -- "$bin" sweep "$tmp/alert.json" --trials 2 --no-history --quiet
out=$("$bin" run "$tmp/alert.json" --no-history --json - 2>/dev/null)
if grep -q 'warning' <<<"$out" || ! grep -q '"schema": "firedrill.result/1"' <<<"$out"; then
  echo "FAIL: the warning went to stdout with the result JSON"; failures=$((failures + 1))
else passed=$((passed + 1)); fi
# ... and never on a bundled scenario or test file that loads (alerts fire where they run),
# but for gitlab-2017.json, whose dumps were broken and never tested: exactly that warning.
while read -r f; do
  out=$("$bin" validate "$f" 2>&1)
  [[ $? -ne 0 ]] && continue
  if [[ $f == */gitlab-2017.json ]]; then
    if [[ $(grep -c 'warning:' <<<"$out") -ne 1 ]] ||
       ! grep -q '/components/0/snapshots/failure_probability: warning: expected a job that can produce a usable copy' <<<"$out"; then
      echo "FAIL: $f: expected one warning, on its never-tested dumps"; echo "$out" | head -3; failures=$((failures + 1))
    else passed=$((passed + 1)); fi
    continue
  fi
  if grep -q 'warning:' <<<"$out"; then echo "FAIL: $f warns"; echo "$out" | head -3; failures=$((failures + 1))
  else passed=$((passed + 1)); fi
done < <(bundled_scenarios .; printf '%s\n' scenarios/live/*.json scenarios/live/*.yaml tests/data/*)

# A restore step's duration comes before its transfer: `models` says so and names the flag.
expect 0 'a restore \(or a data store.s rebuild\) then moves the data .* "duration_includes_transfer": true the duration is the whole step' -- \
  "$bin" models
expect 0 'restore step.s transfer comes after the step.s duration unless the step sets duration_includes_transfer' -- \
  "$bin" models

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
# Defaults below a millisecond are shown as they are, not rounded to "0s" (schema and docs).
if grep -q '"inside one zone (default 0.2ms)"' "$tmp/schema.json" &&
   grep -q '`zone_latency` (default `"0.2ms"`)' docs/scenario-format.md; then
  passed=$((passed + 1)); else echo "FAIL: zone_latency's default 0.2ms is not in the schema and docs"
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

# Named variants in one file: validate lists them; compare takes the base and every variant,
# or those --variants names; run and sweep take --variant; unknown names exit 2.
sv=scenarios/examples/shop-variants.json
expect 0 "shop-variants.json: ok \(8 components, 1 services, 4 disasters; variants: multi-az, single-az\)" -- \
  "$bin" validate $sv
"$bin" compare $sv --trials 10 --json "$tmp/cmpv.json" >"$tmp/cmpv.txt" 2>&1
rc=$?
if [[ $rc -le 1 ]] && grep -q "^3 variants, 10 trials per disaster, seed 1" "$tmp/cmpv.txt" &&
   grep -Eq "^shop +2100 " "$tmp/cmpv.txt" && grep -Eq "^shop/multi-az +900 " "$tmp/cmpv.txt" &&
   grep -Eq "^shop/single-az +400 " "$tmp/cmpv.txt" && grep -q '"name": "shop/single-az"' "$tmp/cmpv.json"; then
  passed=$((passed + 1)); else echo "FAIL: compare of one file with variants (rc $rc)"; head -20 "$tmp/cmpv.txt"; failures=$((failures + 1)); fi
"$bin" compare $sv --variants single-az,base --trials 5 >"$tmp/cmpv2.txt" 2>&1
rc=$?
if [[ $rc -le 1 ]] && grep -q "^2 variants" "$tmp/cmpv2.txt" &&
   [[ $(grep -E "^(shop|shop/single-az) +[0-9]+ " "$tmp/cmpv2.txt" | cut -d' ' -f1 | tr '\n' ' ') == "shop/single-az shop " ]]; then
  passed=$((passed + 1)); else echo "FAIL: compare --variants (rc $rc)"; cat "$tmp/cmpv2.txt"; failures=$((failures + 1)); fi
# A file with variants among others brings them all.
"$bin" compare scenarios/examples/single-az.json $sv --trials 3 --json "$tmp/cmpv3.json" --quiet
if [[ $(grep -c '"sha256"' "$tmp/cmpv3.json") -eq 4 ]]; then passed=$((passed + 1)); else
  echo "FAIL: compare of a plain file and a file with variants"; failures=$((failures + 1)); fi
expect 2 'shop-variants.json: --variants: expected one of the file.s variants \(base, multi-az, single-az\), found "multi-a" \(did you mean "multi-az"\?\)' -- \
  "$bin" compare $sv --variants base,multi-a --trials 2
expect 2 'expected each variant once, found "base" again' -- "$bin" compare $sv --variants base,base --trials 2
expect 2 "--variants picks among the variants of one file, found 2 files" -- \
  "$bin" compare $sv scenarios/examples/single-az.json --variants base --trials 2
expect 2 'minimal.json: --variants: expected one of the file.s variants \(base\), found "x" \(the file has no "variants"\)' -- \
  "$bin" compare scenarios/examples/minimal.json --variants x --trials 2
expect 2 'shop-variants.json: --variant: expected one of the file.s variants \(base, multi-az, single-az\), found "singleaz" \(did you mean "single-az"\?\)' -- \
  "$bin" run $sv --variant singleaz
expect 2 'found "single-az" \(the file has no "variants"\)' -- "$bin" run scenarios/examples/minimal.json --variant single-az
expect 2 "found \"nope\"" -- "$bin" sweep $sv --variant nope --trials 2
expect 0 "--variant" -- "$bin" run --help
# run --variant: the variant's name, its own hash, the same trial as its separate file.
"$bin" run $sv --variant single-az --seed 7 --json "$tmp/rv.json" >"$tmp/rv.txt" 2>&1
"$bin" run scenarios/examples/single-az.json --seed 7 --json "$tmp/rs.json" >/dev/null 2>&1
vsha=$(printf '%s/single-az' "$(sha256sum $sv | cut -d' ' -f1)" | sha256sum | cut -d' ' -f1)
if grep -q "^shop/single-az: " "$tmp/rv.txt" && grep -q '"name": "shop/single-az"' "$tmp/rv.json" &&
   grep -q "\"sha256\": \"$vsha\"" "$tmp/rv.json" &&
   cmp -s <(sed -n '/"outcomes"/,$p' "$tmp/rv.json") <(sed -n '/"outcomes"/,$p' "$tmp/rs.json"); then
  passed=$((passed + 1)); else echo "FAIL: run --variant"; head -3 "$tmp/rv.txt"; failures=$((failures + 1)); fi
# Without --variant, a file with variants runs its base.
"$bin" run $sv --seed 7 --json "$tmp/rb.json" >/dev/null 2>&1
if grep -q '"name": "shop",' "$tmp/rb.json" && grep -q "\"sha256\": \"$(sha256sum $sv | cut -d' ' -f1)\"" "$tmp/rb.json"; then
  passed=$((passed + 1)); else echo "FAIL: run of a file with variants runs its base"; failures=$((failures + 1)); fi
# sweep --variant: shards of one variant merge; parts of two variants are refused.
"$bin" sweep $sv --variant multi-az --trials 6 --json "$tmp/vw.json" --quiet
for k in 1 2; do "$bin" sweep $sv --variant multi-az --trials 6 --shard $k/2 --json "$tmp/vp$k.json" --quiet; done
"$bin" sweep $sv --variant single-az --trials 6 --shard 2/2 --json "$tmp/vq2.json" --quiet
"$bin" merge "$tmp/vp1.json" "$tmp/vp2.json" --json "$tmp/vm.json" --quiet
if cmp -s "$tmp/vw.json" "$tmp/vm.json" && grep -q '"name": "shop/multi-az"' "$tmp/vw.json" &&
   grep -q '"variant": "multi-az"' "$tmp/vw.json" &&
   grep -q '"command": "firedrill sweep .*shop-variants.json --trials 6 --seed [0-9]* --variant multi-az"' "$tmp/vw.json"; then
  passed=$((passed + 1)); else echo "FAIL: merged shards of a variant"; failures=$((failures + 1)); fi
expect 2 "parts of different sweeps: scenario" -- "$bin" merge "$tmp/vp1.json" "$tmp/vq2.json"
expect 0 'shop-variants.json \(variant multi-az\), 8 trials' -- \
  "$bin" sweep $sv --variant multi-az --trials 8 --emit slurm
expect 0 'sweep "\$scenario" --variant multi-az --trials 8 ' -- \
  "$bin" sweep $sv --variant multi-az --trials 8 --emit slurm

# A bad variant: every problem, with file:line:col, pointing into the variant; exit 2.
cat >"$tmp/badv.json" <<'JSON'
{"format": "firedrill.scenario/1", "name": "x",
 "providers": [{"name": "p"}],
 "components": [{"name": "t", "kind": "team"}, {"name": "s", "kind": "compute", "provider": "p"}],
 "services": [{"name": "svc", "depends": ["s"], "targets": {"default": {"rto": "1h", "rpo": "0s"}}}],
 "disasters": [{"name": "d", "class": "component", "faults": [{"kind": "component_crash", "target": "s"}]}],
 "variants": [{"name": "big", "components": {"s": {"instances_per_zone": -2}, "queue": {}}}]}
JSON
out=$("$bin" validate "$tmp/badv.json" 2>&1); rc=$?
if [[ $rc -eq 2 ]] &&
   grep -q 'badv.json:6:79: /variants/0/components/queue: expected the name of a component of the base scenario, found "queue" (known components: t, s; in variant "big")' <<<"$out" &&
   grep -q 'badv.json:6:74: /variants/0/components/s/instances_per_zone: expected a non-negative integer, found -2 (in variant "big")' <<<"$out"; then
  passed=$((passed + 1)); else echo "FAIL: errors of a variant (rc $rc)"; echo "$out"; failures=$((failures + 1)); fi

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
