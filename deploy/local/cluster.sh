#!/usr/bin/env bash
# A local DistIpam cluster on loopback: one Redis (append-only, fsync every write) and N silos.
# Everything (data, logs, pids) lives under one folder; every command is idempotent.
#
#   cluster.sh start [N]     build if needed, start Redis and N silos (default 3), wait until ready
#   cluster.sh status        one line per silo: index, pid, gRPC address, ready|running|paused|down
#   cluster.sh stop          SIGTERM every silo, then Redis; remove pids
#   cluster.sh kill I        SIGKILL silo I (0-based): a crash
#   cluster.sh term I        SIGTERM silo I: a graceful stop
#   cluster.sh restart I     stop silo I if running, start it again (same build as the others), wait until ready
#   cluster.sh pause I       SIGSTOP silo I: a frozen VM or a long GC pause (the others declare it dead)
#   cluster.sh resume I      SIGCONT silo I
#   cluster.sh redis-restart stop Redis (SHUTDOWN, AOF kept) and start it again
#   cluster.sh redis-pause   SIGSTOP Redis: a storage outage that leaves connections open
#   cluster.sh redis-resume  SIGCONT Redis
#   cluster.sh members       the Orleans membership table: one line per silo row, newest first
#   cluster.sh build         build the server if a source changed since the last build and no silo runs (start does this)
#   cluster.sh clean         stop everything and delete the folder
#
# Environment: DISTIPAM_CLUSTER_DIR (default ./.local-cluster), DISTIPAM_PORT_BASE (default 0:
# silo I uses gRPC 51051+I, HTTP 9080+I, silo 12111+I, gateway 31000+I; Redis 16379; all shifted
# by the base), DISTIPAM_CONFIGURATION (Release), DISTIPAM_READY_TIMEOUT (seconds, default 60),
# DISTIPAM_CLUSTER_ID / DISTIPAM_SERVICE_ID (default distipam), DISTIPAM_SILO_ARGS (more server
# arguments for every silo, e.g. --Logging:LogLevel:Orleans=Warning).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$(mkdir -p "${DISTIPAM_CLUSTER_DIR:-$PWD/.local-cluster}" && cd "${DISTIPAM_CLUSTER_DIR:-$PWD/.local-cluster}" && pwd)
base=${DISTIPAM_PORT_BASE:-0}
configuration=${DISTIPAM_CONFIGURATION:-Release}
ready_timeout=${DISTIPAM_READY_TIMEOUT:-60}
server_dll="$repo/src/DistIpam.Server/bin/$configuration/net10.0/distipam-server.dll"
# Written by build() after a successful build, dated when that build started: a source edited
# during the build is still newer than the stamp and triggers the next build.
build_stamp="$repo/src/DistIpam.Server/bin/$configuration/net10.0/cluster-sh.stamp"
redis_port=$((16379 + base))
cluster_id=${DISTIPAM_CLUSTER_ID:-distipam}
service_id=${DISTIPAM_SERVICE_ID:-distipam}
read -r -a silo_args <<<"${DISTIPAM_SILO_ARGS:-}"

grpc_port() { echo $((51051 + base + $1)); }
http_port() { echo $((9080 + base + $1)); }

