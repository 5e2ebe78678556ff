"""The backup drill: ops/backup_check.sh backs up the test database, restores it and compares row counts."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.django_db(transaction=True),  # committed data, visible to pg_dump
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backup and restore use pg_dump and pg_restore: PostgreSQL only (set DATABASE_URL)",
    ),
]


def database_url(name=None):
    """The URL of the test database (or of another database on the same server)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{s['USER']}{password}@{host}{port}/{name or s['NAME']}"


def run(*args, **environ):
    env = {**os.environ, **environ}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


def test_backup_check_restores_every_row(demo_site, hidden_pieces):
    result = run("ops/backup_check.sh", database_url())

    assert result.returncode == 0, result.stdout + result.stderr
    counts = re.search(r"^publications_publication\s+(\d+)\s+(\d+)$", result.stdout, re.MULTILINE)
    assert counts, result.stdout
    assert int(counts[1]) == int(counts[2]) > 0
    assert re.search(r"^OK: \d+ tables, \d+ rows match$", result.stdout, re.MULTILINE)
    assert "OK: no unapplied migrations" in result.stdout
    assert "MISMATCH" not in result.stdout


def test_restore_refuses_a_database_with_tables_without_force(demo_site, tmp_path):
    dump = tmp_path / "site.dump"
    assert run("ops/backup.sh", database_url(), str(dump)).returncode == 0

    result = run("ops/restore.sh", str(dump), database_url())

    assert result.returncode == 2
    assert "refusing" in result.stderr and "--force" in result.stderr


def test_backup_refuses_a_url_that_is_not_postgresql():
    result = run("ops/backup.sh", "sqlite:///db.sqlite3")

    assert result.returncode == 2
    assert "not a PostgreSQL URL" in result.stderr


def test_backup_check_fails_before_it_starts_without_the_python_for_the_migration_check(tmp_path):
    # A server nothing listens on: the drill must stop before it connects to anything.
    result = run("ops/backup_check.sh", "postgres://nobody@127.0.0.1:1/none", PYTHON=str(tmp_path / "python"))

    assert result.returncode == 2, result.stdout + result.stderr
    assert "no Python at" in result.stderr and "set PYTHON" in result.stderr
    assert "SKIPPED" not in result.stdout
    assert "Backing up" not in result.stdout
