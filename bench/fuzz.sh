#!/usr/bin/env bash
# The long runs of the loaders' fuzz targets (tests/fuzz/; the ctest fuzz_smoke is the short
# one): each target for SECONDS (default 600) in one process (one core of the 2), from
# the bundled files plus the corpus earlier runs left in build/fuzz/corpus/ (--fresh: the
# bundled files only). Prints per target the inputs executed, exec/s, coverage (cov: edges,
# ft: features), corpus size (inputs/bytes) and findings; exit 1 on any finding (its input in
# build/fuzz/findings/TARGET/, the report in build/fuzz/TARGET.log). Figures: bench/PROFILE.md.
#
#   bench/fuzz.sh [--time SECONDS] [--fresh] [--build DIR] [TARGET...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
time_s=600 keep=(--keep) rest=()
while [ $# -gt 0 ]; do
  case $1 in
    --time) time_s=$2; shift 2 ;;
    --fresh) keep=(); shift ;;
    *) rest+=("$1"); shift ;;
  esac
done
echo "bench/fuzz.sh: ${time_s} s per target, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$here/../tests/fuzz/fuzz.sh" --time "$time_s" "${keep[@]}" "${rest[@]}"
