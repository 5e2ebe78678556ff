"""PostgreSQL databases named by URL (parsed by dj-database-url): connect, create, drop."""

import urllib.parse

import dj_database_url
import psycopg2
from psycopg2 import sql


def parts(url):
    """Return dj-database-url's reading of ``url`` (NAME, USER, PASSWORD, HOST, PORT, OPTIONS)."""
    return dj_database_url.parse(url)


def name(url):
    return parts(url)["NAME"]


def connect(url, database=None, **options):
    """Connect with psycopg2 to ``url``'s server, to its database or to ``database``."""
    p = parts(url)
    kwargs = {
        "dbname": database or p["NAME"] or "postgres",
        "user": p["USER"] or None,
        "password": p["PASSWORD"] or None,
        "host": p["HOST"] or None,
        "port": p["PORT"] or None,
        **p.get("OPTIONS", {}),
        **options,
    }
    return psycopg2.connect(**{key: value for key, value in kwargs.items() if value is not None})


def with_name(url, database):
    """Return the URL of ``database`` on ``url``'s server (same user, password and options)."""
    p = parts(url)
    user = urllib.parse.quote(p["USER"] or "postgres", safe="")
    password = f":{urllib.parse.quote(p['PASSWORD'], safe='')}" if p["PASSWORD"] else ""
    port = f":{p['PORT']}" if p["PORT"] else ""
    query = f"?{urllib.parse.urlencode(p['OPTIONS'])}" if p.get("OPTIONS") else ""
    return f"postgres://{user}{password}@{p['HOST'] or '127.0.0.1'}{port}/{database}{query}"


def _maintenance(url, *statements):
    """Run ``statements`` on the server's ``postgres`` database; return the last one's first row."""
    connection = connect(url, "postgres")
    connection.autocommit = True
    row = None
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                row = cursor.fetchone() if cursor.description else None
    finally:
        connection.close()
    return row


def exists(url):
    query = sql.SQL("SELECT count(*) FROM pg_database WHERE datname = {}").format(sql.Literal(name(url)))
    return _maintenance(url, query)[0] > 0


def create(url, replace=False):
    """Create ``url``'s database (dropping it first with ``replace``)."""
    database = sql.Identifier(name(url))
    statements = [sql.SQL("CREATE DATABASE {}").format(database)]
    if replace:
        statements.insert(0, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
    _maintenance(url, *statements)


def ensure(url):
    """Create ``url``'s database if it is missing; return whether it was created."""
    if exists(url):
        return False
    create(url)
    return True


def drop(url):
    _maintenance(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name(url))))
