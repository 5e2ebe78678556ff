#!/usr/bin/env bash
# Restore a pg_dump custom-format archive (from ops/backup.sh) into a PostgreSQL database.
#
# Usage: ops/restore.sh [--force] DUMP_FILE TARGET_DATABASE_URL
#   Creates the target database if it does not exist (through the server's `postgres` database).
#   Refuses (exit 2) a target that already has tables, unless --force: then the archive's
#   objects are dropped and recreated (pg_restore --clean --if-exists). All or nothing: one transaction.
set -euo pipefail

force=0
if [[ "${1:-}" == "--force" ]]; then force=1; shift; fi
if [[ $# -ne 2 ]]; then
    echo "usage: ops/restore.sh [--force] DUMP_FILE TARGET_DATABASE_URL" >&2
    exit 2
fi
dump="$1" url="$2"
[[ -r "$dump" ]] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
source "$(dirname "$0")/pg_url.sh"
pg_url_parse restore.sh "$url"

exists=$(psql "$maintenance" -XAtq -v ON_ERROR_STOP=1 -v db="$dbname" <<<"select count(*) from pg_database where datname = :'db';")
if [[ "$exists" == 0 ]]; then
    psql "$maintenance" -Xq -v ON_ERROR_STOP=1 -v db="$dbname" <<<'create database :"db";'
    echo "Created database $dbname"
fi

tables=$(psql "$url" -XAtq -c "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
clean=()
if [[ "$tables" != 0 ]]; then
    if [[ $force == 0 ]]; then
        echo "restore.sh: $dbname already has $tables tables; refusing to restore over them (use --force)" >&2
        exit 2
    fi
    clean=(--clean --if-exists)
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" --dbname="$url" "$dump"
echo "Restored $dump into $dbname"
