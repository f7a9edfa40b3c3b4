#!/usr/bin/env bash
# The numbers that moved between two firedrill binaries, for a "Numbers that moved" list:
#
#   bench/moved.sh OLD_BIN NEW_BIN [--old-root DIR] [--trials N] [--seed S] [--out DIR]
#
# Sweeps every bundled scenario (scenarios/plans, scenarios/examples) with both binaries
# (`sweep FILE --trials N --seed S --quiet --no-history --json`; OLD_BIN reads the files of
# --old-root, default this tree) and prints, per scenario, disaster and service, each figure
# that differs: RTO and RPO mean, p95 and not-recovered count, P(miss), affected trials and the
# dominant phase. Scenarios only the new side has (or the old binary refuses) are said so. Exit code 0 whatever moved; 2 bad
# usage; 3 a sweep failed (exit code above 1).
set -euo pipefail
usage() { sed -n '2,10p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[[ $# -ge 2 ]] || usage
old=$1 new=$2
shift 2
old_root=$root trials=2000 seed=7 out=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --old-root) old_root=$(cd "${2:?}" && pwd); shift 2 ;;
    --trials) trials=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    *) echo "bench/moved.sh: unknown argument: $1" >&2; usage ;;
  esac
done
for b in "$old" "$new"; do
  [[ -x $b ]] || { echo "bench/moved.sh: $b: not an executable" >&2; exit 2; }
done
[[ $trials =~ ^[1-9][0-9]*$ ]] || { echo "bench/moved.sh: --trials: expected a positive integer" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "bench/moved.sh: --seed: expected an unsigned integer" >&2; exit 2; }
if [[ -z $out ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

sweep() {  # BIN FILE JSON
  local rc=0
  "$1" sweep "$2" --trials "$trials" --seed "$seed" --quiet --no-history --json "$3" \
    >"$out/log" 2>&1 || rc=$?
  if [[ $rc -gt 1 ]]; then
    echo "bench/moved.sh: $1 sweep $2 failed (exit code $rc):" >&2
    cat "$out/log" >&2
    exit 3
  fi
}

cd "$root"
for f in scenarios/plans/*.json scenarios/examples/*.json scenarios/examples/*.yaml; do
  b=$(basename "$f")
  b=${b%.*}
  if [[ -f $old_root/$f ]]; then
    # A file the old binary refuses (keys it does not know: exit code 2) counts as new.
    if "$old" validate "$old_root/$f" >/dev/null 2>&1; then
      sweep "$old" "$old_root/$f" "$out/$b.old.json"
    else
      echo "$b" >>"$out/refused"
    fi
  fi
  sweep "$new" "$f" "$out/$b.new.json"
done

python3 - "$out" <<'PY'
import glob, json, os, sys

out = sys.argv[1]


def differs(u, v):
    if u is None or v is None:
        return u != v
    return abs(u - v) > 1e-6 * max(1.0, abs(u))


moved = 0
for fn in sorted(glob.glob(out + "/*.new.json")):
    name = os.path.basename(fn)[: -len(".new.json")]
    fo = fn.replace(".new.json", ".old.json")
    if not os.path.exists(fo):
        print(f"{name}: new for the old binary (no such file in the old tree, or the old binary refuses it)")
        continue
    a, b = json.load(open(fo)), json.load(open(fn))
    key = lambda o: (o["disaster"], o["service"])
    A = {key(o): o for o in a["outcomes"]}
    B = {key(o): o for o in b["outcomes"]}
    for k in sorted(set(A) | set(B)):
        if k not in A or k not in B:
            print(f"{name} {'/'.join(k)}: only in the {'old' if k in A else 'new'} result")
            moved += 1
            continue
        x, y, d = A[k], B[k], []
        for m in ("rto_s", "rpo_s"):
            for s in ("mean", "p95", "not_recovered"):
                u, v = x["achieved"][m][s], y["achieved"][m][s]
                if differs(u, v):
                    d.append(f"{m}.{s} {u:.6g} -> {v:.6g}" if None not in (u, v) else f"{m}.{s} {u} -> {v}")
        for m in ("any", "rto", "rpo"):
            u, v = x["p_miss"][m]["p"], y["p_miss"][m]["p"]
            if u != v:
                d.append(f"P(miss {m}) {u} -> {v}")
        for f in ("affected", "dominant_phase"):
            if x.get(f) != y.get(f):
                d.append(f"{f} {x.get(f)} -> {y.get(f)}")
        if d:
            moved += 1
            print(f"{name} {'/'.join(k)}: " + "; ".join(d))
print(f"{moved} disaster/service cells moved")
PY
