#!/usr/bin/env bash
# Runs the operator walkthroughs of docs/operations.md against a real embedded server on loopback
# and prints every command with its real output ("$ distipamctl ..." then the output then
# "[exit N]"), so the doc's outputs can be refreshed from a run. Uses the Release builds of the
# server and distipamctl (build them first) and driver.cs (dotnet run) for the cluster's activity:
# heartbeating nodes, pods, services. Leaks are planted as a crash leaves them: rows deleted from
# the stopped server's SQLite store (sqlite3). Needs jq, curl, sqlite3.
#   deploy/local/walkthrough/walkthrough.sh > /tmp/walkthrough.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$root/deploy/local/walkthrough"
server="$root/src/DistIpam.Server/bin/Release/net10.0/distipam-server.dll"
ctl="$root/src/DistIpam.Ctl/bin/Release/net10.0/distipamctl.dll"
port="${WALKTHROUGH_PORT:-50151}"
http="${WALKTHROUGH_HTTP_PORT:-18151}"
work="$(mktemp -d)"
export DISTIPAM_ENDPOINT="127.0.0.1:$port"
cd "$work"

server_pid=""
beat_pid=""
cleanup() {
  [ -n "$beat_pid" ] && kill "$beat_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  dotnet "$server" --DistIpam:DataDir="$work/data" --DistIpam:GrpcListen="127.0.0.1:$port" \
    --DistIpam:HttpListen="127.0.0.1:$http" --DistIpam:UnixSocket=none \
    --DistIpam:Nodes:LeaseDuration=00:00:15 --DistIpam:Reconcile:Enabled=false \
    --DistIpam:Gc:Enabled=false --DistIpam:Metrics:SampleInterval=00:00:01 >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "walkthrough: the server did not become ready; log:" >&2
  tail -40 "$work/server.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

# One walkthrough step: the command as the doc shows it, its output, its exit code.
step() {
  local shown=()
  for arg in "$@"; do
    [[ "$arg" == *" "* ]] && shown+=("\"$arg\"") || shown+=("$arg")
  done
  echo "\$ distipamctl ${shown[*]}"
  set +e
  # Spectre pads tables to the width and frames them with blank lines: the doc shows neither.
  COLUMNS=160 dotnet "$ctl" "$@" </dev/null 2>&1 | sed -e 's/[[:space:]]*$//' -e '/^$/d'
  echo "[exit ${PIPESTATUS[0]}]"
  set -e
  echo
}

driver() { dotnet run "$here/driver.cs" -- "$DISTIPAM_ENDPOINT" "$@"; }

start_server
step version
dotnet "$ctl" pools create pods-small --cidr 10.250.0.0/24 --block-prefix 27 --strict-affinity true >/dev/null
dotnet "$ctl" pools create pods-edge --cidr 10.251.0.0/26 --block-prefix 26 >/dev/null
step pools list
driver setup
driver fill pods-small node-2 60
driver heartbeat node-1 node-2 &
beat_pid=$!

# A node died: node-3 stops heartbeating.
sleep 17
step nodes list
step gc run
step nodes show node-3
dead_ip="$(dotnet "$ctl" handle show podnet/c007/eth0 -o json | jq -r '.addresses[0].address')"
step nodes drain node-3
step nodes drain node-1 --yes
step nodes drain node-3 --yes --reason "VM deleted"
step nodes list
sleep 1
step ip history "$dead_ip"

# Leaks: a pod whose handle record was lost, a deleted service whose ClusterIP and NodePort were not given back.
driver services
driver borrow pods-edge
leaked_ip="$(dotnet "$ctl" handle show podnet/c001/eth0 -o json | jq -r '.addresses[0].address')"
stop_server
sqlite3 "$work/data/distipam.db" "DELETE FROM grain_state WHERE state_name = 'handle' AND grain_id LIKE '%c001%';"
sqlite3 "$work/data/distipam.db" "DELETE FROM grain_state WHERE state_name = 'service' AND grain_id LIKE '%shop/old-cart%';"
start_server
# Pods keep arriving in the strict pool: the forecast has a rate to work with.
for batch in 0 1 2; do
  driver fill pods-small node-1 "$(( (batch + 1) * 8 ))"
  sleep 2
done
step check --min-age 0 -o report.json
step release --from-report report.json --dry-run
sleep 1
held_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
sleep 1
step release --from-report report.json
step check --min-age 0

# The pool looks full.
sleep 2
step usage
step blocks list --pool pods-small
step usage --forecast

# Who holds, or held, this IP.
step ip show 10.244.0.2
sleep 1
step ip history "$leaked_ip"
step ip history "$leaked_ip" --at "$held_at"
step handle show podnet/c000/eth0 -o yaml

# The pool will be full on Friday.
echo "\$ curl -s http://127.0.0.1:8080/metrics | grep 'pool=\"pods-small\"'"
curl -s "http://127.0.0.1:$http/metrics" | grep 'pool="pods-small"' | grep -v '^#' || true
