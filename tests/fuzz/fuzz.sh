#!/usr/bin/env bash
# The loaders' libFuzzer targets (tests/fuzz/): configures and builds their clang build dir when
# needed, seeds each target with the bundled files and runs it, then prints one line per
# target: inputs executed, exec/s, coverage (edges, features), corpus size and findings.
#
#   tests/fuzz/fuzz.sh [--build DIR] [--runs N] [--time S] [--keep] [TARGET...]
#
# --runs N: each target stops after N inputs (the ctest fuzz_smoke: deterministic, -seed=1);
# --time S: each target stops after S seconds (bench/fuzz.sh). With both, whichever comes first.
# A fresh corpus (the seeds only) each time unless --keep (it grows in DIR/corpus/TARGET).
# Exit 1 on any finding (crash, sanitizer report, leak, timeout, out of memory: the input is
# kept in DIR/findings/TARGET/), 2 on a set-up problem (no clang, a build that fails).
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build/fuzz
runs=-1
time_s=0
keep=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --time) time_s=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_scenario_json fuzz_scenario_yaml fuzz_bindings fuzz_result)
mkdir -p "$build"
build=$(cd "$build" && pwd)

# clang with libFuzzer is a dependency (Makefile PACKAGES: clang, libclang-rt-14-dev), not optional.
cxx=${FUZZ_CXX:-clang++}
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' >"$probe/t.cpp"
if ! command -v "$cxx" >/dev/null; then
  echo "fuzz.sh: $cxx not found: the fuzz targets need clang (Debian: apt-get install clang libclang-rt-14-dev, or make deps)" >&2
  exit 2
fi
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/t.cpp" -o "$probe/t" 2>"$probe/err"; then
  cat "$probe/err" >&2
  echo "fuzz.sh: $cxx cannot link a libFuzzer target (Debian: apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null && [ "${CCACHE_DISABLE:-0}" != 1 ]; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$src" -B "$build" -DFIREDRILL_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; echo "fuzz.sh: configuring $build failed" >&2; exit 2; }
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]}" >"$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log" >&2; echo "fuzz.sh: building the fuzz targets failed ($build/build.log)" >&2; exit 2; }

# The bundled files each target starts from; tests/fuzz/seeds/ adds hand-written ones and
# the inputs of past findings (regressions).
seeds_of() {
  case $1 in
    fuzz_scenario_json) ls "$src"/scenarios/*/*.json "$src"/tests/data/*.json "$src"/tests/fuzz/seeds/scenario/*.json ;;
    fuzz_scenario_yaml) ls "$src"/scenarios/*/*.json "$src"/scenarios/*/*.yaml "$src"/tests/data/*.json \
                           "$src"/tests/data/*.yaml "$src"/tests/fuzz/seeds/scenario/* ;;
    fuzz_bindings) ls "$src"/scenarios/live/*staging* "$src"/tests/fuzz/seeds/bindings/* ;;
    fuzz_result) ls "$src"/tests/golden/*.json "$src"/tests/fuzz/seeds/result/* ;;
  esac 2>/dev/null | grep -v /schema/ || true
}

status=0
printf '%-20s %10s %8s %7s %7s %12s %s\n' target execs exec/s cov ft corpus findings
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t findings=$build/findings/$t seeds=$build/seeds/$t
  [ "$keep" = 1 ] || rm -rf "$corpus"
  rm -rf "$findings"  # the findings of this run only
  rm -rf "$seeds" && mkdir -p "$corpus" "$findings" "$seeds"
  seeds_of "$t" | while read -r f; do cp "$f" "$seeds/"; done
  log=$build/$t.log
  args=(-dict="$src/tests/fuzz/firedrill.dict" -artifact_prefix="$findings/" -print_final_stats=1
        -timeout=25 -rss_limit_mb=2048 -seed=1 -runs="$runs")
  [ "$time_s" = 0 ] || args+=(-max_total_time="$time_s")
  rc=0
  (cd "$build" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/bin/$t" "${args[@]}" "$corpus" "$seeds") >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[A-Za-z]*\).*/\1/p' <<<"$last")
  found=$(find "$findings" -type f | wc -l)
  printf '%-20s %10s %8s %7s %7s %12s %s\n' "$t" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}" "$found"
  if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
    status=1
    echo "--- $t: exit $rc, findings in $findings/ (log $log):" >&2
    grep -E -A40 '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|Test unit written' "$log" | head -80 >&2 || tail -40 "$log" >&2
  fi
done
exit $status
