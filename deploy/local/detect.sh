#!/usr/bin/env bash
# Measures failure detection on a running deploy/local cluster: SIGSTOP one silo, time until the
# survivors mark its membership row Dead (status 6) in Redis, SIGCONT it, time until it notices it
# was declared dead and exits, restart it; fails if a healthy silo was evicted meanwhile. Repeats
# TRIALS times (default 5) over silos 1..N-1 and prints one line per trial, then median and max.
# docs/operations.md records the figures.
#
#   DISTIPAM_CLUSTER_DIR=/tmp/c deploy/local/cluster.sh start 3
#   DISTIPAM_CLUSTER_DIR=/tmp/c deploy/local/detect.sh 5
#
# Same environment as cluster.sh (DISTIPAM_CLUSTER_DIR, DISTIPAM_PORT_BASE, DISTIPAM_CLUSTER_ID,
# DISTIPAM_SERVICE_ID). DETECT_GIVE_UP (seconds, default 60) bounds one trial.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cluster="$here/cluster.sh"
dir=$(cd "${DISTIPAM_CLUSTER_DIR:-$PWD/.local-cluster}" && pwd)
base=${DISTIPAM_PORT_BASE:-0}
trials=${1:-5}
give_up=${DETECT_GIVE_UP:-60}

die() { echo "detect.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# The newest membership row of silo I (its silo port is 12111+base+I): "address status".
row() {
  "$cluster" members | awk -v port=":$((12111 + base + $1))@" 'index($2, port) { sub("status=", "", $3); print $2, $3; exit }'
}

silos=$("$cluster" status | grep -c '^silo .* ready$' || true)
[ "$silos" -ge 3 ] || die "needs a running cluster of at least 3 ready silos (cluster.sh start 3), saw $silos"

results=()
for trial in $(seq 1 "$trials"); do
  victim=$(( (trial - 1) % (silos - 1) + 1 ))
  read -r address status <<<"$(row "$victim")"
  [ "$status" = 3 ] || die "silo $victim's newest row is not Active: $address status $status"
  pid=$(cat "$dir/silo-$victim/pid")

  "$cluster" pause "$victim"
  paused_at=$(now)
  while :; do
    read -r seen_address seen_status <<<"$(row "$victim")"
    [ "$seen_address" = "$address" ] && [ "$seen_status" = 6 ] && break
    [ "$(elapsed "$paused_at" "$(now)" | cut -d. -f1)" -lt "$give_up" ] \
      || { "$cluster" resume "$victim"; die "silo $victim ($address) not declared dead within ${give_up}s"; }
    sleep 0.05
  done
  dead_at=$(now)

  "$cluster" resume "$victim"
  # A silo that finds itself Dead in the table stops itself; time until its process is gone.
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(elapsed "$dead_at" "$(now)" | cut -d. -f1)" -lt "$give_up" ] || die "silo $victim (pid $pid) still runs ${give_up}s after SIGCONT"
    sleep 0.05
  done
  exited_at=$(now)

  # No healthy silo may have been evicted meanwhile (a false positive of the tuning).
  for other in $(seq 0 $((silos - 1))); do
    [ "$other" = "$victim" ] && continue
    read -r other_address other_status <<<"$(row "$other")"
    [ "$other_status" = 3 ] || die "healthy silo $other ($other_address) is not Active (status $other_status) after silo $victim's pause"
  done

  detect=$(elapsed "$paused_at" "$dead_at")
  results+=("$detect")
  echo "trial $trial: silo $victim ($address) declared dead $detect s after SIGSTOP; exited $(elapsed "$dead_at" "$exited_at") s after SIGCONT"
  "$cluster" restart "$victim" >/dev/null
done

printf '%s\n' "${results[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "T_detect over %d trials: median %.2f s, min %.2f s, max %.2f s\n", NR, median, v[1], v[NR] }'
