#!/usr/bin/env bash
# Where the time of one trial goes (bench/PROFILE.md): instruction counts with callgrind,
# which are repeatable on a noisy machine, plus the kernel's share from GNU time.
#
#   bench/profile.sh [--topology N] [--report-only]
#
# N: components of the generated topology (default 5000; 0 skips it). --report-only prints
# the tables again from the callgrind files of the previous run.
#
# Profiles, each with `valgrind --tool=callgrind --trace-children=yes`:
#   A. firedrill run scenarios/plans/managed-aws.json --disaster single-zone-outage --quiet
#      The command forks one trial process. Counting restarts in the child when the trial
#      starts (--zero-before=run_trials_in_process), so the parent's file is the process (start,
#      loading, exit) and the child's file is the trial alone.
#   B. firedrill sweep (same disaster) --trials 128 --jobs 1 --batch 64: trials as a sweep
#      runs them (no timeline), 64 side by side in each of 2 batch processes forked from a
#      zygote that built the engine and platforms once (counting restarts in a batch at
#      run_prepared_batch); the tables give the median batch's counts divided by 64, the
#      zygote's preparation per trial of a batch, and the parent's work per trial.
#   C. the same sweep of bench/empty.json: the floor.
#   D. firedrill run on a generated N-component topology (bench_gen_topology).
# Needs valgrind (Debian package `valgrind`, installed through scripts/install-deps.sh).
# Writes the callgrind files to $BUILD/profile/ and prints the tables quoted in PROFILE.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD:-$root/build}
topology=5000
report_only=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --topology) topology=${2:?}; shift 2 ;;
    --report-only) report_only=true; shift ;;
    *) echo "usage: bench/profile.sh [--topology N] [--report-only]" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || "$root/scripts/install-deps.sh" valgrind
[[ -x /usr/bin/time ]] || "$root/scripts/install-deps.sh" time

cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" -j "$(nproc)" --target firedrill bench_gen_topology >/dev/null
fd=$build/bin/firedrill
# A sweep re-executes itself to set this tunable (apps/reexec.hpp); valgrind has its own
# malloc, so setting it here only spares a second process per profile.
export GLIBC_TUNABLES=glibc.malloc.hugetlb=1
# Profiled commands record nothing in the user's drill history.
export FIREDRILL_HISTORY=$build/profile-history.sqlite
out=$build/profile
$report_only || rm -rf "$out"
mkdir -p "$out"
cd "$root"

