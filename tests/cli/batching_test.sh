#!/usr/bin/env bash
# Same seed, same bytes, whatever the batching: sweeps with --batch 1, 2, 7, 64 and the
# automatic size, with --jobs 1 and 2, give identical results and identical trial logs (one
# line a trial, by disaster then trial); `run --trial N` gives the trial log's trial N. First on
# tests/data/batching.json (faults at random instants, snapshot copies moving the clock before
# the fault, both runbook triggers), then on tests/data/part5.json (the keys of issue 18 part 5),
# then on every bundled scenario.
# Usage: batching_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1 src=$2
cd "$src" || exit 2
. tests/cli/expect.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FIREDRILL_HISTORY=$tmp/history.sqlite

# sweeps FILE TRIALS NAME: every batching of FILE into $tmp/NAME.<variant>.{json,jsonl}.
sweeps() {
  local file=$1 trials=$2 name=$3 v
  for v in "1 2" "2 2" "7 2" "64 2" "0 2" "0 1" "7 1"; do
    set -- $v
    local batch=() tag="b$1j$2"
    [[ $1 -gt 0 ]] && batch=(--batch "$1")
    "$bin" sweep "$file" --trials "$trials" --seed 3 --jobs "$2" "${batch[@]}" --quiet --no-history \
      --json "$tmp/$name.$tag.json" --trial-log "$tmp/$name.$tag.jsonl" >/dev/null 2>"$tmp/err"
    [[ $? -le 1 ]] || { echo "FAIL: sweep $file --batch $1 --jobs $2 exited badly"; cat "$tmp/err"; }
  done
  local same=0
  for tag in b2j2 b7j2 b64j2 b0j2 b0j1 b7j1; do
    if ! cmp -s "$tmp/$name.b1j2.json" "$tmp/$name.$tag.json" ||
       ! cmp -s "$tmp/$name.b1j2.jsonl" "$tmp/$name.$tag.jsonl"; then
      same=1
      echo "$file: $tag differs from --batch 1 --jobs 2"
      diff "$tmp/$name.b1j2.jsonl" "$tmp/$name.$tag.jsonl" | head -4 | cut -c1-300
    fi
  done
  verdict $same "$file: sweeps differ with the batching or the number of processes"
}

# replays FILE NAME DISASTER TRIAL...: `run --trial N` equals the trial log's trial N.
replays() {
  local file=$1 name=$2 disaster=$3
  shift 3
  for n in "$@"; do
    "$bin" run "$file" --seed 3 --trial "$n" --disaster "$disaster" --no-history --quiet \
      --json "$tmp/run.json" >/dev/null 2>&1
    python3 - "$tmp/run.json" "$tmp/$name.b1j2.jsonl" "$disaster" "$n" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
disaster, n = sys.argv[3], int(sys.argv[4])
lines = [json.loads(l) for l in open(sys.argv[2])]
mine = [l for l in lines if l["disaster"] == disaster]
if mine[n]["trial"] != n:
    sys.exit(f"line {n} of the {disaster} trials is trial {mine[n]['trial']}")
if run["outcomes"] != mine[n]["outcomes"]:
    sys.exit(f"run --trial {n} of {disaster}: {run['outcomes']} != {mine[n]['outcomes']}")
PY
    verdict $? "$file: run --trial $n --disaster $disaster differs from the sweep's trial $n"
  done
}

sweeps tests/data/batching.json 1000 batching
# Trials whose start-triggered runbook never started when the clock reached the fault's
# instant a hair late (before the trial's clock was exact), and a few others.
replays tests/data/batching.json batching deletion 0 6 562
replays tests/data/batching.json batching zone-and-worker 354 562 999
replays tests/data/batching.json batching queue-down 562
# The keys of issue 18 part 5 with their random draws (time of day, broken jobs, stale
# replicas, cache warm-up, any_of, fallbacks, compromise).
sweeps tests/data/part5.json 300 part5
replays tests/data/part5.json part5 wipe-at-night 0 17 299
replays tests/data/part5.json part5 logical-delete 3 150
replays tests/data/part5.json part5 app-compromised 42
replays tests/data/part5.json part5 cache-and-queue 7 201

k=0
while read -r f; do
  k=$((k + 1))
  sweeps "$f" 48 "s$k"
  first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disasters"][0])' "$tmp/s$k.b1j2.json")
  [[ -n "$first" ]] && replays "$f" "s$k" "$first" 0 31
done < <(bundled_scenarios .)

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
