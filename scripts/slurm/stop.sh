#!/usr/bin/env bash
# Stops the private Slurm that scripts/slurm/start.sh DIR started: cancels its jobs, then ends
# slurmd and slurmctld by their pid files in DIR and waits for them to exit (TERM, then KILL
# after 15 s). Leaves munged running (shared with whoever else uses it) and DIR in place.
# Safe to call twice or after a failed start. Exit 0 when nothing of DIR's Slurm still runs.
set -uo pipefail
[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 DIR" >&2; exit 2; }
PATH=$PATH:/usr/sbin:/sbin
dir=$1
[[ -d $dir ]] || exit 0
export SLURM_CONF=$dir/slurm.conf

alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }
pid_of() { [[ -s $dir/$1.pid ]] && cat "$dir/$1.pid"; }

ctld=$(pid_of slurmctld || true)
if alive "$ctld" && [[ -f $SLURM_CONF ]] && command -v squeue >/dev/null; then
  jobs=$(timeout 10 squeue -h -o '%A' 2>/dev/null | sort -u)
  if [[ -n $jobs ]]; then
    # shellcheck disable=SC2086
    timeout 10 scancel $jobs 2>/dev/null
    for _ in $(seq 20); do [[ -z $(timeout 5 squeue -h -o '%A' 2>/dev/null) ]] && break; sleep 0.5; done
  fi
fi

rc=0
for d in slurmd slurmctld; do
  pid=$(pid_of "$d" || true)
  alive "$pid" || continue
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 150); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    echo "slurm/stop.sh: $d (pid $pid) ignored TERM for 15 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  if alive "$pid"; then echo "slurm/stop.sh: error: $d (pid $pid) still runs" >&2; rc=1; fi
done
exit $rc
