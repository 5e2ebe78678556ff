"""The project the bench runs: paths, the bench settings in this process and in the servers."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
SETTINGS = "bench.settings"
# Production's compressed, hashed static files: collected here by every script before it measures
# (again, in about 2 s: only changes are copied), outside the project, whose tests must not see them.
STATIC_ROOT = Path(tempfile.gettempdir()) / "publications-bench-static"
# What the shell may say that would change what the servers measure: left out of their environment.
SHELL_SETTINGS = ("DJANGO_", "PAGE_CACHE", "FACET_CACHE")
KEPT_SHELL_SETTINGS = ("DJANGO_ADMIN_URL",)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def shown(path):
    """Return ``path`` relative to the project when it is inside it (as the docs name files)."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def static_root():
    return os.environ.get("DJANGO_STATIC_ROOT") or str(STATIC_ROOT)


def setup_django(**environ):
    """Set Django up in this process under bench/settings.py (``environ`` first goes to os.environ)."""
    os.environ.update({key: str(value) for key, value in environ.items()})
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DJANGO_STATIC_ROOT"] = static_root()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def server_env(settings=SETTINGS, **environ):
    """Return the environment for a child process: this one's, without the shell's Django settings.

    DATABASE_URL and REDIS_URL pass; DJANGO_*, PAGE_CACHE_* and FACET_CACHE_* do not (but
    DJANGO_ADMIN_URL), so what is measured does not depend on the shell. ``environ`` is added.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(SHELL_SETTINGS) or key in KEPT_SHELL_SETTINGS
    }
    env.update(DJANGO_SETTINGS_MODULE=settings, DJANGO_STATIC_ROOT=static_root())
    return {**env, **{key: str(value) for key, value in environ.items()}}


def manage(*args, env, quiet=False):
    """Run ``manage.py`` with ``args`` in ``env``; raise if it fails."""
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output)


def collect_static(**environ):
    """Collect the static files into the bench's STATIC_ROOT (production's manifest needs them)."""
    manage("collectstatic", "--noinput", "-v0", env=server_env(**environ))