die() { echo "cluster.sh: $*" >&2; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# A process stopped by SIGSTOP: state T in /proc/PID/stat (the field after the parenthesized name).
paused() { alive "$1" && [ "$(sed 's/.*) //' "/proc/$(cat "$1")/stat" | cut -d' ' -f1)" = T ]; }
# SIGCONT first where a signal must be acted on: a stopped process leaves SIGTERM pending.
signal() { local sig=$1 pidfile=$2; alive "$pidfile" || return 0; kill "-$sig" "$(cat "$pidfile")"; [ "$sig" = KILL ] || kill -CONT "$(cat "$pidfile")" 2>/dev/null || true; }
ready() { [ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(http_port "$1")/readyz")" = 200 ]; }

# Prints the first of the server's inputs newer than $1 whose name matches the find(1) name
# patterns that follow: sources and project files of every project it is built from (never obj/
# or bin/, which every build rewrites) and the repository-wide build settings.
newer_input() {
  local stamp=$1 f; shift
  local names=() pattern
  for pattern in "$@"; do names+=(${names[0]+-o} -name "$pattern"); done
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json .editorconfig; do
    [ -f "$repo/$f" ] && [ "$repo/$f" -nt "$stamp" ] && { echo "$repo/$f"; return; }
  done
  find "$repo/src" "$repo/grains" \( -name obj -o -name bin \) -prune -o -type f \( "${names[@]}" \) -newer "$stamp" -print -quit
}

# Builds only when an input is newer than the last build. An input older than the server dll is
# built (someone, e.g. a test run, built after it changed), but an input newer than the dll is no
# proof of the opposite: MSBuild leaves the server dll untouched when only a dependency's
# implementation changed (its reference assembly is the same), so comparing against the dll alone
# rebuilt on every start forever. The stamp build() leaves after each successful build settles it.
build() {
  local reference=$build_stamp
  [ -f "$server_dll" ] && { [ ! -f "$build_stamp" ] || [ "$server_dll" -nt "$build_stamp" ]; } && reference=$server_dll
  if [ -f "$server_dll" ] && [ -z "$(newer_input "$reference" '*.cs' '*.csproj' '*.proto' '*.json' '*.props' '*.targets')" ]; then
    return
  fi
  # A build rewrites the dlls in place under silos that run from them (they map them): never
  # while a silo of this cluster runs. A restart then runs the build the others run.
  local i
  for i in $(silos); do
    if alive "$dir/silo-$i/pid" && [ -f "$server_dll" ]; then
      echo "cluster.sh: sources changed, but silos are running from the current build; not rebuilding (stop, then start)" >&2
      return
    fi
  done
  local restore=--no-restore
  touch "$dir/build.started"
  # Restore only when a project file changed or nothing was restored yet: restore is a large part
  # of a build that finds nothing to compile.
  if [ ! -f "$repo/src/DistIpam.Server/obj/project.assets.json" ] || [ ! -f "$build_stamp" ] \
    || [ -n "$(newer_input "$build_stamp" '*.csproj' '*.props' '*.targets')" ]; then
    restore=
  fi
  echo "building the server ($configuration${restore:+, no restore})"
  dotnet build "$repo/src/DistIpam.Server" -c "$configuration" -nologo -v quiet $restore >"$dir/build.log" 2>&1 \
    || { tail -30 "$dir/build.log"; die "build failed (log: $dir/build.log)"; }
  touch -r "$dir/build.started" "$build_stamp"
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install redis-server)"
  mkdir -p "$dir/redis"
  if alive "$dir/redis/pid"; then return; fi
  # appendfsync always: a write Redis acknowledged survives a crash of Redis itself (docs/operations.md).
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --appendonly yes --appendfsync always \
    --save "" --daemonize yes --pidfile "$dir/redis/pid" --logfile "$dir/redis/redis.log"
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return
    sleep 0.1
  done
  die "Redis did not answer on port $redis_port (log: $dir/redis/redis.log)"
}

stop_redis() {
  if alive "$dir/redis/pid"; then
    kill -CONT "$(cat "$dir/redis/pid")" 2>/dev/null || true
    redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || kill "$(cat "$dir/redis/pid")"
    wait_gone "$dir/redis/pid"
  fi
  rm -f "$dir/redis/pid"
}

