#!/usr/bin/env bash
# A local DistIpam cluster on loopback: one Redis (append-only, fsync every write) and N silos.
# Everything (data, logs, pids) lives under one folder; every command is idempotent.
#
#   cluster.sh start [N]     build if needed, start Redis and N silos (default 3), wait until ready
#   cluster.sh status        one line per silo: index, pid, gRPC address, ready or not
#   cluster.sh stop          SIGTERM every silo, then Redis; remove pids
#   cluster.sh kill I        SIGKILL silo I (0-based): a crash
#   cluster.sh term I        SIGTERM silo I: a graceful stop
#   cluster.sh restart I     stop silo I if running, start it again, wait until ready
#   cluster.sh redis-restart stop Redis (SHUTDOWN, AOF kept) and start it again
#   cluster.sh clean         stop everything and delete the folder
#
# Environment: DISTIPAM_CLUSTER_DIR (default ./.local-cluster), DISTIPAM_PORT_BASE (default 0:
# silo I uses gRPC 51051+I, HTTP 9080+I, silo 12111+I, gateway 31000+I; Redis 16379; all shifted
# by the base), DISTIPAM_CONFIGURATION (Release), DISTIPAM_READY_TIMEOUT (seconds, default 60).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$(mkdir -p "${DISTIPAM_CLUSTER_DIR:-$PWD/.local-cluster}" && cd "${DISTIPAM_CLUSTER_DIR:-$PWD/.local-cluster}" && pwd)
base=${DISTIPAM_PORT_BASE:-0}
configuration=${DISTIPAM_CONFIGURATION:-Release}
ready_timeout=${DISTIPAM_READY_TIMEOUT:-60}
server_dll="$repo/src/DistIpam.Server/bin/$configuration/net10.0/distipam-server.dll"
redis_port=$((16379 + base))

grpc_port() { echo $((51051 + base + $1)); }
http_port() { echo $((9080 + base + $1)); }

die() { echo "cluster.sh: $*" >&2; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

build() {
  [ -f "$server_dll" ] && [ -z "$(find "$repo/src" "$repo/grains" -name '*.cs' -newer "$server_dll" -print -quit)" ] && return
  echo "building the server ($configuration)"
  dotnet build "$repo/src/DistIpam.Server" -c "$configuration" -nologo -v quiet >"$dir/build.log" 2>&1 \
    || { tail -30 "$dir/build.log"; die "build failed (log: $dir/build.log)"; }
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
      >>"$sdir/silo.log" 2>&1
  ) &
  echo $! >"$sdir/pid"
}

wait_ready() {
  local i=$1 deadline=$((SECONDS + ready_timeout))
  while [ $SECONDS -lt $deadline ]; do
    alive "$dir/silo-$i/pid" || { tail -20 "$dir/silo-$i/silo.log"; die "silo $i exited (log: $dir/silo-$i/silo.log)"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(http_port "$i")/readyz")" = 200 ] && return
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
      state=down; alive "$dir/silo-$i/pid" && state=running
      [ "$state" = running ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(http_port "$i")/readyz")" = 200 ] && state=ready
      echo "silo $i pid $(cat "$dir/silo-$i/pid" 2>/dev/null || echo -) grpc 127.0.0.1:$(grpc_port "$i") $state"
    done
    alive "$dir/redis/pid" && echo "redis 127.0.0.1:$redis_port running" || echo "redis down"
    ;;
  kill)
    [ -n "${1:-}" ] || die "usage: cluster.sh kill I"
    alive "$dir/silo-$1/pid" && kill -9 "$(cat "$dir/silo-$1/pid")" && wait_gone "$dir/silo-$1/pid"
    rm -f "$dir/silo-$1/pid"
    ;;
  term)
    [ -n "${1:-}" ] || die "usage: cluster.sh term I"
    alive "$dir/silo-$1/pid" && kill -TERM "$(cat "$dir/silo-$1/pid")" && wait_gone "$dir/silo-$1/pid"
    rm -f "$dir/silo-$1/pid"
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
    for i in $(silos); do alive "$dir/silo-$i/pid" && kill -TERM "$(cat "$dir/silo-$i/pid")" || true; done
    for i in $(silos); do wait_gone "$dir/silo-$i/pid"; rm -f "$dir/silo-$i/pid"; done
    stop_redis
    ;;
  clean)
    "$0" stop
    rm -rf "$dir"
    ;;
  *)
    sed -n '2,20p' "$0"
    exit 2
    ;;
esac
