#!/usr/bin/env bash
# Inputs that must not get through (issue 18): files that are not regular files or are too
# big, seeds that are not unsigned 64-bit integers, names with control characters, teams of
# nobody. Each gets a clear message and exit 2; nothing blocks, nothing eats memory.
# Usage: inputs_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1
source "$(dirname "$0")/expect.sh"
cd "$2" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FIREDRILL_HISTORY=$tmp/history.sqlite
ex=scenarios/examples/minimal.json
# Bounded: a command that blocks (a FIFO) or reads forever (/dev/zero) fails instead of hanging,
# and one that eats memory is stopped at 1 GiB.
bounded() { (ulimit -v 1048576; timeout 20 "$@"); }

# ---- files: only regular files, at most 256 MiB ------------------------------------------------
mkfifo "$tmp/fifo.json"
truncate -s 300M "$tmp/big.json"
"$bin" sweep $ex --trials 3 --seed 1 --shard 1/1 --json "$tmp/part.json" --quiet --no-history
not_regular='\(document\): expected a [a-z]+ file \(a regular file\), found'
for f in /dev/zero "$tmp/fifo.json" "$tmp"; do
  expect 2 "^$f: $not_regular a (character device|named pipe \(fifo\)|directory)" -- bounded "$bin" validate "$f"
  expect 2 "^$f: $not_regular" -- bounded "$bin" run "$f"
  expect 2 "^$f: $not_regular" -- bounded "$bin" report "$f" -o "$tmp/r.md"
  expect 2 "^$f: $not_regular" -- bounded "$bin" merge "$f"
  expect 2 "$f: $not_regular" -- bounded "$bin" compare-live "$f" "$tmp/part.json"
  expect 2 "^$f: $not_regular" -- bounded "$bin" live $ex --bindings "$f" --dry-run
done
expect 2 "^$tmp/big.json: \(document\): expected a scenario file of at most 256 MiB, found a file of 300 MiB$" -- \
  bounded "$bin" validate "$tmp/big.json"
expect 2 "expected a result file of at most 256 MiB, found a file of 300 MiB" -- \
  bounded "$bin" report "$tmp/big.json" -o "$tmp/r.md"
expect 2 "expected a part file of at most 256 MiB, found a file of 300 MiB" -- bounded "$bin" merge "$tmp/big.json"
expect 2 "expected a bindings file of at most 256 MiB, found a file of 300 MiB" -- \
  bounded "$bin" live $ex --bindings "$tmp/big.json" --dry-run
# A good file through a symbolic link is a regular file.
ln -s "$PWD/$ex" "$tmp/link.json"
expect 0 "link.json: ok" -- bounded "$bin" validate "$tmp/link.json"

# ---- control characters: refused in names, escaped in every message ---------------------------------
esc=$'\e'
sed "s/\"name\": \"web\"/\"name\": \"we\\\\u001b[31mb\"/" $ex >"$tmp/esc.json"
expect 2 '/components/0/name: expected a component name without control characters' -- "$bin" validate "$tmp/esc.json"
out=$("$bin" validate "$tmp/esc.json" 2>&1); [[ $out != *"$esc"* ]]; verdict $? "a raw escape in: $out"
out=$("$bin" validate "$tmp/a${esc}[31mb.json" 2>&1); [[ $out != *"$esc"* && $out == *'a\x1b[31mb.json'* ]]
verdict $? "the file name's escape is not escaped: $out"

# ---- seeds: unsigned 64-bit integers, on every command that takes --seed -------------------------
seed_error='--seed: expected an unsigned 64-bit integer \(0 to 18446744073709551615\), found'
for cmd in "run $ex" "sweep $ex --trials 2 --no-history --quiet" "compare $ex $ex --trials 2 --no-history --quiet"; do
  for bad in 99999999999999999999999 18446744073709551616 -1 1.5 1e3 0x10 ''; do
    expect 2 "$seed_error \"$bad\"" -- $bin $cmd --seed "$bad"
  done
  expect 0 "" -- $bin $cmd --seed 18446744073709551615
done
# Seeds above 2^53 are distinct seeds (they were not, through a double).
a=$("$bin" sweep $ex --trials 20 --no-history --quiet --seed 9007199254740992 --json - | grep -v '"seed"\|"command"\|_at"\|"elapsed')
b=$("$bin" sweep $ex --trials 20 --no-history --quiet --seed 9007199254740993 --json - | grep -v '"seed"\|"command"\|_at"\|"elapsed')
[[ "$a" != "$b" ]]; verdict $? "seeds 2^53 and 2^53 + 1 give the same sweep"

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
