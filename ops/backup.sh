#!/usr/bin/env bash
# Back up a PostgreSQL database to a pg_dump custom-format archive.
#
# Usage: ops/backup.sh [DATABASE_URL] [OUTPUT_FILE]
#   DATABASE_URL  postgres://user[:password]@host[:port]/dbname (default: $DATABASE_URL)
#   OUTPUT_FILE   default: backups/<dbname>-<UTC timestamp>.dump (the folder is created)
# Prints the archive's path and size. Restore it with ops/restore.sh.
# PGDUMP_SNAPSHOT=<id> dumps an exported snapshot (pg_export_snapshot()); ops/backup_check.sh uses it.
set -euo pipefail

source "$(dirname "$0")/pg_url.sh"
url="${1:-${DATABASE_URL:-}}"
pg_url_parse backup.sh "$url"
out="${2:-backups/${dbname}-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"

pg_dump --format=custom --no-owner --no-privileges ${PGDUMP_SNAPSHOT:+--snapshot="$PGDUMP_SNAPSHOT"} \
    --file="$out" --dbname="$url"
echo "$out ($(wc -c <"$out" | tr -d ' ') bytes, $(du -h "$out" | cut -f1))"
