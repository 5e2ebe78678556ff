"""Settings of a real `manage.py db_worker` process started by a test (test_delivery_failures.py)."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.alerts.stub_urls"
