"""The benchmark harness: scripts run as `.venv/bin/python bench/<script>.py` from the project root."""
