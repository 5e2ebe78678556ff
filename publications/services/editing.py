"""Saving a piece with its authors and terms: the one write path, with field-by-field merging.

A piece's content is handled as a *state*: a plain, JSON-safe dict of its editable fields, its
ordered authors with their bio lines, and its topics, regions and tags. The admin form sends the
state the editor opened (``base``) with the one they want (``state``); the service compares both
with the state stored now (``theirs``) and applies only what this editor changed. A field that
both changed is a conflict: nothing is written until the editor chooses, field by field.

The parts live in their own modules: state.py (states and how values compare), merge.py (merging
two edits), save.py (writing a state) and revision.py (bio lines and versions). The names the
history, the archive importer, the demo and the tests read from here stay importable here.
"""

from .revision import draft_bio_lines, record_revision
from .save import write_state
from .state import FIELDS, TERMS, label, publication_state, same

__all__ = [
    "FIELDS",
    "TERMS",
    "draft_bio_lines",
    "label",
    "publication_state",
    "record_revision",
    "same",
    "write_state",
]
