"""bench/faults.py's parts: PostgreSQL control, the site's pages, probes, the load, the edit check,
the targets and the report."""