wait_gone() {
  local pid; pid=$(cat "$1" 2>/dev/null) || return 0
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

start_silo() {
  local i=$1 sdir="$dir/silo-$1"
  mkdir -p "$sdir"
  if alive "$sdir/pid"; then return; fi
  (
    cd "$sdir"
    exec dotnet "$server_dll" \
      --DistIpam:Redis="127.0.0.1:$redis_port" \
      --DistIpam:DataDir="$sdir/data" \
      --DistIpam:GrpcListen="127.0.0.1:$(grpc_port "$i")" \
      --DistIpam:HttpListen="127.0.0.1:$(http_port "$i")" \
      --DistIpam:SiloPort=$((12111 + base + i)) \
      --DistIpam:GatewayPort=$((31000 + base + i)) \
      --DistIpam:ClusterId="$cluster_id" \
      --DistIpam:ServiceId="$service_id" \
      "${silo_args[@]}" \
      >>"$sdir/silo.log" 2>&1
  ) &
  echo $! >"$sdir/pid"
}

wait_ready() {
  local i=$1 deadline=$((SECONDS + ready_timeout))
  while [ $SECONDS -lt $deadline ]; do
    alive "$dir/silo-$i/pid" || { tail -20 "$dir/silo-$i/silo.log"; die "silo $i exited (log: $dir/silo-$i/silo.log)"; }
    ready "$i" && return
    sleep 0.2
  done
  die "silo $i not ready after ${ready_timeout}s (log: $dir/silo-$i/silo.log)"
}

silos() { find "$dir" -maxdepth 1 -name 'silo-*' -printf '%f\n' 2>/dev/null | sed 's/silo-//' | sort -n; }

cmd=${1:-}; shift || true
case "$cmd" in
  start)
    n=${1:-3}
    build
    start_redis
    for i in $(seq 0 $((n - 1))); do start_silo "$i"; done
    for i in $(seq 0 $((n - 1))); do wait_ready "$i"; done
    echo "cluster ready: $n silo(s), Redis 127.0.0.1:$redis_port, gRPC $(for i in $(seq 0 $((n - 1))); do printf '127.0.0.1:%s ' "$(grpc_port "$i")"; done)"
    ;;
  status)
    for i in $(silos); do
      state=down
      if paused "$dir/silo-$i/pid"; then state=paused
      elif alive "$dir/silo-$i/pid"; then state=running; ready "$i" && state=ready
      fi
      echo "silo $i pid $(cat "$dir/silo-$i/pid" 2>/dev/null || echo -) grpc 127.0.0.1:$(grpc_port "$i") $state"
    done
    if paused "$dir/redis/pid"; then echo "redis 127.0.0.1:$redis_port paused"
    elif alive "$dir/redis/pid"; then echo "redis 127.0.0.1:$redis_port running"
    else echo "redis down"
    fi
    ;;
  kill)
    [ -n "${1:-}" ] || die "usage: cluster.sh kill I"
    alive "$dir/silo-$1/pid" && kill -9 "$(cat "$dir/silo-$1/pid")" && wait_gone "$dir/silo-$1/pid"
    rm -f "$dir/silo-$1/pid"
    ;;
  term)
    [ -n "${1:-}" ] || die "usage: cluster.sh term I"
    signal TERM "$dir/silo-$1/pid" && wait_gone "$dir/silo-$1/pid"
    rm -f "$dir/silo-$1/pid"
    ;;
  pause | resume)
    [ -n "${1:-}" ] || die "usage: cluster.sh $cmd I"
    alive "$dir/silo-$1/pid" || die "silo $1 is not running"
    kill "-$([ "$cmd" = pause ] && echo STOP || echo CONT)" "$(cat "$dir/silo-$1/pid")"
    ;;
  redis-pause | redis-resume)
    alive "$dir/redis/pid" || die "Redis is not running"
    kill "-$([ "$cmd" = redis-pause ] && echo STOP || echo CONT)" "$(cat "$dir/redis/pid")"
    ;;
  members)
    # Status: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
    redis-cli -p "$redis_port" --raw HGETALL "$service_id/members/$cluster_id" \
      | grep '^{' \
      | sed -E 's/.*"SiloAddress":"([^"]+)".*"Status":([0-9]+).*"StartTime":"([^"]+)".*"IAmAliveTime":"([^"]+)".*/\3 \1 status=\2 alive=\4/' \
      | sort -r
    ;;
  build)
    build
    ;;
  restart)
    [ -n "${1:-}" ] || die "usage: cluster.sh restart I"
    "$0" term "$1"
    build
    start_silo "$1"
    wait_ready "$1"
    ;;
  redis-restart)
    stop_redis
    start_redis
    ;;
  stop)
    for i in $(silos); do signal TERM "$dir/silo-$i/pid" || true; done
    for i in $(silos); do wait_gone "$dir/silo-$i/pid"; rm -f "$dir/silo-$i/pid"; done
    stop_redis
    ;;
  clean)
    "$0" stop
    rm -rf "$dir"
    ;;
  *)
    sed -n '2,27p' "$0"
    exit 2
    ;;
esac
