#!/usr/bin/env bash
# Start Varnish in front of the app with ops/varnish/site.vcl (what `make edge` runs).
#
#   EDGE_PORT      where readers connect (6081)
#   EDGE_BACKEND   the app, host:port (127.0.0.1:8000: `make serve`)
#   EDGE_HOST      the Host the health probe sends (one of DJANGO_ALLOWED_HOSTS; 127.0.0.1)
#   EDGE_PURGERS   addresses allowed to purge, space-separated (the app servers: 127.0.0.1 ::1)
#   EDGE_MEMORY    cache size (256m)
#   EDGE_DIR       Varnish's working directory (var/varnish)
#   EDGE_DAEMON=1  run in the background instead of the foreground
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${EDGE_PORT:-6081}
backend=${EDGE_BACKEND:-127.0.0.1:8000}
host=${EDGE_HOST:-127.0.0.1}
purgers=${EDGE_PURGERS:-127.0.0.1 ::1}
dir=$(realpath -m "${EDGE_DIR:-var/varnish}")
mkdir -p "$dir"
{
  echo "backend app {"
  echo "    .host = \"${backend%:*}\";"
  echo "    .port = \"${backend##*:}\";"
  echo "    .connect_timeout = 2s;"
  echo "    .first_byte_timeout = 30s;"
  echo "    .probe = {"
  echo "        .request = \"GET /healthz HTTP/1.1\" \"Host: $host\" \"Connection: close\";"
  echo "        .interval = 1s; .timeout = 2s; .window = 3; .threshold = 2; .initial = 2;"
  echo "    }"
  echo "}"
  echo "acl purgers {"
  for address in $purgers; do echo "    \"$address\";"; done
  echo "}"
} > "$dir/backend.vcl"
foreground=-F
[ -n "${EDGE_DAEMON:-}" ] && foreground=
echo "Varnish on http://127.0.0.1:$port/ in front of http://$backend/ (purges from: $purgers)"
exec varnishd $foreground -n "$dir/state" -a "127.0.0.1:$port" \
  -f "$(pwd)/ops/varnish/site.vcl" -p vcl_path="$dir:$(pwd)/ops/varnish" \
  -s "malloc,${EDGE_MEMORY:-256m}" -P "$dir/varnishd.pid"
