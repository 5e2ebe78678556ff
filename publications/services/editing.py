"""Saving a piece with its authors and terms: the one write path, with field-by-field merging.

A piece's content is handled as a *state*: a plain, JSON-safe dict of its editable fields, its
ordered authors with their bio lines, and its topics, regions and tags. The admin form sends the
state the editor opened (``base``) with the one they want (``state``); the service compares both
with the state stored now (``theirs``) and applies only what this editor changed. A field that
both changed is a conflict: nothing is written until the editor chooses, field by field.

The parts live in their own modules: state.py (states and how values compare), merge.py (merging
two edits), save.py (writing a state) and revision.py (bio lines and versions). Their names stay
importable from here, where the history, the archive, the demo and the tests read them.
"""

from .merge import Conflict, EditConflict, publication_merge
from .revision import draft_bio_lines, record_revision
from .save import check_slug, publication_save, write_state
from .state import (
    EDITOR_ONLY_FIELDS,
    FIELDS,
    KEYS,
    TERMS,
    canonical_body,
    digest,
    field_value,
    label,
    publication_state,
    same,
    term_ids,
)

__all__ = [
    "EDITOR_ONLY_FIELDS",
    "FIELDS",
    "KEYS",
    "TERMS",
    "Conflict",
    "EditConflict",
    "canonical_body",
    "check_slug",
    "digest",
    "draft_bio_lines",
    "field_value",
    "label",
    "publication_merge",
    "publication_save",
    "publication_state",
    "record_revision",
    "same",
    "term_ids",
    "write_state",
]
