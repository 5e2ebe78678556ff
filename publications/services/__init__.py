"""Every multi-step write on publications. The admin, commands, importer and seeders call these."""

from .demo import demo_accounts_ensure, demo_content_load
from .history import publication_recover, publication_restore, version_state
from .merge import EditConflict, publication_merge
from .save import publication_save
from .state import publication_state
from .workflow import (
    TRANSITIONS,
    publication_archive,
    publication_publish,
    publication_schedule,
    publication_submit,
    publication_unpublish,
)

__all__ = [
    "TRANSITIONS",
    "EditConflict",
    "demo_accounts_ensure",
    "demo_content_load",
    "publication_archive",
    "publication_merge",
    "publication_publish",
    "publication_recover",
    "publication_restore",
    "publication_save",
    "publication_schedule",
    "publication_state",
    "publication_submit",
    "publication_unpublish",
    "version_state",
]
