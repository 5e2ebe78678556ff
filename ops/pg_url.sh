# Sourced by the ops scripts: check a PostgreSQL URL and split it.
# Usage: pg_url_parse SCRIPT_NAME URL
# Sets: path (the URL without its ?query), query ("" or "?..."), dbname, maintenance (the same
# server's `postgres` database, for creating and dropping databases). Exits 2 on a non-PostgreSQL URL.
pg_url_parse() {
    local script="$1" url="$2"
    if [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
        echo "${script}: not a PostgreSQL URL: '${url}' (expected postgres://user@host:port/dbname)" >&2
        exit 2
    fi
    path="${url%%\?*}" query=""
    [[ "$url" == *\?* ]] && query="?${url#*\?}"
    dbname="${path##*/}"
    maintenance="${path%/*}/postgres${query}"
}
