#!/usr/bin/env bash
# A sweep on a real single-node Slurm equals the local sweep, byte for byte: starts a private
# Slurm (scripts/slurm/start.sh) in a temporary folder, runs the sweep locally, submits a job
# array of 4 shards and a merge job depending on it, waits (at most 300 s) and compares.
# Uses the script of `firedrill sweep --emit slurm`.
# Usage: slurm_test.sh FIREDRILL SOURCE_DIR   (as root; exit 77 = skipped when not root)
set -uo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 FIREDRILL SOURCE_DIR" >&2; exit 2; }
bin=$(realpath -- "$1") || exit 2
src=$(realpath -- "$2") || exit 2
scenario=$src/scenarios/examples/multi-az.json
trials=400 seed=1 shards=4
export PATH=$PATH:/usr/sbin:/sbin

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the Slurm test starts slurmctld, slurmd and munged, which needs root"; exit 77
fi

tmp=$(mktemp -d /tmp/firedrill-slurm.XXXXXX) || exit 1
slurm=$tmp/slurm
export FIREDRILL_HISTORY=$tmp/history.sqlite  # runs are recorded here, not in the home folder
cleanup() {
  "$src/scripts/slurm/stop.sh" "$slurm" || echo "WARNING: stopping Slurm in $slurm failed" >&2
  if [[ ${keep:-0} == 1 ]]; then echo "kept $tmp for inspection"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
  echo "FAIL: $*"
  echo "---- squeue / jobs ----"; squeue 2>&1 | head -20
  for f in "$slurm"/log/jobcomp.log "$tmp"/run/*.out "$slurm"/log/slurmctld.log "$slurm"/log/slurmd.log; do
    [[ -f $f ]] || continue
    echo "---- $f (last lines) ----"; tail -n 20 "$f"
  done
  keep=1
  exit 1
}

started=$(date +%s)
"$src/scripts/slurm/start.sh" "$slurm" || fail "Slurm did not start (scripts/slurm/start.sh, see above)"
export SLURM_CONF=$slurm/slurm.conf
run=$tmp/run
mkdir -p "$run" && cd "$run" || exit 1

# The reference: the whole sweep on this machine. Exit 1 only says a target was missed.
"$bin" sweep "$scenario" --trials $trials --seed $seed --jobs 2 --json "$run/local.json" --quiet
rc=$?
[[ $rc -le 1 && -s $run/local.json ]] || fail "local sweep exited $rc (or wrote no local.json)"

# The script `firedrill sweep --emit slurm` writes submits itself as the array and the merge
# job when run with bash.
"$bin" sweep "$scenario" --trials $trials --seed $seed --jobs 1 --emit slurm --shards $shards \
  --out-dir "$run" --json "$run/merged.json" >"$run/sweep.sbatch" ||
  fail "firedrill sweep --emit slurm --shards $shards --out-dir DIR --json FILE failed"
grep -q -- "^#SBATCH --array=1-$shards\$" "$run/sweep.sbatch" || fail "emitted script lacks --array=1-$shards"
out=$(bash "$run/sweep.sbatch" 2>&1) || fail "bash sweep.sbatch (self-submission) failed: $out"
echo "$out"
array_id=$(sed -n 's/.*array job \([0-9]*\).*/\1/p' <<<"$out")
merge_id=$(sed -n 's/.*merge job \([0-9]*\).*/\1/p' <<<"$out")
how="emitted by firedrill sweep --emit slurm"
[[ -n $array_id && -n $merge_id ]] || fail "no job ids from the submission"
echo "array job $array_id ($shards shards), merge job $merge_id: $how"

# Wait, bounded, until neither job is queued or running.
deadline=$(( $(date +%s) + 300 ))
while [[ -n $(squeue -h -j "$array_id,$merge_id" -o '%i' 2>/dev/null) ]]; do
  (( $(date +%s) < deadline )) || fail "jobs still queued or running after 300 s"
  sleep 1
done
state=$(scontrol show job "$merge_id" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
tasks=$(scontrol show job "$array_id" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort | uniq -c | xargs)
echo "array tasks: $tasks; merge job: ${state:-unknown}"
[[ $state == COMPLETED ]] || fail "merge job $merge_id ended ${state:-unknown} (array tasks: $tasks)"
[[ -s $run/merged.json ]] || fail "merge job completed but wrote no merged.json"
cmp "$run/merged.json" "$run/local.json" || fail "merged.json differs from the local sweep"
echo "PASS: $shards Slurm shards merged equal the local sweep ($(( $(date +%s) - started )) s)"
