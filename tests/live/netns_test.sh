#!/usr/bin/env bash
# The network driver for real: a temporary network namespace joined to the host by a veth pair,
# a python3 http.server inside it, faults injected through `firedrill live` (an iptables DROP,
# a tbf rate limit, netem delay where the kernel has it), checked with probes from the host and
# with `iptables -S` / `tc qdisc show` inside the namespace; rollback on SIGINT and `live
# recover` after a SIGKILL must leave no rule and no qdisc. The namespace is deleted on exit.
# Exit 77 (skipped) when network namespaces cannot be created here, with the reason.
# Usage: netns_test.sh FIREDRILL PROJECT_DIR
set -u
FD=$(realpath "$1")
WORK=$(mktemp -d)
NS="fdtest$$"
HOSTNS="fdhost$$"
VH="fdh$$"
VN="fdn$$"
NET="10.213.$(($$ % 250 + 1))"
SERVER_PID=""
FD_PID=""
cleanup() {
  [ -n "$FD_PID" ] && kill -9 "$FD_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  ip netns del "$HOSTNS" 2>/dev/null
  ip link del "$VH" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] && cp -r "$WORK" /tmp/netns-keep
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in ip tc iptables python3; do
  if ! command -v "$tool" > /dev/null; then
    echo "SKIPPED: $tool is not installed (make deps installs iproute2 and iptables)"
    exit 77
  fi
done
if ! err=$(ip netns add "$NS" 2>&1); then
  echo "SKIPPED: network namespaces cannot be created here: \`ip netns add $NS\`: $err"
  exit 77
fi
if ! err=$( { ip link add "$VH" type veth peer name "$VN" && ip link set "$VN" netns "$NS" &&
              ip addr add "$NET.1/24" dev "$VH" && ip link set "$VH" up &&
              ip netns exec "$NS" ip addr add "$NET.2/24" dev "$VN" &&
              ip netns exec "$NS" ip link set "$VN" up &&
              ip netns exec "$NS" ip link set lo up; } 2>&1); then
  echo "SKIPPED: cannot join the namespace to the host with a veth pair: $err"
  exit 77
fi

. "$(dirname "$0")/lib.sh"
in_ns() { ip netns exec "$NS" "$@"; }
no_rule() { ! in_ns iptables -S | grep -q -- "--dport 8080"; }
has_rule() { in_ns iptables -S | grep -q -- "-A INPUT -p tcp -m tcp --dport 8080 -j DROP"; }
no_qdisc() { ! in_ns tc qdisc show dev "$VN" root | grep -Eq "qdisc (netem|tbf)"; }

mkdir "$WORK/www"
python3 -c "print('x' * 65536)" > "$WORK/www/big.txt"
echo hello > "$WORK/www/index.html"
cd "$WORK/www" || exit 1
ip netns exec "$NS" python3 -m http.server --bind "$NET.2" 8080 > /dev/null 2>&1 &
SERVER_PID=$!
cd "$WORK" || exit 1

# fetch PATH SECONDS: the whole body from the host within SECONDS.
cat > fetch.py <<EOS
import sys, urllib.request
try:
    urllib.request.urlopen("http://$NET.2:8080/" + sys.argv[1], timeout=float(sys.argv[2])).read()
except Exception as e:
    print(e); sys.exit(1)
EOS
up() { python3 fetch.py index.html 1 > /dev/null; }
for _ in $(seq 50); do up && break; sleep 0.2; done
check "the server in the namespace answers from the host" up

cat > net.json <<'EOS'
{
  "format": "firedrill.scenario/1",
  "name": "live-net",
  "providers": [{"name": "local", "kind": "on-prem", "regions": [{"name": "r1", "zones": ["z1"]}]}],
  "components": [
    {"name": "web", "kind": "compute", "zones": ["z1"], "autoscaling": false},
    {"name": "ops", "kind": "team", "people": 1}
  ],
  "services": [{"name": "website", "depends": ["web"], "targets": {"default": {"rto": "1m", "rpo": "0s"}}}],
  "runbooks": [{"name": "heal", "team": "ops", "trigger": "alert", "steps": [
    {"id": "fix", "title": "Fix the network", "kind": "manual", "duration": "5m", "action": {"repair": "web"}}]}],
  "disasters": [{"name": "web-cut", "class": "component",
    "faults": [{"kind": "component_crash", "target": "web", "at": "0s"}], "runbooks": ["heal"]}]
}
EOS
# bindings FILE FAULT_JSON [PROBE_PATH PROBE_TIMEOUT]
bindings() {
  cat > "$1" <<EOS
{
  "format": "firedrill.bindings/1",
  "components": {"web": {"driver": "network", "params": {"netns": "$NS"}}},
  "services": {"website": {"probe": {"driver": "command", "interval": "200ms", "passes": 2,
    "params": {"argv": ["python3", "$WORK/fetch.py", "${3:-index.html}", "${4:-1}"], "timeout": "5s"}}}},
  "faults": {"web-cut": [$2]}
}
EOS
}
export FIREDRILL_HISTORY="$WORK/history.sqlite"

