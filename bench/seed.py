"""Seed a realistic archive into a PostgreSQL database, for benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/publications_bench \\
        .venv/bin/python bench/seed.py [--pieces 100000]

The script creates the database if it is missing and migrates it (bench/settings.py), then adds
5,000 people (2,000 of them experts), 300 fellowships with about 4,000 appointments, the six
publication types, 1,000 each of topics, regions and free tags, and the pieces (100,000 by
default) with their authors, terms and bio lines. Authors and terms are drawn with Zipf-like
weights, so a few people and terms dominate, as in a real archive. Everything comes from
random.Random(42): the same command gives the same archive.

A database that already holds the requested number of pieces is reused as it is. One that holds
fewer gets only the missing pieces (and whatever people, fellowships or terms it lacks).

Speed: small tables go in with bulk_create, the big ones with COPY, all in one transaction; no
model save() runs, so no signal fires and no reversion history is kept. What a save would do is
asked of the app: the text hygiene of bulk writes (clean_text), the models' field defaults, the
tag models' slugify, bio lines by Person.bio_line_on, and the search vectors by one UPDATE
(publications.search.update_vectors, the one the services run after every save); the GIN index
is rebuilt, and VACUUM ANALYZE leaves the planner with fresh statistics. The parts are in
bench/seeding/. Timings per stage go to stdout, a progress bar to stderr.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import databases, project  # noqa: E402

project.setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.seeding.finish import end_cached_pages, fill_search_vectors, vacuum_analyze  # noqa: E402
from bench.seeding.people import seed_appointments, seed_fellowships, seed_people, seed_types  # noqa: E402
from bench.seeding.pieces import Archive, seed_pieces  # noqa: E402
from bench.seeding.progress import stage, total_line  # noqa: E402
from bench.seeding.terms import TERM_MODELS, seed_terms  # noqa: E402
from publications.models import Publication  # noqa: E402

SEED = 42


def ensure_database():
    """Refuse anything but PostgreSQL; create the database when it is missing."""
    if connection.vendor != "postgresql":
        sys.exit("bench/seed.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    url = os.environ["DATABASE_URL"]
    if databases.ensure(url):
        print(f"Created the database {databases.name(url)}")


def bulk_session():
    """Session settings for the bulk load; foreign keys checked row by row, not all at commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def seed_rows(rng, count):
    """Add what is missing, in one transaction (the caller's)."""
    with stage("types"):
        types = seed_types()
    with stage("people") as notes:
        people = seed_people(rng, notes)
    with stage("fellowships") as notes:
        fellowships = seed_fellowships(rng, notes)
        seed_appointments(rng, people, fellowships, notes)
    with stage("topics, regions, tags") as notes:
        terms = [seed_terms(rng, model, notes) for model in TERM_MODELS]
    with stage("pieces, authors, terms") as notes:
        archive = Archive(rng, people, types, *terms)
        seed_pieces(rng, archive, count, notes)
    with stage("search vectors") as notes:
        fill_search_vectors(notes)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=100_000, help="pieces wanted (default 100,000)")
    pieces = parser.parse_args(argv).pieces
    started = time.perf_counter()
    ensure_database()
    with stage("migrate"):
        call_command("migrate", interactive=False, verbosity=0)
    existing = Publication.objects.count()
    if existing >= pieces:
        database = connection.settings_dict["NAME"]
        print(f"{database} already has {existing:,} pieces (>= {pieces:,} wanted): reused as it is.")
        total_line(started)
        return
    with transaction.atomic():
        bulk_session()
        seed_rows(random.Random(SEED), pieces - existing)
    with stage("vacuum analyze"):
        vacuum_analyze()
    end_cached_pages()
    total_line(started)


if __name__ == "__main__":
    main()