cg() {  # NAME ZERO_BEFORE ARGS...: callgrind on firedrill, one file per process
  local name=$1 zero=$2
  shift 2
  # The pattern ends in "&)" so that it leaves out the lambdas defined inside the function.
  valgrind --tool=callgrind --trace-children=yes \
    --zero-before="firedrill::sim::$zero(*&)" \
    --callgrind-out-file="$out/$name.%p" "$fd" "$@" >"$out/$name.log" 2>&1 || {
    local rc=$?
    [[ $rc -le 1 ]] || { echo "callgrind $name failed ($rc), see $out/$name.log" >&2; exit 3; }
  }
  for f in "$out/$name".[0-9]*; do
    callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$f" >"$f.txt" 2>/dev/null
  done
}
total() { sed -n 's/^totals: //p' "$1"; }
# The parent process is the one whose file holds the process start (the children's counts
# restart at run_trials_in_process or run_prepared_batch; a sweep's zygote also holds the
# start, inherited, and comes after the parent).
files_of() { for f in "$out/$1".[0-9]*; do [[ $f == *.txt ]] || echo "$f"; done; }
is_parent() { grep -q ':_dl_start ' "$1.txt"; }
parent_of() {
  local f
  for f in $(files_of "$1"); do
    if is_parent "$f"; then
      echo "$f"
      return
    fi
  done
}
zygote_of() {
  local f
  for f in $(files_of "$1"); do
    if grep -q ':firedrill::sim::prepare_batch(' "$f.txt" && ! grep -q 'run_prepared_batch(' "$f.txt"; then
      echo "$f"
      return
    fi
  done
}
median_child_of() {
  for f in $(files_of "$1"); do if ! is_parent "$f"; then echo "$(total "$f") $f"; fi; done | sort -n |
    awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }' | cut -d' ' -f2
}
# Inclusive instructions of the function matching REGEX: the largest entry (a function may
# appear once per source file it has code inlined from), leaving out the entries of recursive
# activations (name'2), whose inclusive counts callgrind reports cumulated.
incl() {
  { grep -E "^ *[0-9,]+ +\([ 0-9.]+%\)  [^=]" "$1.txt" | grep -E "$2" | grep -v "'[0-9]" || true; } |
    awk '{ gsub(",", "", $1); if ($1 + 0 > m) m = $1 + 0 } END { printf "%.0f\n", m }'
}
# Self instructions of the functions matching REGEX, summed (inlined copies, recursion).
self_of() {
  { grep -E "^ *[0-9,]+ +\([ 0-9.]+%\)  [^=]" "$1.self.txt" | grep -E "$2" || true; } |
    awk '{ gsub(",", "", $1); m += $1 } END { printf "%.0f\n", m }'
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%5.1f%%", 100 * a / b }'; }
mir() { awk -v a="$1" 'BEGIN { printf "%8.2f M", a / 1e6 }'; }
row() { printf '| %-60s | %10s | %6s |\n' "$1" "$(mir "$2")" "$(pct "$2" "$3")"; }

# Costs of a trial process (child), counted from run_trials_in_process (a sweep's batch:
# run_prepared_batch; the engine and platforms are the zygote's) to _exit.
child_table() {  # FILE TITLE [TRIALS: per-trial figures of a batch of that many]
  local f=$1 n=${3:-1} t eng plat run down ser trial
  t=$(( $(total "$f") / n ))
  eng=$(( $(incl "$f" ':simgrid::s4u::Engine::Engine\(') / n ))
  plat=$(( $(incl "$f" ':firedrill::sim::Platform::Platform\(') / n ))
  run=$(( $(incl "$f" ':simgrid::kernel::EngineImpl::run\(') / n ))
  down=$(( $(incl "$f" ':simgrid::s4u::Engine::~Engine\(') / n ))
  ser=$(( $(incl "$f" ':firedrill::sim::trial_to_wire') / n ))
  trial=$(( $(incl "$f" ':firedrill::sim::run_trials_in_process\(') / n ))
  [[ $trial -gt 0 ]] || trial=$(( $(incl "$f" ':firedrill::sim::run_prepared_batch\(') / n ))
  echo
  echo "$2 ($(basename "$f")): $(mir "$t") instructions"
  echo
  printf '| %-60s | %10s | %6s |\n' "part of the trial" "Ir" "share"
  printf '|%s|%s|%s|\n' "--------------------------------------------------------------" "------------" "--------"
  row "SimGrid engine creation (s4u::Engine::Engine)" "$eng" "$t"
  row "platform building (Platform::Platform: zones, hosts, links)" "$plat" "$t"
  row "models, runtime state, actors set-up, measure (rest)" "$((trial - eng - plat - run - down))" "$t"
  row "simulation (EngineImpl::run)" "$run" "$t"
  row "engine teardown (s4u::Engine::~Engine)" "$down" "$t"
  row "result serialisation (trial_to_wire)" "$ser" "$t"
  row "write to the pipe, free, _exit (rest)" "$((t - trial - ser))" "$t"
}

$report_only && cg() { :; }
echo "== callgrind A: one 'firedrill run' (process + one trial)"
cg run-aws run_trials_in_process run scenarios/plans/managed-aws.json --disaster single-zone-outage --quiet
echo "== callgrind B/C: 128-trial sweeps, --jobs 1 --batch 64"
cg sweep-aws run_prepared_batch sweep scenarios/plans/managed-aws.json --disaster single-zone-outage --trials 128 --jobs 1 --batch 64 --seed 1 --quiet
cg sweep-empty run_prepared_batch sweep bench/empty.json --trials 128 --jobs 1 --batch 64 --seed 1 --quiet
if [[ $topology -gt 0 ]]; then
  echo "== callgrind D: firedrill run on a generated $topology-component topology (slow)"
  "$build/bin/bench_gen_topology" "$topology" >"$out/topology-$topology.json"
  cg "topology-$topology" run_trials_in_process run "$out/topology-$topology.json" --quiet --timeline 0
fi

{
  p=$(parent_of run-aws)
  t=$(total "$p")
  rel=$(incl "$p" ':_dl_start ')
  init=$(incl "$p" ':_dl_init ')
  load=$(incl "$p" ':firedrill::sim::load_scenario_file\(')
  sha=$(incl "$p" ':firedrill::sim::sha256_hex')
  json=$(incl "$p" ':firedrill::sim::detail::parse_json_source\(')
  parse=$(incl "$p" ':firedrill::sim::trial_from_wire\(')
  fini=$(incl "$p" 'exit.c:exit ')
  c=$(median_child_of run-aws)
  ct=$(total "$c")
  all=$((t + ct))
  echo
  echo "A. firedrill run scenarios/plans/managed-aws.json --disaster single-zone-outage --quiet:"
  echo "   $(mir "$all") instructions (parent $(mir "$t"), trial process $(mir "$ct"))"
  echo
  printf '| %-60s | %10s | %6s |\n' "part of the command" "Ir" "share"
  printf '|%s|%s|%s|\n' "--------------------------------------------------------------" "------------" "--------"
  row "process start: dynamic linking (ld.so relocations)" "$rel" "$all"
  row "process start: static initialisers (ns-3, OpenSSL, ...)" "$init" "$all"
  row "scenario loading: JSON parse with source positions" "$json" "$all"
  row "scenario loading: SHA-256 of the file (OpenSSL init)" "$sha" "$all"
  row "scenario loading: the rest (checks, model parameters)" "$((load - json - sha))" "$all"
  row "the trial process (table below)" "$ct" "$all"
  row "reading the trial's result (trial_from_wire)" "$parse" "$all"
  row "exit: static destructors (ns-3, SimGrid, ...)" "$fini" "$all"
  row "the rest (command line, models registry, ...)" "$((t - rel - init - load - parse - fini))" "$all"
  child_table "$c" "A'. its trial process"

  c=$(median_child_of sweep-aws)
  child_table "$c" "B. one trial of a sweep (managed-aws single-zone-outage, no timeline), per trial of a 64-trial batch" 64
  z=$(zygote_of sweep-aws)
  echo
  echo "   its zygote, once for all the disaster's batches: $(mir $(( $(incl "$z" ':firedrill::sim::prepare_batch\(') / 64 ))) a trial of a batch (engine and platform copies)"
  p=$(parent_of sweep-aws)
  sw=$(incl "$p" ':firedrill::sim::run_sweep\(')
  parse=$(incl "$p" ':firedrill::sim::trial_from_wire\(')
  echo "   sweep parent, per trial: $(mir $((sw / 128))) (of which reading results $(mir $((parse / 128))))"

  c=$(median_child_of sweep-empty)
  child_table "$c" "C. one trial of the floor (bench/empty.json), per trial of a 64-trial batch" 64
  z=$(zygote_of sweep-empty)
  echo
  echo "   its zygote, once for all the disaster's batches: $(mir $(( $(incl "$z" ':firedrill::sim::prepare_batch\(') / 64 ))) a trial of a batch"
  p=$(parent_of sweep-empty)
  sw=$(incl "$p" ':firedrill::sim::run_sweep\(')
  echo "   sweep parent, per trial: $(mir $((sw / 128)))"

  if [[ $topology -gt 0 ]]; then
    c=$(median_child_of "topology-$topology")
    child_table "$c" "D. one trial of the generated $topology-component topology"
    ct=$(total "$c")
    echo
    echo "   inside it (inclusive: with callees; self: in the function itself, summed over its"
    echo "   inlined copies; inclusive costs of code that blocks in SimGrid would also count other"
    echo "   actors' work, so only these are shown):"
    echo
    printf '| %-60s | %10s | %6s | %10s | %6s |\n' "function" "inclusive" "share" "self" "share"
    printf '|%s|%s|%s|%s|%s|\n' "--------------------------------------------------------------" "------------" "--------" "------------" "--------"
    callgrind_annotate --inclusive=no --threshold=100 --auto=no "$c" >"$c.self.txt" 2>/dev/null
    for pair in 'Trial::evaluate\(\)|Trial::evaluate() (re-evaluates every component and service)' \
                'Trial::eval\(|Trial::eval (one component, recursive over dependencies)' \
                'std::map<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, unsigned long.*::at\(|std::map<std::string, size_t>::at (component name lookups)' \
                '__memcmp_avx2_movbe|memcmp (string comparisons)' \
                '__memset_avx2_unaligned_erms|memset (filling vectors of one entry per component)' \
                'simgrid::s4u::Host::is_on\(|Host::is_on' \
                'firedrill::sim::Platform::Platform\(|Platform::Platform' \
                'simgrid::kernel::routing::NetZoneImpl::get_link_by_name_or_null|NetZoneImpl::get_link_by_name_or_null (unique link names)' \
                'simgrid::s4u::Actor::create\(|Actor::create' \
                'simgrid::kernel::EngineImpl::solve\(|EngineImpl::solve (SimGrid resource sharing)'; do
      fn=${pair%%|*} label=${pair#*|}
      v=$(incl "$c" "$fn")
      w=$(self_of "$c" "$fn")
      [[ $v -gt 0 || $w -gt 0 ]] || continue
      printf '| %-60s | %10s | %6s | %10s | %6s |\n' "$label" "$(mir "$v")" "$(pct "$v" "$ct")" "$(mir "$w")" "$(pct "$w" "$ct")"
    done
    p=$(parent_of "topology-$topology")
    t=$(total "$p")
    echo
    echo "   its parent process: $(mir "$t") (loading $(mir "$(incl "$p" ':firedrill::sim::load_scenario_file\(')"))"
  fi
} | tee "$out/summary.md"

# The kernel's share, which callgrind does not see: fork, page faults, exit.
$report_only && exit 0
echo
echo "kernel vs user time of 1000-trial sweeps (--jobs 2), GNU time:"
for f in bench/empty.json scenarios/plans/managed-aws.json; do
  d=$([[ $f == bench/empty.json ]] && echo nothing || echo single-zone-outage)
  /usr/bin/time -o "$out/time.txt" -f "  $f $d: %e s wall, %U s user, %S s system" \
    "$fd" sweep "$f" --disaster "$d" --trials 1000 --jobs 2 --seed 1 --quiet >/dev/null 2>&1 || true
  tail -n 1 "$out/time.txt"
done
if command -v strace >/dev/null; then
  echo
  echo "system calls of the sweep's parent (strace -c, bench/empty.json, 1000 trials):"
  strace -c -o "$out/strace.txt" "$fd" sweep bench/empty.json --trials 1000 --jobs 2 --seed 1 --quiet \
    >/dev/null 2>&1 || true
  head -8 "$out/strace.txt"
fi
