#!/bin/sh
# Starts coturn in the appliance (docker/compose.yaml runs it under `init: true`, as root, with
# host networking) and keeps its TLS certificate current. Environment, from docker/.env:
#
#   DOMAIN       the realm, and the name whose certificate Caddy obtains
#   PUBLIC_IP    the address people reach this server at (what DOMAIN resolves to)
#   PRIVATE_IP   the address on this machine's interface: equal to PUBLIC_IP on a server with a
#                public address, the VM's own address behind a cloud provider's NAT
#   TURN_SECRET  Haven's shared secret for short-lived TURN credentials
#   TURN_TLS_WAIT_SECONDS  how long to wait at start for Caddy's first certificate (default 60)
#   TURN_CERT_CHECK_SECONDS  how often to look for a new or renewed certificate (default 60)
#
# Why a script: (1) behind NAT coturn must be told PUBLIC/PRIVATE, and relay from PRIVATE, or it
# maps the SFU's public address to its own relay address and refuses it as a private peer (403);
# (2) Caddy's certificate lives under an issuer-specific folder (Let's Encrypt, ZeroSSL, or its
# local CA for DOMAIN=localhost) and appears only after Caddy's first start; (3) coturn drops to
# `nobody`, which cannot read Caddy's files, so it gets private copies it can re-read when the
# certificate is renewed (SIGUSR2 makes coturn reload them without dropping allocations).
set -eu

: "${DOMAIN:?DOMAIN is not set}" "${PUBLIC_IP:?PUBLIC_IP is not set}" "${PRIVATE_IP:?PRIVATE_IP is not set}"
: "${TURN_SECRET:?TURN_SECRET is not set}"
wait_seconds="${TURN_TLS_WAIT_SECONDS:-60}"
check_seconds="${TURN_CERT_CHECK_SECONDS:-60}"
policy="${TURN_POLICY_FILE:-/etc/coturn/turnserver.conf}"
certificates="${TURN_CERT_ROOT:-/caddy/caddy/certificates}"
work="${TURN_WORK_DIR:-/tmp/coturn}"
run_as="${TURN_PROC_USER:-nobody}"

say() { printf 'coturn-start: %s\n' "$*" >&2; }

umask 077
# $work (root) holds the config with the secret; coturn, once it is $run_as, only needs to reach
# its own folders inside: tls/ (certificate copies) and db/ (its unused user database).
mkdir -p "$work/tls" "$work/db"
chmod 0711 "$work"
# turnserver opens its (unused, with the shared secret) database as root, then again in its auth
# threads as $run_as: the file must exist and be $run_as's before the first open.
touch "$work/db/turndb"
chown "$run_as" "$work/tls" "$work/db" "$work/db/turndb"
# The shared secret goes into a private copy of the policy file, never onto the command line,
# where every user of the host could read it with ps.
conf="$work/turnserver.conf"
cp "$policy" "$conf"
printf 'static-auth-secret=%s\nuserdb=%s\n' "$TURN_SECRET" "$work/db/turndb" >>"$conf"

# The newest certificate Caddy holds for DOMAIN, whichever issuer signed it.
find_certificate() {
  newest=""
  for crt in "$certificates"/*/"$DOMAIN"/"$DOMAIN".crt; do
    [ -f "$crt" ] && [ -f "${crt%.crt}.key" ] || continue
    if [ -z "$newest" ] || [ "$crt" -nt "$newest" ]; then newest="$crt"; fi
  done
  printf '%s' "$newest"
}
fingerprint() { [ -n "$1" ] && cksum <"$1" || true; }
# Copies the certificate and key where coturn (running as $run_as) can read them again.
copy_certificate() {
  cp "$1" "$work/tls/cert.pem.new" && cp "${1%.crt}.key" "$work/tls/key.pem.new"
  chown "$run_as" "$work/tls/cert.pem.new" "$work/tls/key.pem.new"
  mv -f "$work/tls/cert.pem.new" "$work/tls/cert.pem" && mv -f "$work/tls/key.pem.new" "$work/tls/key.pem"
}

# --- addresses ------------------------------------------------------------------------------
set -- -c "$conf" --realm="$DOMAIN" \
  --listening-ip="$PRIVATE_IP" --relay-ip="$PRIVATE_IP" \
  --allowed-peer-ip="$PRIVATE_IP" \
  --proc-user="$run_as" --proc-group="$(id -gn "$run_as" 2>/dev/null || echo nogroup)"
# Loopback too: browsers on this machine (DOMAIN=localhost) and the healthcheck reach it there.
[ "$PRIVATE_IP" = 127.0.0.1 ] || set -- "$@" --listening-ip=127.0.0.1
if [ "$PUBLIC_IP" != "$PRIVATE_IP" ]; then
  # Behind NAT: relay addresses are announced as PUBLIC_IP, and a peer at PUBLIC_IP (the SFU as
  # browsers know it) is this machine, reached at PRIVATE_IP.
  set -- "$@" --external-ip="$PUBLIC_IP/$PRIVATE_IP" --allowed-peer-ip="$PUBLIC_IP"
fi

# --- signals: SIGTERM from `docker compose stop` ends turnserver and this script at once ----------
child="" sleeper=""
stop() {
  say "stopping"
  [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true
  [ -z "$child" ] || wait "$child" 2>/dev/null || true
  exit 0
}
trap stop TERM INT
# A foreground sleep would hold the trap until it ends; a waited-for one does not.
pause() {
  sleep "$1" &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=""
}

# --- TLS (5349): wait a bounded time for Caddy's first certificate -------------------------------
waited=0
cert="$(find_certificate)"
while [ -z "$cert" ] && [ "$waited" -lt "$wait_seconds" ]; do
  [ "$waited" -gt 0 ] || say "waiting up to ${wait_seconds}s for Caddy's certificate for $DOMAIN"
  pause 2
  waited=$((waited + 2))
  cert="$(find_certificate)"
done

# Starts turnserver in the background with the address arguments ("$@") and TLS if $cert is set.
start_turnserver() {
  if [ -n "$cert" ]; then
    copy_certificate "$cert"
    say "TLS on 5349 with $cert"
    turnserver "$@" --cert="$work/tls/cert.pem" --pkey="$work/tls/key.pem" &
  else
    say "no certificate for $DOMAIN yet: TURN over TLS (5349) stays off until Caddy has one"
    turnserver "$@" --no-tls --no-dtls &
  fi
  child=$!
  served="$(fingerprint "$cert")"
}

start_turnserver "$@"
# --- watch: a certificate that appears restarts coturn with TLS; a renewed one is reloaded --------
while :; do
  pause "$check_seconds"
  if ! kill -0 "$child" 2>/dev/null; then
    code=0
    wait "$child" || code=$?
    say "turnserver exited ($code)"
    exit "$code"
  fi
  cert="$(find_certificate)"
  [ -n "$cert" ] && [ "$(fingerprint "$cert")" != "$served" ] || continue
  if [ -z "$served" ]; then
    say "Caddy's certificate appeared: restarting turnserver with TLS"
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
    start_turnserver "$@"
  else
    say "certificate renewed: reloading it (SIGUSR2)"
    copy_certificate "$cert"
    served="$(fingerprint "$cert")"
    kill -USR2 "$child" 2>/dev/null || true
  fi
done