# Dry run: the exact command in the namespace and its undo; nothing touched.
bindings drop.json '{"action": "drop", "params": {"port": 8080}}'
"$FD" live net.json --bindings drop.json --dry-run > dry.out 2>&1
check "dry run exits 0" [ $? -eq 0 ]
check "dry run names the namespace and the rule" \
  grep -q "in network namespace $NS: iptables -I INPUT -p tcp --dport 8080 -j DROP" dry.out
check "dry run touched nothing" no_rule

# Input errors: exit 2 with the pointer, nothing touched.
bindings bad.json '{"action": "loss", "params": {"device": "eth0", "percent": 150}}'
"$FD" live net.json --bindings bad.json --yes > bad.out 2>&1
check "loss of 150%: exit 2" [ $? -eq 2 ]
check "loss of 150%: pointer, expected and found" grep -q "/faults/web-cut/0/params/percent: expected a percentage above 0 and at most 100, found 150" bad.out
sed "s/\"netns\": \"$NS\"/\"netns\": \"..\/etc\"/" drop.json > badns.json
"$FD" live net.json --bindings badns.json --yes > badns.out 2>&1
check "a namespace name with a slash: exit 2" [ $? -eq 2 ]
check "a namespace name with a slash: said so" grep -q "/netns: expected the name of the drill's network namespace" badns.out
python3 -c "import json; b=json.load(open('drop.json')); b['components']['web']['params'] = {}; json.dump(b, open('nons.json','w'))"
"$FD" live net.json --bindings nons.json --yes > nons.out 2>&1
check "no namespace named: exit 2" [ $? -eq 2 ]
check "no namespace named: refused" grep -q "/netns: expected the name of the drill's network namespace.*found nothing" nons.out

# A namespace that does not exist, and one that is the host's own: refused before acting.
sed "s/\"netns\": \"$NS\"/\"netns\": \"fdmissing$$\"/" drop.json > missing.json
timeout 60 "$FD" live net.json --bindings missing.json --yes --journal-dir j0 > missing.out 2>&1
check "missing namespace: exit 3" [ $? -eq 3 ]
check "missing namespace: said so" grep -q "network namespace fdmissing$$ does not exist" missing.out
if ip netns attach "$HOSTNS" 1 2> /dev/null; then
  sed "s/\"netns\": \"$NS\"/\"netns\": \"$HOSTNS\"/" drop.json > host.json
  timeout 60 "$FD" live net.json --bindings host.json --yes --journal-dir j0 > host.out 2>&1
  check "the host's namespace under a name: exit 3" [ $? -eq 3 ]
  check "the host's namespace under a name: refused" grep -q "is the host's own namespace: refusing" host.out
  check "the host's namespace: no rule added on the host" bash -c "! iptables -S | grep -q -- '--dport 8080'"
  ip netns del "$HOSTNS"
fi

# DROP: the probe fails while the rule is in; SIGINT rolls it back.
drill_at_manual_step int net.json --bindings drop.json --yes --journal-dir j1
check "drop: the drill reached its manual step (the probe noticed)" grep -q "MANUAL STEP heal/fix" int.out
check "drop: the rule is in the namespace" has_rule
check "drop: the host cannot reach the server" bash -c "! python3 fetch.py index.html 1 > /dev/null"
check "drop: the host's own iptables untouched" bash -c "! iptables -S | grep -q -- '--dport 8080'"
kill -INT "$FD_PID"
drill_wait
check "drop, SIGINT: exit 3, was $rc" [ $rc -eq 3 ]
check "drop, SIGINT: the rollback deleted the rule" no_rule
check "drop, SIGINT: the rollback said so" grep -q "rollback: undid fault web-cut/0.*iptables -D INPUT -p tcp --dport 8080 -j DROP" int.out
check "drop, SIGINT: the server answers again" up
check "drop, SIGINT: the journal holds the exact undo" \
  grep -q '"undo":{"action":"rule-del","driver":"network","params":{"netns":"'"$NS"'","port":8080,"target":"DROP"}}' j1/*/journal.jsonl

# DROP, then SIGKILL: the rule stays until `live recover` deletes it; recovering again does nothing.
drill_at_manual_step killed net.json --bindings drop.json --yes --journal-dir j2
check "killed: the rule is in" has_rule
kill -9 "$FD_PID"
drill_wait
check "killed: the rule is still in after the SIGKILL" has_rule
JDIR=$(ls -d j2/*/)
"$FD" live recover --journal "$JDIR" > recover1.out 2>&1
check "recover: exit 0" [ $? -eq 0 ]
check "recover: the rule is gone" no_rule
check "recover: the server answers" up
"$FD" live recover --journal "$JDIR" > recover2.out 2>&1
check "recover again: exit 0, nothing to undo" grep -q "nothing to undo" recover2.out

