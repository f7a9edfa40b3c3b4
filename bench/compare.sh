#!/usr/bin/env bash
# Before/after in one run: the sweeps of bench/run.sh (every disaster of every plan, and the
# empty floor) with two firedrill binaries, interleaved round by round so that both see the
# same machine, and the median ratio of their wall-clock seconds.
#
#   bench/compare.sh OLD_BIN NEW_BIN [--old-root DIR] [--trials N] [--repeat R]
#
# OLD_BIN runs the scenario files of --old-root (default: this tree), so that an older binary
# reads the files of its own commit (e.g. a `git worktree` checked out there); NEW_BIN runs
# this tree's. Each sweep: --trials N (default 4000) --jobs 2 --seed 1 --quiet --no-history.
# A ratio new/old above 1 means the new binary is slower. Prints a table; writes nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
usage() { sed -n '5p' "$0" | sed 's/^#   /usage: /' >&2; exit 2; }
[[ $# -ge 2 ]] || usage
old=$1 new=$2
shift 2
old_root=$root trials=4000 repeat=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --old-root) old_root=$(cd "${2:?}" && pwd); shift 2 ;;
    --trials) trials=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "bench/compare.sh: unknown argument: $1" >&2; usage ;;
  esac
done
for b in "$old" "$new"; do
  [[ -x $b ]] || { echo "bench/compare.sh: $b: not an executable" >&2; exit 2; }
done
[[ $trials =~ ^[1-9][0-9]*$ ]] || { echo "bench/compare.sh: --trials: expected a positive integer" >&2; exit 2; }
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "bench/compare.sh: --repeat: expected a positive integer" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/lib.sh"

seconds() {  # BIN FILE DISASTER
  timed bench/compare.sh "$1" sweep "$2" --disaster "$3" --trials "$trials" --jobs 2 --seed 1 \
    --quiet --no-history
}

cases=("bench/empty.json	nothing")
for f in "$root"/scenarios/plans/*.json; do
  names=$(disasters_of "$new" "$f")
  while IFS= read -r d; do cases+=("${f#"$root"/}	$d"); done <<<"$names"
done

declare -A so sn
echo "== $trials trials, --jobs 2, ${#cases[@]} sweeps, $repeat rounds, old then new in each"
for ((r = 1; r <= repeat; ++r)); do
  for c in "${cases[@]}"; do
    f=${c%%	*} d=${c#*	}
    a=$(seconds "$old" "$old_root/$f" "$d")
    b=$(seconds "$new" "$root/$f" "$d")
    so[$c]="${so[$c]:-} $a" sn[$c]="${sn[$c]:-} $b"
    printf '  round %d/%d  %-44s %-30s old %7.3f s  new %7.3f s\n' "$r" "$repeat" "${f#scenarios/plans/}" "$d" "$a" "$b"
  done
done

echo
echo "old: $old ($old_root)"
echo "new: $new ($root)"
printf '%-44s %-30s %9s %9s %9s\n' "file" "disaster" "old s" "new s" "new/old"
ratios=()
for c in "${cases[@]}"; do
  f=${c%%	*} d=${c#*	}
  # shellcheck disable=SC2086
  a=$(median ${so[$c]}) b=$(median ${sn[$c]})
  q=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$q")
  printf '%-44s %-30s %9s %9s %9s\n' "${f#scenarios/plans/}" "$d" "$a" "$b" "$q"
done
echo "median new/old over the sweeps: $(median "${ratios[@]}")"
