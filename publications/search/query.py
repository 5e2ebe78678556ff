"""A reader's query in the syntax of PostgreSQL's websearch_to_tsquery, read the same everywhere.

Words are all required; "a quoted phrase" must appear as written; -word (or -"a phrase") must
not appear; OR between two terms takes either. AND binds tighter than OR, as in PostgreSQL:
``putin OR hezbollah iran`` is putin, or else hezbollah and iran. English stop words outside
phrases are dropped, as PostgreSQL's english configuration drops them.
"""

import re
from dataclasses import dataclass

# PostgreSQL's english.stop (the Snowball list), so both databases drop the same words.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)

# A quoted phrase (the closing quote may be missing) or a run of anything but spaces and quotes.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
EDGE_PUNCTUATION = ".,;:!?()[]{}'’`"
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")  # what the index's tokenizer keeps: letters and digits


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query, where it stands in the text, and whether it is excluded."""

    text: str
    start: int
    phrase: bool = False
    excluded: bool = False


def has_terms(text):
    """Return whether the query has any word to look for (not only punctuation)."""
    return bool(WORD.search(text or ""))


def _term(match):
    """Return the Term a token stands for, or None (an operator, a stop word, punctuation)."""
    if match.group(2) is not None:
        raw = match.group(2)
        text, start = raw.strip(), match.start(2) + len(raw) - len(raw.lstrip())
        phrase, excluded = True, bool(match.group(1))
    else:
        raw = match.group(4)
        text = POSSESSIVE.sub("", raw.strip(EDGE_PUNCTUATION)).strip(EDGE_PUNCTUATION)
        start = match.start(4) + raw.find(text) if text else match.start(4)
        phrase, excluded = False, bool(match.group(3))
        if text.lower() in STOP_WORDS:
            return None
    if not WORD.search(text):
        return None
    return Term(text=text, start=start, phrase=phrase, excluded=excluded)


def parse(text):
    """Return the query as clauses to OR together, each a list of Terms that must all hold."""
    clauses, current = [], []
    for match in TOKEN.finditer(text or ""):
        if match.group(4) is not None and not match.group(3) and match.group(4).upper() == "OR":
            if current:
                clauses.append(current)
            current = []
            continue
        term = _term(match)
        if term is not None:
            current.append(term)
    if current:
        clauses.append(current)
    return clauses


def terms(text):
    """Return every Term of the query, in the order typed."""
    return [term for clause in parse(text) for term in clause]


def fts_quote(text):
    """Return ``text`` as an FTS5 string: one phrase of the words it holds, never an operator."""
    return '"' + text.replace('"', '""') + '"'


def fts_expression(text):
    """Return the query for SQLite's FTS5 index: (the expression of the clauses with something
    to find, or None; the expressions of the clauses that only exclude, each matching what the
    clause leaves out)."""
    found, only_excluding = [], []
    for clause in parse(text):
        wanted = " AND ".join(fts_quote(t.text) for t in clause if not t.excluded)
        unwanted = " OR ".join(fts_quote(t.text) for t in clause if t.excluded)
        if not wanted:
            only_excluding.append(unwanted)
        elif unwanted:
            found.append(f"(({wanted}) NOT ({unwanted}))")
        else:
            found.append(f"({wanted})")
    return (" OR ".join(found) or None), only_excluding
