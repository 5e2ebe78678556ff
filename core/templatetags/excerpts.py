"""``truncatesentences``: an excerpt that ends where a sentence ends, not mid-sentence."""

import re

from django import template

register = template.Library()

# A sentence ends with . ! ? (or … ), perhaps followed by a closing quote or bracket, then space.
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")


@register.filter
def truncatesentences(text, words=60):
    """Return the whole sentences of ``text`` that fit in ``words`` words (at least the first).

    A text that fits is returned as it is; one whose first sentence alone is too long is cut at
    ``words`` words with an ellipsis, as ``truncatewords`` would.
    """
    text = " ".join(str(text).split())
    limit = int(words)
    if len(text.split()) <= limit:
        return text
    end = None
    for match in SENTENCE_END.finditer(text):
        if len(text[: match.end()].split()) > limit:
            break
        end = match.end()
    if end is None:
        return " ".join(text.split()[:limit]) + "…"
    return text[:end]
