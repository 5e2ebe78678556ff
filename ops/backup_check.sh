#!/usr/bin/env bash
# The backup drill: back up a PostgreSQL database, restore it into a fresh temporary database
# (<dbname>_restore_check_<pid>, dropped on exit), and compare the exact row count of every table
# in the public schema; then check the copy has no unapplied migrations (manage.py migrate --check).
#
# Usage: ops/backup_check.sh [DATABASE_URL]        (default: $DATABASE_URL)
# Exits non-zero on any mismatch or failure, and before it starts (2) when there is no Python to run
# the migration check with (.venv/bin/python, or $PYTHON). The source is counted in the very
# snapshot that is dumped, so writes during the drill cause no false alarms.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s%N)

source ops/pg_url.sh
url="${1:-${DATABASE_URL:-}}"
pg_url_parse backup_check.sh "$url"
python="${PYTHON:-.venv/bin/python}"
if ! command -v "$python" >/dev/null; then
    echo "backup_check.sh: no Python at '$python' for the migration check (make install, or set PYTHON)" >&2
    exit 2
fi
tmpdb="${dbname}_restore_check_$$"
restore_url="${path%/*}/${tmpdb}${query}"
dump=$(mktemp --suffix=.dump)

cleanup() {
    local rc=$?
    [[ -n "${SNAP_PID:-}" ]] && { kill "$SNAP_PID" 2>/dev/null || true; }
    rm -f "$dump"
    psql "$maintenance" -Xq -v db="$tmpdb" <<<'drop database if exists :"db" with (force);' || rc=1
    exit "$rc"
}
trap cleanup EXIT

# Hold a transaction open on the source and export its snapshot: the dump and the source's
# counts both read exactly that state.
coproc SNAP { psql "$url" -XAtq -v ON_ERROR_STOP=1; }
echo "begin isolation level repeatable read; select pg_export_snapshot();" >&"${SNAP[1]}"
read -r snapshot <&"${SNAP[0]}"

echo "Backing up $dbname"
PGDUMP_SNAPSHOT="$snapshot" ops/backup.sh "$url" "$dump"
echo "Restoring into $tmpdb"
ops/restore.sh "$dump" "$restore_url"

# "table count" lines, one per table of the public schema, optionally in an imported snapshot.
counts() {
    local sql
    sql=$(psql "$1" -XAtq -c "select string_agg(format('select %L, count(*) from public.%I', table_name,
        table_name), ' union all ' order by table_name) from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'")
    [[ -n "$sql" ]] || return 0
    psql "$1" -XAtq -F ' ' -v ON_ERROR_STOP=1 <<<"begin isolation level repeatable read;
        ${2:+set transaction snapshot '$2';} $sql; commit;"
}
source_counts=$(counts "$url" "$snapshot")
echo "commit;" >&"${SNAP[1]}"
restored_counts=$(counts "$restore_url")

echo
status=0
report=$(LC_ALL=C join -a1 -a2 -e missing -o 0,1.2,2.2 <(LC_ALL=C sort <<<"$source_counts") \
    <(LC_ALL=C sort <<<"$restored_counts") |
    awk '{ printf "%-45s %10s %10s%s\n", $1, $2, $3, ($2 == $3 ? "" : "  MISMATCH") }')
printf "%-45s %10s %10s\n" table source restored
echo "$report"
tables=$(grep -c . <<<"$report" || true)
rows=$(awk '{ n += $2 } END { print n + 0 }' <<<"$source_counts")
mismatches=$(grep -c MISMATCH <<<"$report" || true)
if [[ "$tables" == 0 ]]; then
    echo "FAIL: no tables in the public schema of $dbname"
    status=1
elif [[ "$mismatches" != 0 ]]; then
    echo "FAIL: $mismatches of $tables tables differ"
    status=1
else
    echo "OK: $tables tables, $rows rows match"
fi

if DATABASE_URL="$restore_url" DJANGO_SETTINGS_MODULE=config.settings.dev "$python" manage.py migrate --check >/dev/null; then
    echo "OK: no unapplied migrations in the restored copy"
else
    echo "FAIL: the restored copy has unapplied migrations (manage.py migrate --check)"
    status=1
fi
echo "Done in $(( ($(date +%s%N) - started) / 1000000 )) ms"
exit "$status"
