"""Random draws: Zipf-like weights, distinct picks, sentences, bodies, titles, publish times."""

import datetime

from .vocabulary import (
    ACTORS,
    COMMON_WORDS,
    PLACES,
    RARE_SHARE,
    RARE_WORDS,
    TITLE_ADJECTIVES,
    TITLE_NOUNS,
    TITLE_TAILS,
    TITLE_TEMPLATES,
    TITLE_VERBS,
    WORDS,
)

ARCHIVE_START = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)


def cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def zipf_weights(count, shift=2.7, exponent=1.0):
    """Return Zipf-Mandelbrot weights 1 / (rank + shift) ** exponent for ranks 1..count."""
    return [1 / (rank + shift) ** exponent for rank in range(1, count + 1)]


_common = zipf_weights(len(COMMON_WORDS))
WORD_CUM = cumulative(_common + [sum(_common) * RARE_SHARE] * len(RARE_WORDS))


def pick_distinct(rng, population, cum_weights, count):
    chosen = []
    while len(chosen) < count:
        for item in rng.choices(population, cum_weights=cum_weights, k=count - len(chosen)):
            if item not in chosen:
                chosen.append(item)
    return chosen


def sentence(rng, low, high):
    tokens = rng.choices(WORDS, cum_weights=WORD_CUM, k=rng.randint(low, high))
    if len(tokens) > 12:
        tokens[rng.randint(4, len(tokens) - 5)] += ","
    text = " ".join(tokens)
    return text[0].upper() + text[1:] + "."


def summary_text(rng):
    return " ".join(sentence(rng, 12, 28) for _ in range(rng.randint(1, 2)))


def body_html(rng):
    """Return 3-6 paragraphs of 250-500 words in all."""
    paragraphs, budget = [], rng.randint(250, 500)
    count = rng.randint(3, 6)
    for index in range(count):
        target = budget // (count - index)
        sentences, written = [], 0
        while written < target:
            text = sentence(rng, 8, min(26, max(8, target - written)))
            written += text.count(" ") + 1
            sentences.append(text)
        budget -= written
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(paragraphs)


def possessive(name):
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def title_text(rng, type_slug):
    a, b = rng.sample(ACTORS, 2)
    template = "{a_poss} {noun} and U.S. Policy" if type_slug == "testimony" else rng.choice(TITLE_TEMPLATES)
    text = template.format(
        a=a,
        b=b,
        a_poss=possessive(a),
        b_poss=possessive(b),
        noun=rng.choice(TITLE_NOUNS),
        verb=rng.choice(TITLE_VERBS),
        adj=rng.choice(TITLE_ADJECTIVES),
        place=rng.choice(PLACES),
        tail=rng.choice(TITLE_TAILS),
    )
    return text[0].upper() + text[1:]


def publish_times(rng, count, now, taken):
    """Return ``count`` distinct whole-second times from 1990 to now, ascending, denser lately."""
    span = int((now - ARCHIVE_START).total_seconds()) - 3600
    seconds = set()
    while len(seconds) < count:
        second = int(span * rng.random() ** 0.6)  # more pieces in recent years
        if second not in taken:
            seconds.add(second)
    return [ARCHIVE_START + datetime.timedelta(seconds=s) for s in sorted(seconds)]


def future_time(rng, now, taken):
    """Return a distinct publish time 1 hour to 30 days ahead, for a scheduled piece."""
    while True:
        second = rng.randint(3600, 30 * 86400)
        if second not in taken:
            taken.add(second)
            return now + datetime.timedelta(seconds=second)
