#!/usr/bin/env bash
# A throw-away PKI for a secured local cluster (docs/security.md, "A secured local cluster"):
# one CA, a silo certificate (silo-to-silo and gateway mutual TLS), a gRPC server certificate for
# 127.0.0.1, client certificates for an admin and a node, and a tokens file. Nothing here is
# checked in; rerun to rotate (the servers re-read the gRPC certificate and tokens without a restart).
#
#   deploy/local/pki.sh [DIR]      default DIR: ./.local-pki
#
# Then, for example:
#   DISTIPAM_SILO_ARGS="$(deploy/local/pki.sh --args)" deploy/local/cluster.sh start 3
set -euo pipefail

dir=$(mkdir -p "${DISTIPAM_PKI_DIR:-$PWD/.local-pki}" && cd "${DISTIPAM_PKI_DIR:-$PWD/.local-pki}" && pwd)
if [ "${1:-}" != "--args" ] && [ -n "${1:-}" ]; then dir=$(mkdir -p "$1" && cd "$1" && pwd); fi

args() {
  echo "--DistIpam:SiloTls:CertificateFile=$dir/silo.crt --DistIpam:SiloTls:KeyFile=$dir/silo.key --DistIpam:SiloTls:CaFile=$dir/ca.crt" \
    "--DistIpam:Tls:CertificateFile=$dir/server.crt --DistIpam:Tls:KeyFile=$dir/server.key --DistIpam:Tls:ClientCaFile=$dir/ca.crt" \
    "--DistIpam:Tls:RequireClientCertificate=false --DistIpam:Auth:Enabled=true --DistIpam:Auth:TokensFile=$dir/tokens" \
    "--DistIpam:Auth:Admins:0=admin"
}

# issue NAME CN EKU [SAN]: a P-256 key and a certificate of the CA, valid 30 days.
issue() {
  local name=$1 cn=$2 eku=$3 san=${4:-}
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "/CN=$cn" -out "$dir/$name.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "extendedKeyUsage=$eku"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 -sha256 \
    -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}

if [ "${1:-}" = "--args" ]; then args; exit 0; fi

umask 077
if [ ! -f "$dir/ca.crt" ]; then
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=distipam-local-ca" -days 365 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.crt"
fi
issue silo distipam-silo serverAuth,clientAuth
issue server distipam-server serverAuth "IP:127.0.0.1,DNS:localhost"
issue admin admin clientAuth
issue node-a system:node:node-a clientAuth
if [ ! -f "$dir/tokens" ]; then
  printf '%s node node-a\n%s reader dashboards\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" >"$dir/tokens"
fi
echo "PKI in $dir (CA ca.crt; silo, server, admin and node-a certificates; tokens)"
echo "server arguments: $(args)"
