#!/usr/bin/env bash
# A sweep's workers (sim/runner.hpp): a zygote per disaster and worker prepares the batch's
# platforms once and forks a child per batch. A batch or a zygote that dies must end the sweep
# with a clear error (exit code 3), never a hang, and a sweep killed outright must leave no
# process behind. FIREDRILL_TEST_KILL_TRIAL / FIREDRILL_TEST_KILL_ZYGOTE make the process
# running a given trial, or a zygote, kill itself as a crash would.
#
#   workers_test.sh FIREDRILL PROJECT_DIR
set -u
firedrill=$1 project=$2
source "$(dirname "$0")/expect.sh"
work=$(mktemp -d)
trap 'pkill -KILL -f "$work/" 2>/dev/null; rm -rf "$work"' EXIT
# Copies under $work: every process of these sweeps names $work on its command line.
cp "$project/scenarios/examples/multi-az.json" "$work/multi-az.json"
cp "$project/scenarios/plans/iconik-gke-cassandra.json" "$work/iconik.json"

# left_behind: the processes still running a sweep of a file under $work.
left_behind() { pgrep -f "$work/" >/dev/null; }

# The batch running trial 7 (trials 0 to 9) dies: its trials are named, with the signal; the
# timeout would turn a hang into exit code 124.
expect 3 "trials 0, 1, 2, 3, \.\.\. \(10 in all\) of disaster .* failed \(killed by signal 9\)" -- \
  env FIREDRILL_TEST_KILL_TRIAL=7 timeout 120 "$firedrill" sweep "$work/multi-az.json" \
  --trials 200 --batch 10 --jobs 2 --seed 1 --no-history --quiet
sleep 0.5
! left_behind
verdict $? "processes left behind after a batch died: $(pgrep -af "$work/")"

# A zygote dies: the same, saying that the process preparing the batch ended.
expect 3 "failed \(the process preparing them ended, killed by signal 9\)" -- \
  env FIREDRILL_TEST_KILL_ZYGOTE=any timeout 120 "$firedrill" sweep "$work/multi-az.json" \
  --trials 200 --jobs 2 --seed 1 --no-history --quiet
sleep 0.5
! left_behind
verdict $? "processes left behind after a zygote died: $(pgrep -af "$work/")"

# The sweep itself is killed (SIGKILL: no handler runs): its zygotes and their batches die
# with it.
"$firedrill" sweep "$work/iconik.json" --trials 100000 --jobs 2 --seed 1 --no-history --quiet \
  >/dev/null 2>&1 &
sweep=$!
# Up to 30 s for the zygotes and a batch to be running; the loop ends as soon as they are.
# The count is the one seen then: counted again, a batch may just have ended and the next
# not yet started (batches of a few trials last milliseconds).
running=0
for _ in $(seq 300); do
  running=$(pgrep -f "$work/" | wc -l)
  [[ $running -ge 4 ]] && break
  sleep 0.1
done
[[ $running -ge 4 ]]
verdict $? "expected the sweep, its zygotes and their batches running, found $running processes"
kill -KILL $sweep
wait $sweep 2>/dev/null
for _ in $(seq 50); do left_behind || break; sleep 0.1; done
! left_behind
verdict $? "processes left behind after the sweep was killed: $(pgrep -af "$work/")"

# A sweep that runs to its end leaves nothing either, and gives the same result with one or
# two workers and any batch size.
"$firedrill" sweep "$work/multi-az.json" --trials 300 --jobs 2 --seed 3 --no-history --quiet \
  --json "$work/a.json" >/dev/null 2>&1
"$firedrill" sweep "$work/multi-az.json" --trials 300 --jobs 1 --batch 7 --seed 3 --no-history \
  --quiet --json "$work/b.json" >/dev/null 2>&1
cmp -s "$work/a.json" "$work/b.json"
verdict $? "a sweep with --jobs 2 and one with --jobs 1 --batch 7 differ"
! left_behind
verdict $? "processes left behind after a complete sweep: $(pgrep -af "$work/")"

echo "workers: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
