#!/usr/bin/env bash
# Starts a private single-node Slurm (Debian's slurm-wlm + munge) whose configuration, state,
# spool, logs and pid files all live in DIR; stop it with scripts/slurm/stop.sh DIR.
#   scripts/slurm/start.sh DIR      (as root)
#   export SLURM_CONF=DIR/slurm.conf   (also written to DIR/env; sinfo, sbatch, squeue then use it)
# Uses the machine's munged (started here as the munge user if none answers; left running, as
# it may serve others). Ports: two free ones derived from the process id in 20000-29999.
# Exit: 0 when the node is idle and takes jobs; non-zero with what failed otherwise.
set -uo pipefail

usage() { echo "usage: $0 DIR" >&2; exit 2; }
[[ $# -eq 1 && -n "$1" ]] || usage
fail() { echo "slurm/start.sh: error: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (SlurmUser=root, munged is started as the munge user)"
for cmd in munged munge unmunge mungekey slurmctld slurmd sinfo scontrol runuser ss; do
  command -v "$cmd" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
  command -v "$cmd" >/dev/null 2>&1 ||
    fail "'$cmd' not found: install the Debian packages slurm-wlm and munge (make deps)"
done

mkdir -p -- "$1" || fail "cannot create $1"
dir=$(cd -- "$1" && pwd) || fail "cannot enter $1"
case $dir in *[[:space:]]*) fail "DIR must not contain white space (slurm.conf cannot quote it): $dir" ;; esac
conf=$dir/slurm.conf
export SLURM_CONF=$conf

# ---- munge -------------------------------------------------------------------------------
munge_ok() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }
key=/etc/munge/munge.key
if [[ ! -e $key ]]; then
  echo "slurm/start.sh: creating munge key $key"
  install -d -o munge -g munge -m 0700 /etc/munge || fail "cannot create /etc/munge"
  mungekey --create --keyfile="$key" || fail "mungekey --create --keyfile=$key failed"
fi
chown munge:munge "$key" && chmod 0600 "$key" || fail "cannot give $key to munge with mode 0600"
if munge_ok; then
  echo "slurm/start.sh: reusing the running munged"
else
  install -d -o munge -g munge -m 0755 /run/munge || fail "cannot create /run/munge"
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge ||
    fail "cannot create /var/lib/munge /var/log/munge"
  if ! out=$(runuser -u munge -- munged </dev/null 2>&1); then
    fail "munged (as user munge) failed to start: $out (see /var/log/munge/munged.log)"
  fi
  for _ in $(seq 50); do munge_ok && break; sleep 0.2; done
  munge_ok || fail "munged started but 'munge -n | unmunge' still fails: $(munge -n </dev/null 2>&1 | unmunge 2>&1 | tail -2)"
  echo "slurm/start.sh: started munged as user munge"
fi

# ---- refuse to start twice in one DIR ------------------------------------------------------
for d in slurmctld slurmd; do
  if [[ -s $dir/$d.pid ]] && kill -0 "$(cat "$dir/$d.pid")" 2>/dev/null; then
    fail "$d already runs from $dir (pid $(cat "$dir/$d.pid")); run scripts/slurm/stop.sh $dir first"
  fi
done

# ---- ports: two consecutive free ones in 20000-29999, derived from the process id -----------
port_free() { [[ -z $(ss -Htan "( sport = :$1 )" 2>/dev/null) ]]; }
ctld_port=""
start=$(( ($$ * 2) % 9998 ))
for i in $(seq 0 199); do
  p=$(( 20000 + (start + 2 * i) % 9998 ))
  if port_free "$p" && port_free $((p + 1)); then ctld_port=$p; break; fi
done
[[ -n $ctld_port ]] || fail "no two free consecutive TCP ports found in 20000-29999"
slurmd_port=$((ctld_port + 1))

# ---- slurm.conf ----------------------------------------------------------------------------
node=$(hostname -s) || fail "hostname -s failed"
cpus=$(nproc)
mem=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
[[ -n $mem ]] || mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
# Both daemons talk over the loopback: the node name need not resolve to a reachable address.
mkdir -p "$dir/state" "$dir/spool" "$dir/log" || fail "cannot create state/spool/log in $dir"
rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"
cat >"$conf" <<CONF
# Private single-node Slurm for tests, written by scripts/slurm/start.sh
ClusterName=firedrill
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
: >"$dir/plugstack.conf"
echo "export SLURM_CONF=$conf" >"$dir/env"

# ---- daemons (stdio to files: a daemon holding the caller's pipe would hang ctest) ----------
show_log() { echo "---- last lines of $1 ----" >&2; tail -n 15 "$1" >&2 2>/dev/null; }
start_daemon() {  # NAME ARGS...
  local name=$1; shift
  if ! "$name" "$@" -f "$conf" </dev/null >"$dir/log/$name.stdout" 2>&1; then
    cat "$dir/log/$name.stdout" >&2; show_log "$dir/log/$name.log"
    fail "'$name $* -f $conf' exited with status $?"
  fi
  for _ in $(seq 50); do [[ -s $dir/$name.pid ]] && break; sleep 0.2; done
  if ! [[ -s $dir/$name.pid ]] || ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
    cat "$dir/log/$name.stdout" >&2; show_log "$dir/log/$name.log"
    fail "$name did not stay up (no live pid in $dir/$name.pid)"
  fi
}
start_daemon slurmctld -i   # -i: ignore (absent) saved state
start_daemon slurmd

# ---- wait (bounded) until the node is idle ---------------------------------------------------
state=""
for _ in $(seq 120); do
  state=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -1)
  [[ $state == idle ]] && break
  for d in slurmctld slurmd; do
    if ! kill -0 "$(cat "$dir/$d.pid" 2>/dev/null)" 2>/dev/null; then
      show_log "$dir/log/$d.log"; fail "$d died while waiting for the node (see $dir/log/$d.log)"
    fi
  done
  sleep 0.5
done
if [[ $state != idle ]]; then
  echo "sinfo: $(sinfo -h -N -o '%N %T %E' 2>&1)" >&2
  show_log "$dir/log/slurmctld.log"; show_log "$dir/log/slurmd.log"
  fail "node $node not idle after 60 s (state '${state:-none}')"
fi
echo "slurm/start.sh: Slurm up: node $node ($cpus CPUs, ${mem} MB), ports $ctld_port/$slurmd_port, SLURM_CONF=$conf"
