# Shared by pg_failover_test.sh and pg_recover_test.sh (sourced, not run): a PostgreSQL 15
# primary (pg1) with a streaming standby (pg2) and HAProxy in front of them, all on 127.0.0.1,
# in the temporary folder $WORK (ports picked free, unix sockets in $WORK). As root the
# servers run as the `postgres` user (PostgreSQL refuses root). pg_stop_all stops every server
# it started; the scripts call it from their EXIT trap.
#
# The primary carries an audit trigger installed before any drill: when a table named
# firedrill_orders is created, every row inserted into it also inserts its seq into
# audit_seqs, in the same transaction. audit_seqs outlives the workload's table (which the
# drill drops) and is the test's independent record of which rows survived.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl && -x $PGBIN/pg_basebackup ]] ||
  { echo "FAIL: no PostgreSQL 15 server binaries in $PGBIN (install postgresql-15: make deps)"; exit 1; }
command -v haproxy >/dev/null || { echo "FAIL: no haproxy (install it: make deps)"; exit 1; }
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "FAIL: running as root, but there is no postgres user"; exit 1; }
  AS_PG=(runuser -u postgres --)
fi
export PGPASSWORD="pw-$RANDOM-$RANDOM-secret"   # the firedrill role's password (scram)
export FD_PG_PASSWORD=$PGPASSWORD               # the bindings' secret reference
WORK=$(mktemp -d /tmp/firedrill-livepg.XXXXXX) || exit 1
chmod 755 "$WORK"
export FIREDRILL_HISTORY="$WORK/history.sqlite"  # live drills and sweeps are recorded here
[[ ${#AS_PG[@]} -gt 0 ]] && chown postgres: "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P1=$(free_port); P2=$(free_port); PH=$(free_port)
TABLE=firedrill_orders

pg_stop_all() {
  [[ -f $WORK/haproxy.pid ]] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  for d in "$WORK/pg1" "$WORK/pg2"; do
    [[ -f $d/postmaster.pid ]] && "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
  done
  return 0
}

pgq() {  # pgq PORT SQL: one value per line, no header (direct to the server)
  "$PGBIN/psql" "host=127.0.0.1 port=$1 dbname=postgres user=firedrill connect_timeout=5" -qAtX -c "$2"
}

# The pristine primary, made once: initdb, the audit trigger, stopped.
pg_make_template() {
  echo "$PGPASSWORD" > "$WORK/pwfile"
  chmod 644 "$WORK/pwfile"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/template" -U firedrill --pwfile="$WORK/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$WORK/initdb.log" 2>&1 ||
    { cat "$WORK/initdb.log"; echo "FAIL: initdb"; exit 1; }
  rm -f "$WORK/pwfile"
  cat >> "$WORK/template/postgresql.conf" <<EOS
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
fsync = off
full_page_writes = off
wal_keep_size = 64MB
log_min_messages = warning
log_connections = off
EOS
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/template" -o "-p $P1" -l "$WORK/template.log" -w start >/dev/null ||
    { tail "$WORK/template.log"; echo "FAIL: template start"; exit 1; }
  pgq "$P1" "
    CREATE TABLE audit_seqs (seq bigint PRIMARY KEY);
    CREATE FUNCTION audit_copy() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN INSERT INTO audit_seqs VALUES (NEW.seq); RETURN NEW; END \$\$;
    CREATE FUNCTION audit_attach() RETURNS event_trigger LANGUAGE plpgsql AS \$\$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
          IF r.object_identity = 'public.$TABLE' THEN
            EXECUTE 'CREATE TRIGGER audit AFTER INSERT ON public.$TABLE FOR EACH ROW EXECUTE FUNCTION audit_copy()';
          END IF;
        END LOOP;
      END \$\$;
    CREATE EVENT TRIGGER audit_attach ON ddl_command_end EXECUTE FUNCTION audit_attach();" >/dev/null ||
    { echo "FAIL: the audit trigger"; exit 1; }
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/template" -m fast -w stop >/dev/null
}

# pg_setup sync|async: a fresh primary from the template, a standby from pg_basebackup -R,
# HAProxy (pg1 ready, pg2 in maintenance), the replication mode on the primary only.
pg_setup() {
  local mode=$1
  pg_stop_all
  rm -rf "$WORK/pg1" "$WORK/pg2" "$WORK"/haproxy.*
  "${AS_PG[@]}" cp -a "$WORK/template" "$WORK/pg1"
  echo "port = $P1" >> "$WORK/pg1/postgresql.conf"
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg1" -l "$WORK/pg1.log" -w start >/dev/null ||
    { tail "$WORK/pg1.log"; echo "FAIL: pg1 start"; return 1; }
  "${AS_PG[@]}" env PGPASSWORD="$PGPASSWORD" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U firedrill \
    -D "$WORK/pg2" -R -X stream --no-sync >/dev/null 2>"$WORK/basebackup.log" ||
    { cat "$WORK/basebackup.log"; echo "FAIL: pg_basebackup"; return 1; }
  echo "port = $P2" >> "$WORK/pg2/postgresql.conf"
  # A standby whose WAL receiver just lost the primary waits wal_retrieve_retry_interval (5s by
  # default) before trying again, and PostgreSQL 15 can finish a promotion only after that wait:
  # a drill here once took 5.0 s to promote. The test's standby retries every 200ms (the model's
  # promote step, 100-600ms, includes that wait).
  echo "wal_retrieve_retry_interval = '200ms'" >> "$WORK/pg2/postgresql.conf"
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg2" -l "$WORK/pg2.log" -w start >/dev/null ||
    { tail "$WORK/pg2.log"; echo "FAIL: pg2 start"; return 1; }
  # Only the primary gets the mode: a promoted standby must not wait for a standby it lacks.
  if [[ $mode == sync ]]; then
    pgq "$P1" "ALTER SYSTEM SET synchronous_standby_names = '*'" >/dev/null
  else
    pgq "$P1" "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
    pgq "$P1" "ALTER SYSTEM SET wal_writer_delay = '500ms'" >/dev/null
  fi
  pgq "$P1" "SELECT pg_reload_conf()" >/dev/null
  local want=async
  [[ $mode == sync ]] && want=sync
  for _ in $(seq 100); do
    [[ $(pgq "$P1" "SELECT sync_state FROM pg_stat_replication" 2>/dev/null) == "$want" ]] && break
    sleep 0.1
  done
  [[ $(pgq "$P1" "SELECT sync_state FROM pg_stat_replication") == "$want" ]] ||
    { echo "FAIL: the standby does not stream ($want)"; return 1; }
  cat > "$WORK/haproxy.cfg" <<EOS
global
  stats socket $WORK/haproxy.sock mode 600 level admin
defaults
  mode tcp
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  retries 0
frontend pg_front
  bind 127.0.0.1:$PH
  default_backend pg
backend pg
  option pgsql-check user firedrill
  default-server inter 200ms rise 1 fall 1
  server pg1 127.0.0.1:$P1 check
  server pg2 127.0.0.1:$P2 check
EOS
  haproxy -f "$WORK/haproxy.cfg" -D -p "$WORK/haproxy.pid" >"$WORK/haproxy.log" 2>&1 ||
    { cat "$WORK/haproxy.log"; echo "FAIL: haproxy"; return 1; }
  for _ in $(seq 50); do [[ -S $WORK/haproxy.sock ]] && break; sleep 0.1; done
  [[ -z $(hap "set server pg/pg2 state maint") ]] || { echo "FAIL: haproxy socket"; return 1; }
  for _ in $(seq 50); do
    [[ $(pgq "$PH" "SELECT NOT pg_is_in_recovery()" 2>/dev/null) == t ]] && return 0
    sleep 0.1
  done
  echo "FAIL: no primary through HAProxy"
  return 1
}

hap() {  # hap COMMAND: HAProxy's runtime API answer
  python3 - "$WORK/haproxy.sock" "$1" <<'EOS'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
sys.stdout.write(out.decode().strip())
EOS
}

# "pg1=ADMIN pg2=ADMIN": each server's srv_admin_state (0 ready, 1 maint set by the API).
hap_states() {
  hap "show servers state pg" | awk '$2 == "pg" {printf "%s=%s ", $4, $7}' | sed 's/ $//'
}

pg_running() {  # pg_running DIR: the postmaster of DIR runs
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# The bindings of the test's drill (file $1).
pg_bindings() {
  local dsn="host=127.0.0.1 dbname=postgres user=firedrill"
  cat > "$1" <<EOS
{
  "format": "firedrill.bindings/1",
  "components": {
    "pg": {"driver": "postgres",
           "params": {"data_dir": "$WORK/pg1", "log": "$WORK/pg1.log", "bin_dir": "$PGBIN"}}
  },
  "services": {"orders": {
    "probe": {"driver": "postgres", "interval": "500ms", "passes": 3,
              "params": {"dsn": "$dsn port=$PH", "password": {"env": "FD_PG_PASSWORD"},
                         "primary": true, "timeout": "2s"}},
    "workload": {"driver": "postgres",
                 "params": {"dsn": "$dsn port=$PH", "password": {"env": "FD_PG_PASSWORD"},
                            "table": "$TABLE", "rate": "100/s", "warmup": "3s", "timeout": "2s",
                            "also": ["$dsn port=$P1", "$dsn port=$P2"]}}
  }},
  "faults": {"primary-crash": [{"action": "kill"}]},
  "steps": {
    "promote-standby/fence": {"driver": "haproxy", "action": "disable",
                              "params": {"socket": "$WORK/haproxy.sock", "backend": "pg", "server": "pg1"}},
    "promote-standby/promote": {"driver": "postgres", "action": "promote",
                                "params": {"dsn": "$dsn port=$P2", "password": {"env": "FD_PG_PASSWORD"}}},
    "promote-standby/switch": {"driver": "haproxy", "action": "enable",
                               "params": {"socket": "$WORK/haproxy.sock", "backend": "pg", "server": "pg2"}}
  }
}
EOS
}