# An undo of a rule already gone (repaired by hand) succeeds and says there was nothing.
drill_at_manual_step manual net.json --bindings drop.json --yes --journal-dir j3 --json manual.json
in_ns iptables -D INPUT -p tcp --dport 8080 -j DROP
echo done >&9
drill_wait
check "repaired by hand: exit 0, was $rc" [ $rc -eq 0 ]
check "repaired by hand: the undo found nothing to do" grep -q "nothing to undo" manual.out
check "repaired by hand: RTO measured" python3 -c "
import json; o = json.load(open('manual.json'))['outcomes'][0]
assert o['affected'] and o['achieved']['rto_s'] > 0, o"

# Rate limit (tbf, present in every kernel with tc): a 64 KB page no longer loads in 2 s.
bindings rate.json "{\"action\": \"rate\", \"params\": {\"device\": \"$VN\", \"rate\": \"8kbit\"}}" big.txt 2
check "before the rate limit: the big page loads in 2 s" timeout 2 python3 fetch.py big.txt 2
drill_at_manual_step rate net.json --bindings rate.json --yes --journal-dir j4
check "rate: the tbf qdisc is on the device" bash -c "ip netns exec $NS tc qdisc show dev $VN root | grep -q 'qdisc tbf .*rate 8Kbit'"
check "rate: the big page does not load in 2 s" bash -c "! timeout 2 python3 fetch.py big.txt 2 > /dev/null"
kill -9 "$FD_PID"
drill_wait
"$FD" live recover --journal "$(ls -d j4/*/)" > recover-rate.out 2>&1
check "rate: recover exits 0" [ $? -eq 0 ]
check "rate: recover deleted the qdisc" no_qdisc
check "rate: the big page loads again" timeout 2 python3 fetch.py big.txt 2

# netem delay: 1.5 s added to every packet the server sends; the 1 s probe fails.
bindings delay.json "{\"action\": \"delay\", \"params\": {\"device\": \"$VN\", \"delay\": \"1500ms\"}}"
if netem_err=$(in_ns tc qdisc add dev "$VN" root netem delay 1ms 2>&1); then
  in_ns tc qdisc del dev "$VN" root
  drill_at_manual_step delay net.json --bindings delay.json --yes --journal-dir j5
  check "delay: the netem qdisc is on the device" bash -c "ip netns exec $NS tc qdisc show dev $VN root | grep -q 'qdisc netem .*delay 1.5s'"
  check "delay: the probe with a 1 s timeout fails" bash -c "! python3 fetch.py index.html 1 > /dev/null"
  kill -INT "$FD_PID"
  drill_wait
  check "delay, SIGINT: exit 3" [ $rc -eq 3 ]
  check "delay, SIGINT: the rollback deleted the qdisc" no_qdisc
  check "delay: the server answers in time again" up
else
  echo "SKIPPED (netem delay): this kernel has no netem qdisc: \`tc qdisc add dev $VN root netem delay 1ms\`: $netem_err"
  timeout 60 "$FD" live net.json --bindings delay.json --yes --journal-dir j5 > delay.out 2>&1
  check "delay without netem: the drill fails, exit 3" [ $? -eq 3 ]
  check "delay without netem: the tc error is shown" grep -q "Specified qdisc kind is unknown" delay.out
  check "delay without netem: nothing left behind" no_qdisc
fi

check "live drills were recorded in the history" bash -c "'$FD' history list | grep -q live"

if [ $fails -gt 0 ]; then
  for f in int.out killed.out recover1.out manual.out rate.out recover-rate.out delay.out; do
    echo "== $f"; cat "$f" 2>/dev/null
  done
  echo "$fails check(s) failed"
  exit 1
fi
echo "all network checks passed"
