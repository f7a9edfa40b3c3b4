#!/usr/bin/env bash
# The history suite on a real PostgreSQL server: starts a private cluster on 127.0.0.1 (a free
# port, its unix socket in its own temporary folder), runs the "postgres: ..." cases of
# history_test against it, records a run with `firedrill --db postgresql://...`, checks list,
# verify, a tampered record, then stops the server and removes the folder, also on failure.
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
# Usage: pg_test.sh HISTORY_TEST FIREDRILL SOURCE_DIR
set -uo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 HISTORY_TEST FIREDRILL SOURCE_DIR" >&2; exit 2; }
history_test=$(realpath -- "$1") || exit 2
bin=$(realpath -- "$2") || exit 2
src=$(realpath -- "$3") || exit 2

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $pgbin/initdb && -x $pgbin/pg_ctl ]] ||
  { echo "FAIL: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install the postgresql package: make deps)"; exit 1; }
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "FAIL: running as root, but there is no postgres user to run the server"; exit 1; }
  as_pg=(runuser -u postgres --)
fi

tmp=$(mktemp -d /tmp/firedrill-pg.XXXXXX) || exit 1
[[ ${#as_pg[@]} -gt 0 ]] && chown postgres: "$tmp"
data=$tmp/data
cleanup() {
  [[ -f $data/postmaster.pid ]] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
  if [[ ${keep:-0} == 1 ]]; then echo "kept $tmp for inspection"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fail() {
  echo "FAIL: $*"
  [[ -f $tmp/server.log ]] && { echo "---- server.log (last lines) ----"; tail -n 20 "$tmp/server.log"; }
  exit 1
}

cd "$tmp" || exit 1  # a folder the postgres user can enter
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
  fail "no free port on 127.0.0.1"
"${as_pg[@]}" "$pgbin/initdb" -D "$data" -U firedrill -A trust --no-sync >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log"; fail "initdb failed"; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off" start >/dev/null ||
  fail "the server did not start on 127.0.0.1:$port"
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U firedrill -d postgres -qAt -c 'CREATE DATABASE history' ||
  fail "cannot create the test database"
uri="postgresql://firedrill@127.0.0.1:$port/history"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

# The library suite.
out=$(FIREDRILL_TEST_POSTGRES=$uri "$history_test" --test-case='postgres: *' 2>&1)
rc=$?
echo "$out" | tail -n 30
[[ $rc -eq 0 ]] || fail "history_test postgres cases failed"
cases=$(sed -n 's/.*test cases: *\([0-9]*\) | *\([0-9]*\) passed.*/\2/p' <<<"$out")
[[ ${cases:-0} -ge 7 ]] || fail "expected at least 7 postgres test cases to pass, found ${cases:-none}"

# The command line on the team database: two runs recorded, listed, verified, then tampered.
psql_h() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U firedrill -d history -qAt "$@"; }
psql_h -c 'DROP TABLE IF EXISTS records' || fail "cannot reset the records table"
cd "$src" || exit 2
for seed in 3 4; do
  "$bin" run scenarios/examples/minimal.json --seed $seed --db "$uri" >"$tmp/run.txt" 2>&1
  rc=$?
  [[ $rc -le 1 ]] || { cat "$tmp/run.txt"; fail "run --db postgresql://... exited $rc"; }
  grep -q "recorded as history record" "$tmp/run.txt" || { cat "$tmp/run.txt"; fail "run did not record"; }
done
[[ $(psql_h -c 'SELECT count(*) FROM records') == 2 ]] || fail "expected 2 records in PostgreSQL"
"$bin" history --db "$uri" list | grep -q "minimal" || fail "history --db postgresql://... list lacks the runs"
out=$("$bin" history --db "$uri" verify) || fail "verify of an intact chain exited $?: $out"
grep -q "chain intact: 2 records" <<<"$out" || fail "verify said: $out"
psql_h -c "UPDATE records SET seed = '5' WHERE id = 1" || fail "cannot tamper"
out=$("$bin" history --db "$uri" verify)
rc=$?
[[ $rc -eq 1 ]] || fail "verify of a tampered chain exited $rc, expected 1: $out"
grep -q "record 1: content changed" <<<"$out" || fail "verify did not name record 1: $out"
# A team member with only SELECT and INSERT on the table (no UPDATE, DELETE or CREATE) records
# and verifies; changing a record is refused by the database.
psql_h -c 'CREATE ROLE member LOGIN' -c 'GRANT SELECT, INSERT ON records TO member' ||
  fail "cannot create the member role"
member="postgresql://member@127.0.0.1:$port/history"
"$bin" run scenarios/examples/minimal.json --seed 6 --db "$member" >"$tmp/run.txt" 2>&1
grep -q "recorded as history record 3" "$tmp/run.txt" || { cat "$tmp/run.txt"; fail "a member could not record"; }
out=$("$bin" history --db "$member" verify)
[[ $? -eq 1 ]] && grep -q "record 1: content changed" <<<"$out" || fail "verify as a member said: $out"
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U member -d history -qAt -c "UPDATE records SET seed = '3' WHERE id = 1" \
  >/dev/null 2>&1 && fail "a member could change a record"
# A wrong password is refused and never printed.
out=$("$bin" history --db "postgresql://firedrill:hunter2@127.0.0.1:1/history" list 2>&1)
rc=$?
[[ $rc -eq 2 ]] || fail "an unreachable database exited $rc, expected 2"
grep -q hunter2 <<<"$out" && fail "the password appears in: $out"
echo "PASS: history on PostgreSQL ($cases library cases, command line)"
