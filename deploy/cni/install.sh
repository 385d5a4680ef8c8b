#!/usr/bin/env bash
# Installs the distipam CNI plugin on a node: copies the binary into the CNI bin directory and writes
# a conflist into the CNI configuration directory. Idempotent: files that already have the wanted
# content are left untouched, and changed files are replaced atomically (write + rename), so a
# runtime executing the plugin or reading the configuration at the same moment never sees half a file.
#
# Usage: deploy/cni/install.sh [options]
#   --binary PATH        the distipam executable (default: $DISTIPAM_BINARY, else the repository's
#                        src/DistIpam.Cni/bin/Release/net10.0/linux-x64/publish/distipam)
#   --bin-dir DIR        CNI binaries (default /opt/cni/bin)
#   --conf-dir DIR       CNI configurations (default /etc/cni/net.d)
#   --conf-file NAME     conflist file name (default 10-distipam.conflist)
#   --endpoints LIST     comma-separated server endpoints, tried in order
#                        (default unix:///run/distipam/distipam.sock)
#   --node-name NAME     this node's name (default: none in the file; the plugin then uses
#                        DISTIPAM_NODE_NAME, else the host name)
#   --network NAME       network name (default podnet)
#   --plugin TYPE        main plugin: bridge (default) or ptp
#   --bridge NAME        bridge device for --plugin bridge (default cni0)
#   --pools LIST         comma-separated pool names, at most one per family (default: the server's defaults)
#   --cni-version V      cniVersion of the conflist (default 1.0.0)
#   --timeout SECONDS    ipam.timeoutSeconds (default 30)
#   --no-masquerade      set ipMasq false (default true)
# Prints what it changed; exits non-zero on bad input or a failed copy.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="${DISTIPAM_BINARY:-$repo_root/src/DistIpam.Cni/bin/Release/net10.0/linux-x64/publish/distipam}"
bin_dir=/opt/cni/bin
conf_dir=/etc/cni/net.d
conf_file=10-distipam.conflist
endpoints=unix:///run/distipam/distipam.sock
node_name=
network=podnet
plugin=bridge
bridge=cni0
pools=
cni_version=1.0.0
timeout=30
masquerade=true

die() { echo "install.sh: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) need_value "$@"; binary=$2; shift 2 ;;
    --bin-dir) need_value "$@"; bin_dir=$2; shift 2 ;;
    --conf-dir) need_value "$@"; conf_dir=$2; shift 2 ;;
    --conf-file) need_value "$@"; conf_file=$2; shift 2 ;;
    --endpoints) need_value "$@"; endpoints=$2; shift 2 ;;
    --node-name) need_value "$@"; node_name=$2; shift 2 ;;
    --network) need_value "$@"; network=$2; shift 2 ;;
    --plugin) need_value "$@"; plugin=$2; shift 2 ;;
    --bridge) need_value "$@"; bridge=$2; shift 2 ;;
    --pools) need_value "$@"; pools=$2; shift 2 ;;
    --cni-version) need_value "$@"; cni_version=$2; shift 2 ;;
    --timeout) need_value "$@"; timeout=$2; shift 2 ;;
    --no-masquerade) masquerade=false; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# Values end up inside JSON strings: allow only what CNI names, node names and endpoints use.
safe_re='^[][A-Za-z0-9._:/@-]+$'
safe() { [[ "$2" =~ $safe_re ]] || die "$1 '$2' contains characters that are not allowed"; }
safe --network "$network"
[[ "$network" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "--network '$network' is not a CNI network name"
[ -z "$node_name" ] || [[ "$node_name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--node-name '$node_name' is not a node name"
case "$plugin" in bridge|ptp) ;; *) die "--plugin must be bridge or ptp, not '$plugin'" ;; esac
[[ "$bridge" =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "--bridge '$bridge' is not an interface name"
case "$cni_version" in 0.3.0|0.3.1|0.4.0|1.0.0|1.1.0) ;; *) die "--cni-version '$cni_version' is not one distipam speaks" ;; esac
[[ "$timeout" =~ ^[0-9]+$ ]] && [ "$timeout" -ge 1 ] && [ "$timeout" -le 600 ] || die "--timeout must be 1-600 seconds"
[ -f "$binary" ] && [ -x "$binary" ] || die "binary '$binary' not found (publish it: dotnet publish src/DistIpam.Cni -c Release -r linux-x64)"

# check_list OPTION LIST: a non-empty comma-separated list of safe items (runs in this shell, so die exits).
check_list() {
  local option=$1 list=$2 item
  [ -n "$list" ] || die "$option is empty"
  [[ "$list" =~ (^,|,,|,$) ]] && die "$option has an empty entry"
  IFS=',' read -r -a items <<< "$list"
  for item in "${items[@]}"; do safe "$option" "$item"; done
}
check_list --endpoints "$endpoints"
[ -z "$pools" ] || check_list --pools "$pools"

# json_list LIST: a JSON array of the (already checked) items.
json_list() {
  local out="" item
  IFS=',' read -r -a items <<< "$1"
  for item in "${items[@]}"; do out+="${out:+, }\"$item\""; done
  printf '[%s]' "$out"
}

ipam="\"type\": \"distipam\",
        \"endpoints\": $(json_list "$endpoints"),"
[ -z "$pools" ] || ipam+="
        \"pools\": $(json_list "$pools"),"
[ -z "$node_name" ] || ipam+="
        \"nodeName\": \"$node_name\","
ipam+="
        \"timeoutSeconds\": $timeout,
        \"routes\": [{ \"dst\": \"0.0.0.0/0\" }, { \"dst\": \"::/0\" }]"

if [ "$plugin" = bridge ]; then
  main="\"type\": \"bridge\",
      \"bridge\": \"$bridge\",
      \"isGateway\": true,
      \"ipMasq\": $masquerade,"
else
  main="\"type\": \"ptp\",
      \"ipMasq\": $masquerade,"
fi

conflist="{
  \"cniVersion\": \"$cni_version\",
  \"name\": \"$network\",
  \"plugins\": [
    {
      $main
      \"ipam\": {
        $ipam
      }
    }
  ]
}"

# install_file SOURCE-CONTENT-FILE TARGET MODE: replace TARGET atomically unless it already matches.
install_file() {
  local source=$1 target=$2 mode=$3 tmp
  if [ -f "$target" ] && cmp -s "$source" "$target"; then
    echo "unchanged $target"
    return
  fi
  tmp="$(mktemp "$(dirname "$target")/.$(basename "$target").XXXXXX")"
  cp "$source" "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$target"
  echo "installed $target"
}

mkdir -p "$bin_dir" "$conf_dir"
install_file "$binary" "$bin_dir/distipam" 0755
conf_tmp="$(mktemp)"
trap 'rm -f "$conf_tmp"' EXIT
printf '%s\n' "$conflist" > "$conf_tmp"
install_file "$conf_tmp" "$conf_dir/$conf_file" 0644
