"""Did you mean ...? A query that finds little, with a rare word close to a much more common one."""

from dataclasses import dataclass

from .query import STOP_WORDS, terms
from .words import WORD, close_words, pieces_holding

FEW_RESULTS = 2  # a query finding more than this is not corrected
MAX_WORDS = 3  # the rarest words of a query tried, one lookup each: a long query costs no more
COMMONER = 3  # the close word must be in at least this many times as many pieces
RARE_SIMILARITY = 0.5  # a word the archive has (rarely) is only corrected to a very close one


@dataclass(frozen=True)
class Suggestion:
    query: str  # the corrected query
    parts: tuple  # (text, corrected) pairs, in order: the query with its corrected words marked


def _cased(typed, word):
    """Return ``word`` in the case the reader typed theirs: NATO, Putin, iran."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    return word.capitalize() if typed[:1].isupper() else word


def _spots(text):
    """Return (start, word) for each word the reader is looking for (not the excluded ones)."""
    return [
        (term.start + match.start(), match.group(0))
        for term in terms(text)
        if not term.excluded
        for match in WORD.finditer(term.text)
        if match.group(0).lower() not in STOP_WORDS
    ]


def _fix(word, held, apps):
    own = held.get(word, 0)
    for score, pieces, other in close_words(word, apps):
        if pieces >= max(1, COMMONER * own) and (own == 0 or score >= RARE_SIMILARITY):
            return other
    return None


def _corrected(text, spots, fixes):
    parts, last = [], 0
    for start, typed in spots:
        fixed = fixes.get(typed.lower())
        if fixed:
            parts += [(text[last:start], False), (_cased(typed, fixed), True)]
            last = start + len(typed)
    parts.append((text[last:], False))
    parts = tuple((part, corrected) for part, corrected in parts if part)
    return Suggestion(query="".join(part for part, _corrected in parts), parts=parts)


def suggestion(text, found, apps, count):
    """Return a Suggestion for a query that found ``found`` pieces, or None.

    ``count(query)`` tells how many pieces readers can see for the corrected query: it is shown
    only if it finds more, so no word of a draft or a scheduled piece is ever suggested.
    """
    if found > FEW_RESULTS:
        return None
    spots = _spots(text)
    if not spots:
        return None
    held = pieces_holding({word for _start, word in spots}, apps)
    rarest = sorted({word.lower() for _start, word in spots}, key=lambda w: (held.get(w, 0), w))
    fixes = {word: fixed for word in rarest[:MAX_WORDS] if (fixed := _fix(word, held, apps))}
    if not fixes:
        return None
    corrected = _corrected(text, spots, fixes)
    return corrected if count(corrected.query) > found else None
