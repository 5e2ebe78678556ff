"""The benchmarks' settings: production's, plus what a bench on one machine needs and no more.

Everything the bench measures runs under these (the in-process test client of bench/run.py and
bench/query_counts.py, and every gunicorn or granian it starts): production's password hasher,
file storage, compressed static files (collected by the scripts), shared cache (Redis with
REDIS_URL, else the database) and security middleware.

Production refuses to start without a secret key and allowed hosts, and redirects to https; a
bench on 127.0.0.1 has no secret to keep and no TLS proxy in front, so those get local defaults
(any of them set in the environment wins). Logs keep warnings and errors only: a JSON line per
request would be most of the output. The URLconf adds the ceiling view (bench/urls.py).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from config.settings.prod import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
