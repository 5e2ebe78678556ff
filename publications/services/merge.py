"""Merging two edits of a piece: what one editor changed applied onto what another saved since.

A field that both changed is a conflict: nothing is written until the editor chooses, field by field.
"""

from dataclasses import dataclass, field

from .state import KEYS, TERMS, digest, label, same


@dataclass
class Conflict:
    key: str
    base: object
    yours: object
    theirs: object

    @property
    def label(self):
        return label(self.key)

    @property
    def theirs_digest(self):
        return digest(self.theirs)


@dataclass
class EditConflict(Exception):
    """Both editors changed the same field: nothing was saved."""

    conflicts: list = field(default_factory=list)

    @property
    def keys(self):
        return [c.key for c in self.conflicts]


def _merge_terms(base, yours, theirs):
    added = set(yours) - set(base)
    removed = set(base) - set(yours)
    return sorted((set(theirs) - removed) | added)


def _merge_authors(base, yours, theirs):
    """Merge two edits of a byline: people added and removed, order, bio lines. None = conflict."""
    base_people = [p for p, _line in base]
    your_people = [p for p, _line in yours]
    their_people = [p for p, _line in theirs]
    added = [p for p in your_people if p not in base_people]
    removed = {p for p in base_people if p not in your_people}

    def reordered(people):
        kept = [p for p in people if p in base_people]
        return kept != [p for p in base_people if p in kept]

    both_orders = [p for p in your_people if p in their_people], [p for p in their_people if p in your_people]
    if reordered(your_people) and reordered(their_people) and both_orders[0] != both_orders[1]:
        return None  # both reordered the byline, differently
    order = your_people if reordered(your_people) else their_people
    merged = [p for p in order if p not in removed and (p in their_people or p in added)]
    merged += [p for p in [*their_people, *added] if p not in merged and p not in removed]

    lines = {}
    base_lines, your_lines, their_lines = dict(base), dict(yours), dict(theirs)
    for person in merged:
        was, mine, now = base_lines.get(person), your_lines.get(person), their_lines.get(person)
        if was is None or now is None:
            lines[person] = mine if mine is not None else now
        elif mine is None or mine == was:
            lines[person] = now
        elif now in (was, mine):
            lines[person] = mine
        else:
            return None
    return [[person, lines[person]] for person in merged]


def publication_merge(*, base, yours, theirs, resolutions=None):
    """Return (merged state, conflicts) for a save of ``yours`` made from ``base``.

    ``resolutions`` maps a key to ``(choice, digest of theirs)``: "mine" or "theirs", chosen
    against the stored value with that digest. A choice made against an older value (a third
    editor saved meanwhile) no longer holds: the field is a conflict again.
    """
    resolutions = resolutions or {}
    merged, conflicts = {}, []
    for key in KEYS:
        was, mine, now = base.get(key), yours.get(key), theirs.get(key)
        if same(key, mine, was) or same(key, mine, now):
            merged[key] = now
        elif same(key, now, was):
            merged[key] = mine
        elif key in TERMS:
            merged[key] = _merge_terms(was or [], mine or [], now or [])
        elif key == "authors" and (lines := _merge_authors(was or [], mine or [], now or [])) is not None:
            merged[key] = lines
        else:
            choice, seen = resolutions.get(key, (None, None))
            if choice in ("mine", "theirs") and seen == digest(now):
                merged[key] = mine if choice == "mine" else now
            else:
                conflicts.append(Conflict(key, was, mine, now))
    return merged, conflicts
